package reliability

import (
	"strings"
	"testing"

	"github.com/autoidentity/autoidentity/entratest"
)

// canaries are every secret the tests hand the library: the emulator's, the
// PKCS#12 password here, and the access tokens the emulator issues are
// checked separately (they vary). None may appear in any output.
var canaries = []string{
	entratest.DefaultClientSecret, entratest.ExpiredClientSecret, entratest.DefaultPassword,
	entratest.ActionsRequestToken, entratest.SystemAccessToken, entratest.IdentityHeader,
	certPassword,
}

// assertNoCanaries fails t if s contains a canary or any of extra (tokens).
func assertNoCanaries(t testing.TB, what, s string, extra ...string) {
	t.Helper()
	for _, c := range append(canaries[:len(canaries):len(canaries)], extra...) {
		if c != "" && strings.Contains(s, c) {
			t.Errorf("%s contains a secret (%.12s…)", what, c)
		}
	}
}
