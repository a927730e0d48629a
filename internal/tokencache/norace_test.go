//go:build !race

package tokencache

// raceEnabled: see race_test.go.
const raceEnabled = false
