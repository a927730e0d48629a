package autherrors

import (
	"context"
	"errors"
	"net"
	"strings"
)

// Classify diagnoses err and returns a Diagnostic wrapping it, or nil for a
// nil err. An err that already contains a *Diagnostic returns that one.
//
// It recognises context deadlines and cancellation, Go network errors
// (*net.DNSError, *net.OpError, *url.Error and any net.Error that timed
// out) and then reads the error's text, which for azidentity's
// *AuthenticationFailedError and MSAL's CallErr includes the token
// endpoint's JSON body (error_codes, error_description, trace_id,
// correlation_id) and the HTTP status. The package stays a leaf on the
// standard library: it imports neither azidentity nor MSAL, because their
// error types expose the response only as a struct field, and their text is
// what both document. errors.As(d, &azidentityErr) keeps working through
// the returned Diagnostic, which unwraps to err.
//
// Classify(err).For(env) writes the remedy for where the program runs.
func Classify(err error) *Diagnostic {
	if err == nil {
		return nil
	}
	var existing *Diagnostic
	if errors.As(err, &existing) && existing != nil {
		return existing
	}
	text := err.Error()
	if len(text) > maxParse {
		text = text[:maxParse]
	}
	d := diagnose(text)
	if d.AADSTS == "" {
		classifyGo(d, err)
	}
	d.Err = err
	return d.For(nil)
}

// classifyGo overrides a text-only diagnosis with what the Go error types
// say for sure.
func classifyGo(d *Diagnostic, err error) {
	var dns *net.DNSError
	var op *net.OpError
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		fill(d, ErrTimeout, "The context deadline passed before a token arrived.", "")
	case errors.Is(err, context.Canceled):
		fill(d, ErrTimeout, "The context was canceled before a token arrived.", "Nothing to fix if the cancellation was intended; otherwise find what canceled the context.")
	case errors.As(err, &dns):
		// The quoted parts are bounded here, redacted and capped by For.
		name := quote(dns.Name)
		fill(d, ErrNetwork, "The DNS lookup of "+name+" failed: "+quote(dns.Err)+".",
			"Check DNS for "+name+" (and AZURE_AUTHORITY_HOST if it names a private or sovereign cloud host).")
	case errors.As(err, &op) && op.Addr != nil && strings.HasPrefix(op.Addr.String(), "169.254.169.254"):
		fill(d, ErrManagedIdentityUnavailable, "The IMDS endpoint 169.254.169.254 could not be reached: this is not an Azure VM, or the endpoint is blocked.", "")
	case errors.As(err, &ne) && ne.Timeout():
		fill(d, ErrTimeout, "The request timed out before the identity endpoint answered.", "")
	case errors.As(err, &op):
		if d.Code != ErrManagedIdentityUnavailable {
			fill(d, ErrNetwork, "The identity endpoint could not be reached ("+quote(op.Op)+" "+quote(addrString(op))+").", "")
		}
	}
}

func addrString(op *net.OpError) string {
	if op.Addr == nil {
		return "unknown address"
	}
	return op.Addr.String()
}
