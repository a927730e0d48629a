package detect

import (
	"strings"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// Diagnostic explains a Result of kind [None], the diagnostic
// credential.New returns and `autoidentity detect` prints for it, so both
// give one answer: the most useful finding first — a malformed setting
// (the user's typo), then a refused identity (the MFA trap: a password is
// user-identity-refused), then an incomplete configuration (what is
// missing), then nothing at all, with the ways to configure an identity
// for where the program runs. It is nil when an identity was selected.
// Its remedy is generic until written for the environment
// (Diagnostic.For(r.Environment())).
func (r *Result) Diagnostic() *autherrors.Diagnostic {
	if r == nil {
		return autherrors.New(autherrors.ErrNoIdentity, "", "", nil)
	}
	if r.Kind != None && r.Kind != "" {
		return nil
	}
	sel := r
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
	case len(r.LocalTools) > 0:
		return autherrors.New(autherrors.ErrNoIdentity, "", "this is not a CI runner, and "+strings.Join(r.LocalTools, ", ")+
			" is on PATH: on a developer machine, opt in to the developer tools with credential.Options.AllowDeveloperTools (CLI: --allow-developer-tools); "+
			"tokens then act as the person signed in to them, for local development only. Unattended, configure a managed identity, workload identity or service principal", nil)
	}
	return autherrors.New(autherrors.ErrNoIdentity, "", "", nil)
}
