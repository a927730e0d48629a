package credential

import (
	"errors"

	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/secret"
	"github.com/autoidentity/autoidentity/internal/tokencache"
)

// diagnoser turns errors into *autherrors.Diagnostic values for one
// credential's environment. It is the only place package credential
// diagnoses; a Credential calls it for its cache's own errors and its
// inspector for azidentity's errors and the refusals, so nothing below
// the cache calls back into the Credential.
type diagnoser struct {
	env  *autherrors.Environment
	kind detect.Kind
}

// diagnose turns err into a *autherrors.Diagnostic for the environment. An
// error that is itself a Diagnostic not yet written for an environment (a
// refusal) is given this environment's remedy and redaction; one that
// wraps a Diagnostic already (diagnosed below the cache, then wrapped by a
// remembered failure) is left alone, so that azidentity's error types stay
// reachable through it.
func (g diagnoser) diagnose(err error) error {
	if err == nil {
		return nil
	}
	if d, ok := err.(*autherrors.Diagnostic); ok && d.Kind == "" {
		return d.For(g.env)
	}
	var d *autherrors.Diagnostic
	if errors.As(err, &d) {
		return err
	}
	d = classify(err)
	d.Kind = string(g.kind)
	return d.For(g.env)
}

// environment gives diagnoses what they need to name a remedy for where the
// program runs, all of it decided by detect (sel), and the secret values to
// mask should a cause echo them.
func environment(sel *detect.Result, sec *secret.Values) *autherrors.Environment {
	e := sel.Environment()
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
