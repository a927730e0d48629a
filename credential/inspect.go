package credential

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/claims"
)

// inspector is layer two of the refusal: it reads every token a credential
// returns (the JWT payload, without checking the signature — Entra's
// signature is the resource's business) and refuses delegated user tokens.
// It sits below the cache, so it runs once per token request, never on the
// cached path.
type inspector struct {
	cred      azcore.TokenCredential
	kind      detect.Kind
	allowUser bool // developer tools, opted in, not on CI
	// diagnose turns an upstream error into a *autherrors.Diagnostic here,
	// once, inside the cache's shared request, so every waiter gets the same
	// immutable Diagnostic. Diagnosing in each waiter raced: azidentity's
	// *AuthenticationFailedError reads its response body lazily in Error().
	diagnose func(error) error
}

func (i *inspector) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := i.cred.GetToken(ctx, opts)
	if err != nil {
		if i.diagnose != nil {
			err = i.diagnose(err)
		}
		return azcore.AccessToken{}, err
	}
	c, perr := claims.Parse(tok.Token)
	if perr != nil {
		if errors.Is(perr, claims.ErrNotJWT) {
			// Opaque or encrypted tokens carry nothing to inspect; the
			// credential types that reach here are app-only by
			// construction (layer one).
			return tok, nil
		}
		return azcore.AccessToken{}, fmt.Errorf("the token for %v could not be inspected: %w", opts.Scopes, perr)
	}
	if c.IsUser() && !i.allowUser {
		who := c.UPN
		if who == "" {
			who = c.UniqueName
		}
		summary := fmt.Sprintf("the %s credential returned a delegated token for a signed-in user", i.kind)
		if who != "" {
			summary += " (" + who + ")"
		}
		return azcore.AccessToken{}, autherrors.New(autherrors.ErrUserIdentityRefused, summary+"; unattended automation must not act as a person",
			"use an identity made for automation: a managed identity where the program runs on Azure, workload identity federation in Kubernetes or CI, or a service principal", nil)
	}
	tok.ExpiresOn = expiry(tok.ExpiresOn, c.Expiry)
	return tok, nil
}

// maxExpirySkew bounds how far the token's exp claim may precede the
// ExpiresOn azidentity reports before exp is taken for clock skew.
const maxExpirySkew = 5 * time.Minute

// expiry is when the cache must stop serving a token. azidentity computes
// ExpiresOn as arrival time plus expires_in, which lands after the token's
// own exp by the request's latency; the resource goes by exp. A larger gap
// means this machine's clock disagrees with Entra's, and exp, read on the
// wrong clock, is not to be trusted: ExpiresOn stands.
func expiry(expiresOn, exp time.Time) time.Time {
	if !exp.IsZero() && exp.Before(expiresOn) && expiresOn.Sub(exp) < maxExpirySkew {
		return exp
	}
	return expiresOn
}
