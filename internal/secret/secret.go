// Package secret carries the credential values package detect reads to the
// one place that hands them to azidentity (package credential's build), and
// nowhere else.
//
// A [detect.Result] is a report: it is printed, logged, marshalled and
// returned by credential.Credential.Selection to anyone holding the
// credential. It therefore holds no secret, not even behind a method. The
// values construction needs live in a [Values] that detect attaches to the
// Result through an unexported pointer field (so fmt prints an address, and
// encoding/json and slog see nothing), and that only packages inside this
// module can reach, through [Take].
package secret

import (
	"crypto"
	"crypto/x509"
	"sync/atomic"
)

// Values are what one detection read that must not be reported.
type Values struct {
	// ClientSecret is AZURE_CLIENT_SECRET.
	ClientSecret Value
	// CertificatePassword is AZURE_CLIENT_CERTIFICATE_PASSWORD.
	CertificatePassword Value
	// Certificate and Key are the parsed AZURE_CLIENT_CERTIFICATE_PATH, so
	// the file is read and parsed once, by detect.
	Certificate []*x509.Certificate
	Key         crypto.PrivateKey
	// RequestToken is ACTIONS_ID_TOKEN_REQUEST_TOKEN or SYSTEM_ACCESSTOKEN:
	// the bearer token a CI OIDC request carries.
	RequestToken Value
	// RequestURL is the CI OIDC request URL as set. Reports show it without
	// its query, which may carry signatures.
	RequestURL string
	// Redact lists further values that must never be printed although
	// autoidentity does not send them itself (IDENTITY_HEADER, MSI_SECRET,
	// AZURE_PASSWORD, the other CI tokens): azidentity reads them from the
	// process environment, and a hostile endpoint could echo them back.
	Redact []Value
}

// All returns every secret value, for a redactor.
func (v *Values) All() []string {
	if v == nil {
		return nil
	}
	out := []string{v.ClientSecret.Reveal(), v.CertificatePassword.Reveal(), v.RequestToken.Reveal()}
	for _, r := range v.Redact {
		out = append(out, r.Reveal())
	}
	return out
}

// taker is detect's function that detaches the Values from a
// *detect.Result. This package cannot name detect.Result (detect imports
// it), so the function takes any and detect registers it at init.
var taker atomic.Pointer[func(any) *Values]

// Register installs the taker; package detect calls it once, at init.
func Register(f func(any) *Values) { taker.Store(&f) }

// Take detaches and returns the Values attached to a *detect.Result, so
// that the Result is left a pure report; it returns nil when r is not a
// *detect.Result or carries none (already taken, or nothing secret).
func Take(r any) *Values {
	f := taker.Load()
	if f == nil {
		return nil
	}
	return (*f)(r)
}
