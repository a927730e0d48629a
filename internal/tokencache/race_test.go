//go:build race

package tokencache

// raceEnabled: the race detector makes each request's goroutine costly, so
// the longest tests do less under it.
const raceEnabled = true
