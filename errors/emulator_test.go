package autherrors

import (
	"testing"

	"github.com/autoidentity/autoidentity/entratest"
)

// entratest imports nothing of this module, on purpose: an emulator that
// shared the library's constants could not catch a wrong one. It keeps its
// own copies of Entra's and GitHub's values; they must agree with the one
// definition the library uses.
func TestConstantsAgreeWithEmulator(t *testing.T) {
	t.Parallel()
	if TokenExchangeAudience != entratest.FederatedAudience {
		t.Errorf("TokenExchangeAudience = %q, the emulator's FederatedAudience = %q", TokenExchangeAudience, entratest.FederatedAudience)
	}
	if githubIssuer != string(entratest.GitHubIssuer) {
		t.Errorf("githubIssuer = %q, the emulator's GitHubIssuer = %q", githubIssuer, entratest.GitHubIssuer)
	}
}
