package autherrors

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// overlap (Knuth-Morris-Pratt) agrees with the obvious quadratic search on
// strings over a two-letter alphabet, where borders abound.
func TestOverlapMatchesBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	gen := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab"[r.IntN(2)]
		}
		return string(b)
	}
	for range 50000 {
		s, f := gen(r.IntN(14)), gen(1+r.IntN(14))
		want := 0
		for k := min(len(s), len(f)); k >= 1; k-- {
			if strings.HasSuffix(s, f[:k]) {
				want = k
				break
			}
		}
		if got := overlap(s, f); got != want {
			t.Fatalf("overlap(%q, %q) = %d, want %d", s, f, got, want)
		}
	}
}
