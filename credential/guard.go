package credential

import (
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// refusal says why a caller-supplied credential type is refused up front.
type refusal struct {
	code   autherrors.Code
	reason string
}

// refuseType is layer one of the refusal: credential types that sign in as
// a person. Layer two, the token inspection, catches what a type cannot
// show (a custom credential returning a user token).
func refuseType(c azcore.TokenCredential, allowDev bool) *refusal {
	user := func(what string) *refusal {
		return &refusal{autherrors.ErrUserIdentityRefused, what + " signs in as a user, which mandatory MFA breaks in unattended automation"}
	}
	dev := func(what string) *refusal {
		if allowDev {
			return nil
		}
		return &refusal{autherrors.ErrDeveloperCredentialRefused, what + " uses a developer's sign-in; set Options.AllowDeveloperTools for local runs"}
	}
	switch c.(type) {
	//lint:ignore SA1019 named only to refuse it
	case *azidentity.UsernamePasswordCredential:
		return user("UsernamePasswordCredential (ROPC)")
	case *azidentity.InteractiveBrowserCredential:
		return user("InteractiveBrowserCredential")
	case *azidentity.DeviceCodeCredential:
		return user("DeviceCodeCredential")
	case *azidentity.OnBehalfOfCredential:
		return user("OnBehalfOfCredential")
	case *azidentity.EnvironmentCredential:
		return user("EnvironmentCredential (it falls back to AZURE_USERNAME/AZURE_PASSWORD)")
	case *azidentity.DefaultAzureCredential:
		return user("DefaultAzureCredential (it may use a password or a developer's sign-in)")
	case *azidentity.AzureCLICredential:
		return dev("AzureCLICredential")
	case *azidentity.AzureDeveloperCLICredential:
		return dev("AzureDeveloperCLICredential")
	case *azidentity.AzurePowerShellCredential:
		return dev("AzurePowerShellCredential")
	}
	return nil
}

// Guard wraps a caller-supplied credential with autoidentity's refusals,
// diagnosis and cache. It refuses, before any request, the credential types
// that sign in as a person (UsernamePasswordCredential,
// InteractiveBrowserCredential, DeviceCodeCredential, OnBehalfOfCredential,
// and EnvironmentCredential and DefaultAzureCredential, which may fall back
// to a password) and developer tools; and it refuses any user token the
// credential returns. Guard(c) is NewChain(c).
func Guard(c azcore.TokenCredential) (*Credential, error) {
	return NewChain(c)
}

// NewChain is like [Guard] for several credentials tried in order, with
// azidentity's ChainedTokenCredential semantics: the chain moves on when a
// credential is unavailable (not configured here) and stops at the first
// authentication failure, so a real failure is never masked by a fallback.
// Every member is checked before any request.
func NewChain(cs ...azcore.TokenCredential) (*Credential, error) {
	if len(cs) == 0 {
		return nil, autherrors.New(autherrors.ErrInvalidConfiguration, "credential.NewChain needs at least one credential", "pass the credentials to try, in order", nil)
	}
	for i, c := range cs {
		if c == nil {
			return nil, autherrors.New(autherrors.ErrInvalidConfiguration, fmt.Sprintf("credential %d passed to credential.NewChain is nil", i), "pass a non-nil azcore.TokenCredential", nil)
		}
		if _, ok := c.(*Credential); ok {
			continue // already guarded
		}
		if r := refuseType(c, false); r != nil {
			return nil, autherrors.New(r.code, fmt.Sprintf("credential %d (%T) is refused: %s", i, c, r.reason),
				"use credential.New, which selects a managed identity, workload identity or service principal from the environment", nil)
		}
	}
	var upstream azcore.TokenCredential = cs[0]
	if len(cs) > 1 {
		chain, err := azidentity.NewChainedTokenCredential(cs, nil)
		if err != nil {
			return nil, err
		}
		upstream = chain
	}
	sel := &detect.Result{Kind: detect.Custom, Evidence: []string{fmt.Sprintf("%d caller-supplied credential(s)", len(cs))}}
	return newCredential(upstream, sel, &Options{}, &autherrors.Environment{Kind: string(sel.Kind)})
}
