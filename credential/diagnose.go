package credential

import (
	"errors"
	"strings"

	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/secret"
	"github.com/autoidentity/autoidentity/internal/tokencache"
)

// noIdentity explains a selection of kind none with the most useful finding:
// a malformed setting first (it is the user's typo), then a refused user
// identity (the MFA trap), then an incomplete configuration (what is
// missing), then nothing at all.
func noIdentity(sel *detect.Result) *autherrors.Diagnostic {
	switch {
	case len(sel.Errors) > 0:
		e := sel.Errors[0]
		var more []string
		for _, x := range sel.Errors[1:] {
			more = append(more, x.Variable)
		}
		summary := e.Message
		if len(more) > 0 {
			summary += " (also malformed: " + strings.Join(more, ", ") + ")"
		}
		code := e.Code
		if code == "" {
			code = autherrors.ErrInvalidConfiguration
		}
		remedy := e.Remedy
		if remedy == "" {
			remedy = "correct " + e.Variable + " as described; `autoidentity detect` shows the full report"
		}
		return autherrors.New(code, summary, remedy, nil)
	case len(sel.Refused) > 0:
		r := sel.Refused[0]
		return autherrors.New(r.Code, "no non-interactive identity is configured, and "+r.Reason, r.Remedy, nil)
	case len(sel.Incomplete) > 0:
		in := sel.Incomplete[0]
		summary := "the " + string(in.Kind) + " configuration is incomplete: " + in.Reason
		remedy := "set " + strings.Join(in.Missing, ", ")
		if len(in.Missing) == 0 {
			remedy = "see `autoidentity detect` for the full report"
		}
		if in.ForcedBy != "" {
			remedy += " for " + string(in.Kind) + ", or change " + in.ForcedBy + " to select what is configured"
			var excluded []string
			for _, s := range sel.Skipped {
				excluded = append(excluded, string(s.Kind))
			}
			if len(excluded) > 0 {
				summary += " (configured but excluded by " + in.ForcedBy + ": " + strings.Join(excluded, ", ") + ")"
			}
		}
		return autherrors.New(autherrors.ErrNoIdentity, summary, remedy, nil)
	}
	return autherrors.New(autherrors.ErrNoIdentity, "", "", nil)
}

// environment gives diagnoses what they need to name a remedy for where the
// program runs, and the secret values to mask should a cause echo them.
func environment(sel *detect.Result, sec *secret.Values, env detect.Env) *autherrors.Environment {
	e := autherrors.EnvironmentFromLookup(env.LookupEnv)
	e.Kind = string(sel.Kind)
	if sel.ClientID != "" {
		e.ClientID = sel.ClientID
	}
	if sel.TenantID != "" {
		e.TenantID = sel.TenantID
	}
	if t := sel.FederatedToken; t != nil {
		e.TokenIssuer = t.Issuer
	}
	e.AddSecrets(sec.All()...)
	return e
}

// classify is autherrors.Classify for an error the token cache returned.
// The cache's own failures are matched by type here, never by their text:
//
//   - tokencache.ErrClosed: GetToken after Close, with no valid token
//     cached, is [autherrors.ErrCredentialClosed];
//   - tokencache.ErrExpiredToken: a token that was already expired when it
//     arrived (the inspector refuses those first; this is the cache's
//     backstop) is [autherrors.ErrClockSkew].
//
// Both keep the cache's error as the cause.
func classify(err error) *autherrors.Diagnostic {
	switch {
	case errors.Is(err, tokencache.ErrClosed):
		return autherrors.New(autherrors.ErrCredentialClosed, "", "", err)
	case errors.Is(err, tokencache.ErrExpiredToken):
		return autherrors.New(autherrors.ErrClockSkew, "the token arrived already expired by this machine's clock", "", err)
	}
	return autherrors.Classify(err)
}
