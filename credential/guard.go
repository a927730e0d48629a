package credential

import (
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// ChainOptions configure [Guard] and [NewChain]. The zero value accepts
// only the credential types that are app-only by construction.
type ChainOptions struct {
	// AllowDeveloperTools accepts azidentity's AzureCLICredential,
	// AzureDeveloperCLICredential and AzurePowerShellCredential, for local
	// runs: their tokens act as the person signed in to the tool. On a CI
	// runner (see detect.CI, read from the process environment) only app
	// tokens are accepted from them even so. Default false: refused.
	AllowDeveloperTools bool

	// AllowUnknownTypes accepts credentials whose type autoidentity cannot
	// prove app-only: your own azcore.TokenCredential implementations,
	// wrappers around azidentity's credentials, and
	// azidentity.ChainedTokenCredential (use NewChain instead). Such a
	// credential may send a person's password, or wait for a person at a
	// device-code prompt, before autoidentity sees anything: autoidentity
	// can then only refuse the token it returns, which it still does (every
	// token must be proven app-only). Default false: refused.
	AllowUnknownTypes bool

	// OpaqueTokenResources lists resources (e.g. "https://contoso.example")
	// known to issue app tokens that are not readable JWTs (opaque or
	// encrypted). A token whose claims cannot be read is refused, because it
	// cannot be proven app-only, unless every scope of its request belongs
	// to one of these resources. Default nil: none.
	OpaqueTokenResources []string
}

// Guard wraps a caller-supplied credential with autoidentity's refusals,
// diagnosis and cache. It accepts, by type, only credentials that are
// app-only by construction: azidentity's ClientSecretCredential,
// ClientCertificateCredential, ClientAssertionCredential,
// WorkloadIdentityCredential, ManagedIdentityCredential and
// AzurePipelinesCredential, and a [*Credential]. Everything else is refused
// before any request, unless opts allows it; and every token any credential
// returns must be proven app-only. Guard(c, opts) is NewChain with one
// credential. A nil opts means the zero [ChainOptions].
func Guard(c azcore.TokenCredential, opts *ChainOptions) (*Credential, error) {
	return NewChain([]azcore.TokenCredential{c}, opts)
}

// NewChain is like [Guard] for several credentials tried in order, with
// azidentity's ChainedTokenCredential semantics: the chain moves on when a
// credential is unavailable (not configured here) and stops at the first
// authentication failure, so a real failure is never masked by a fallback.
// Every member is checked before any request. A nil opts means the zero
// [ChainOptions].
func NewChain(creds []azcore.TokenCredential, opts *ChainOptions) (*Credential, error) {
	var o ChainOptions
	if opts != nil {
		o = *opts
		o.OpaqueTokenResources = append([]string(nil), opts.OpaqueTokenResources...)
	}
	if err := checkResources("ChainOptions.OpaqueTokenResources", o.OpaqueTokenResources); err != nil {
		return nil, autherrors.New(autherrors.ErrInvalidConfiguration, "credential: "+err.Error(), "correct the option named above", nil)
	}
	if len(creds) == 0 {
		return nil, autherrors.New(autherrors.ErrInvalidConfiguration, "credential.NewChain needs at least one credential", "pass the credentials to try, in order", nil)
	}
	developer := false
	for i, c := range creds {
		v := vet(c)
		switch v {
		case nilCredential:
			return nil, autherrors.New(autherrors.ErrInvalidConfiguration, fmt.Sprintf("credential %d passed to credential.NewChain is nil", i), "pass a non-nil azcore.TokenCredential", nil)
		case appOnly:
			continue
		case developerTool:
			developer = true
			if o.AllowDeveloperTools {
				continue
			}
			return nil, autherrors.New(autherrors.ErrDeveloperCredentialRefused,
				fmt.Sprintf("credential %d (%T) is refused: it uses a developer's sign-in, which acts as a person", i, c),
				"for local runs set ChainOptions.AllowDeveloperTools; in automation use credential.New, which selects a managed identity, workload identity or service principal", nil)
		case unknown:
			if o.AllowUnknownTypes {
				continue
			}
			return nil, autherrors.New(autherrors.ErrUserIdentityRefused,
				fmt.Sprintf("credential %d (%T) is refused: autoidentity cannot prove that this type never signs in as a person (a wrapper or chain may hold a password credential)", i, c),
				"pass azidentity's app-only credentials themselves (not wrapped, not chained: list them in credential.NewChain), or use credential.New; to accept this type anyway set ChainOptions.AllowUnknownTypes (its tokens are still inspected)", nil)
		default: // a user flow
			return nil, autherrors.New(autherrors.ErrUserIdentityRefused,
				fmt.Sprintf("credential %d (%T) is refused: %s", i, c, v),
				"use credential.New, which selects a managed identity, workload identity or service principal from the environment", nil)
		}
	}
	var upstream azcore.TokenCredential = creds[0]
	if len(creds) > 1 {
		chain, err := azidentity.NewChainedTokenCredential(creds, nil)
		if err != nil {
			return nil, err
		}
		upstream = chain
	}
	sel := &detect.Result{Kind: custom, Evidence: []string{fmt.Sprintf("%d caller-supplied credential(s)", len(creds))}}
	return newCredential(upstream, sel, inspection{
		allowUser: developer && o.AllowDeveloperTools && !onCI(nil),
		opaque:    o.OpaqueTokenResources,
	}, nil, &autherrors.Environment{Kind: string(sel.Kind)})
}

// custom is the kind [Guard] and [NewChain] report in Selection: a
// caller-supplied credential. It is credential's decision (detect never
// selects it), so it is defined here; its JSON value is "custom".
const custom detect.Kind = "custom"

// verdict is what [vet] decides about a credential's type.
type verdict string

const (
	appOnly       verdict = "app-only"
	developerTool verdict = "developer-tool"
	unknown       verdict = "unknown"
	nilCredential verdict = "nil"
)

// vet is layer one of the refusal: an allow-list of credential types that
// are app-only by construction. A type switch over strangers would be a
// deny-list, and a deny-list fails open (a wrapper, a chain, a type added
// to azidentity next year); so every type not named here is unknown. Layer
// zero (wire.go) stops password grants on the wire for what New builds;
// layer two (inspect.go) proves every token app-only.
func vet(c azcore.TokenCredential) verdict {
	switch c := c.(type) {
	case nil:
		return nilCredential
	case *Credential:
		return nonNil(c != nil, appOnly)
	case *azidentity.ClientSecretCredential:
		return nonNil(c != nil, appOnly)
	case *azidentity.ClientCertificateCredential:
		return nonNil(c != nil, appOnly)
	case *azidentity.ClientAssertionCredential:
		return nonNil(c != nil, appOnly)
	case *azidentity.WorkloadIdentityCredential:
		return nonNil(c != nil, appOnly)
	case *azidentity.ManagedIdentityCredential:
		// Cloud Shell's and a bare Azure ML compute instance's endpoints
		// answer with the user's token; layer two refuses those.
		return nonNil(c != nil, appOnly)
	case *azidentity.AzurePipelinesCredential:
		return nonNil(c != nil, appOnly)
	case *azidentity.AzureCLICredential:
		return nonNil(c != nil, developerTool)
	case *azidentity.AzureDeveloperCLICredential:
		return nonNil(c != nil, developerTool)
	case *azidentity.AzurePowerShellCredential:
		return nonNil(c != nil, developerTool)
	//lint:ignore SA1019 named only to refuse it
	case *azidentity.UsernamePasswordCredential:
		return "UsernamePasswordCredential signs in as a user with a password (ROPC), which mandatory MFA breaks"
	case *azidentity.InteractiveBrowserCredential:
		return "InteractiveBrowserCredential signs in a person through a browser"
	case *azidentity.DeviceCodeCredential:
		return "DeviceCodeCredential waits for a person to enter a code"
	case *azidentity.OnBehalfOfCredential:
		return "OnBehalfOfCredential acts for the user whose token it exchanges"
	case *azidentity.EnvironmentCredential:
		return "EnvironmentCredential falls back to AZURE_USERNAME/AZURE_PASSWORD (ROPC)"
	case *azidentity.DefaultAzureCredential:
		return "DefaultAzureCredential may use a password or a developer's sign-in"
	}
	return unknown
}

// nonNil returns v, or nilCredential for a typed nil pointer, whose
// GetToken would panic.
func nonNil(ok bool, v verdict) verdict {
	if !ok {
		return nilCredential
	}
	return v
}
