package credential

import (
	"strings"

	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/secret"
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
	e.Kind, e.Source = string(sel.Kind), string(sel.Source)
	if sel.ClientID != "" {
		e.ClientID = sel.ClientID
	}
	if sel.TenantID != "" {
		e.TenantID = sel.TenantID
	}
	r := &autherrors.Redactor{}
	r.Add(sec.All()...)
	e.Redactor = r
	return e
}
