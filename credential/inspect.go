package credential

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/claims"
)

// MaxTokenLifetime is the longest a token is served from the cache,
// whatever its expires_on or exp says: a day, the longest lifetime Entra ID
// gives an access token outside continuous access evaluation (CAE tokens,
// up to 28 hours, are refreshed a few hours early, which costs one request
// a day). A longer lifetime is taken as a mistake or an attack, logged as a
// warning, and cut to this.
const MaxTokenLifetime = 24 * time.Hour

// inspection is what layer two accepts beyond tokens proven app-only.
type inspection struct {
	// allowUser: developer tools, opted in, not on a CI runner. Their
	// tokens act as the signed-in person and are served as they are.
	allowUser bool
	// opaque lists resources whose unreadable (opaque or encrypted) tokens
	// are accepted: Options.OpaqueTokenResources or the ChainOptions field.
	opaque []string
}

// inspector is layer two of the refusal: it reads every token a credential
// returns (the JWT payload, without checking the signature — Entra's
// signature is the resource's business) and serves only tokens it can
// prove app-only. It sits below the cache, so it runs once per token
// request, never on the cached path.
type inspector struct {
	cred azcore.TokenCredential
	kind detect.Kind
	inspection
	// diag turns an upstream error into a *autherrors.Diagnostic here,
	// once, inside the cache's shared request, so every waiter gets the same
	// immutable Diagnostic. Diagnosing in each waiter raced: azidentity's
	// *AuthenticationFailedError reads its response body lazily in Error().
	diag   diagnoser
	logger *slog.Logger // nil: warnings are not logged
	now    func() time.Time
}

func (i *inspector) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if i.allowUser && opts.Claims != "" {
		// A claims challenge for a person's token asks that person to
		// step up (MFA, a compliant device): never attempted unattended.
		// An app identity's challenge (CAE) goes to azidentity below.
		return azcore.AccessToken{}, i.diagnosed(autherrors.New(autherrors.ErrMFARequired,
			"a resource answered with a claims challenge for the signed-in person's token (the developer tools' user); answering it means signing in again interactively, which autoidentity never does",
			"For local runs, sign in again with the claims (az login --claims-challenge, Connect-AzAccount -ClaimsChallenge). Automation is exempt from this only with a workload identity: use a managed identity, workload identity federation or a service principal.", nil))
	}
	ctx, cause := withCause(ctx)
	tok, err := i.cred.GetToken(ctx, opts)
	if err != nil {
		return azcore.AccessToken{}, i.diagnosed(cause.explain(err))
	}
	c, perr := claims.Parse(tok.Token)
	if !i.allowUser {
		why := perr
		if why == nil {
			why = c.AppOnly()
		} else if errors.Is(perr, claims.ErrOpaque) && covered(opts.Scopes, i.opaque) {
			why = nil
		}
		if why != nil {
			return azcore.AccessToken{}, i.diagnosed(i.refuse(opts.Scopes, c, why))
		}
	}
	tok, err = i.expiry(tok, c, opts.Scopes)
	return tok, i.diagnosed(err)
}

func (i *inspector) diagnosed(err error) error { return i.diag.diagnose(err) }

// refuse explains a token that could not be proven app-only.
func (i *inspector) refuse(scopes []string, c *claims.Claims, why error) error {
	what := "a token"
	if c != nil && c.UPN != "" {
		what = "a delegated token for the signed-in user " + strconv.Quote(clip(c.UPN))
	}
	summary := fmt.Sprintf("the %s credential returned %s for %v, refused because %s; unattended automation must not act as a person",
		i.kind, what, scopes, strings.TrimPrefix(why.Error(), "claims: "))
	remedy := "use an identity made for automation: a managed identity where the program runs on Azure, workload identity federation in Kubernetes or CI, or a service principal"
	if errors.Is(why, claims.ErrOpaque) {
		remedy += "; if this resource is known to issue opaque or encrypted app tokens, list it in Options.OpaqueTokenResources (ChainOptions.OpaqueTokenResources for Guard and NewChain)"
	}
	return autherrors.New(autherrors.ErrUserIdentityRefused, summary, remedy, nil)
}

// expiry sets when the cache must stop serving tok: the earlier of
// azidentity's ExpiresOn and the token's own exp claim, and never more than
// MaxTokenLifetime from now. A token whose exp has passed is refused: the
// resource goes by exp, whatever expires_on said. So is a token without
// ExpiresOn, which azcore requires of every credential: the response is
// invalid, whatever the clock says.
func (i *inspector) expiry(tok azcore.AccessToken, c *claims.Claims, scopes []string) (azcore.AccessToken, error) {
	now := i.now()
	if tok.ExpiresOn.IsZero() {
		return azcore.AccessToken{}, autherrors.New(autherrors.ErrServiceUnavailable,
			fmt.Sprintf("the %s credential returned a token for %v without an expiry (AccessToken.ExpiresOn is not set): the response is invalid, so the token is not served", i.kind, scopes),
			"a credential's GetToken must set ExpiresOn, as azidentity's do: fix or replace the credential (for a caller-supplied one, see its GetToken); if an identity endpoint answered without expires_on or expires_in, a proxy may have altered the response", nil)
	}
	if !now.Before(tok.ExpiresOn) {
		return azcore.AccessToken{}, autherrors.New(autherrors.ErrClockSkew,
			fmt.Sprintf("the token for %v expired at %s, before it could be served (this machine's clock says %s)",
				scopes, tok.ExpiresOn.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)),
			"", nil)
	}
	if c != nil && !c.Expiry.IsZero() {
		if !now.Before(c.Expiry) {
			return azcore.AccessToken{}, autherrors.New(autherrors.ErrClockSkew,
				fmt.Sprintf("the token for %v expired at %s by its own exp claim, before it could be served (this machine's clock says %s)",
					scopes, c.Expiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)),
				"synchronise this machine's clock (NTP); if the clock is right, the identity endpoint returned a stale token", nil)
		}
		if c.Expiry.Before(tok.ExpiresOn) {
			tok.ExpiresOn = c.Expiry
		}
	}
	if limit := now.Add(MaxTokenLifetime); tok.ExpiresOn.After(limit) {
		if i.logger != nil {
			i.logger.Warn("autoidentity: token lifetime cut to credential.MaxTokenLifetime",
				"scopes", strings.Join(scopes, " "), "expires_on", tok.ExpiresOn.UTC(), "served_until", limit.UTC())
		}
		tok.ExpiresOn = limit
	}
	if !tok.RefreshOn.IsZero() && !tok.RefreshOn.Before(tok.ExpiresOn) {
		tok.RefreshOn = time.Time{}
	}
	return tok, nil
}

// clip cuts a value copied from a token to what a log line needs.
func clip(s string) string {
	if len(s) <= 80 {
		return s
	}
	return strings.ToValidUTF8(s[:80], "") + "…"
}

// covered reports whether every scope belongs to one of the resources: the
// scope is the resource, or the resource followed by "/".
func covered(scopes, resources []string) bool {
	if len(scopes) == 0 || len(resources) == 0 {
		return false
	}
	for _, s := range scopes {
		ok := false
		for _, r := range resources {
			r = strings.TrimSuffix(r, "/")
			if r != "" && (s == r || strings.HasPrefix(s, r+"/")) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
