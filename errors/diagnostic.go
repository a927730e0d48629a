package autherrors

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Diagnostic is an authentication failure with a stable [Code], what it
// means and what to change. It wraps its cause, so errors.As still reaches
// azidentity's *AuthenticationFailedError through it, and errors.Is(err,
// ErrMFARequired) matches it by code.
//
// Every string field of a Diagnostic that [Parse], [Classify], [New] or
// [Diagnostic.For] returns is redacted and capped: it never holds a
// secret, a password, a client assertion or an access token, even when its
// cause's text did, and no field is longer than [MaxFieldLen]
// ([MaxSubjectLen] for Subject). Error, GoString, Format and JSON print
// those fields only. The cause itself ([Diagnostic.Unwrap]) is returned
// unchanged; its text is never copied into the Diagnostic's own fields or
// message.
type Diagnostic struct {
	// Code is the stable identifier; callers branch on it.
	Code Code `json:"code"`
	// AADSTS is the Microsoft Entra error code that decided Code, such as
	// "AADSTS50076", or "" when the failure carried none.
	AADSTS string `json:"aadsts"`
	// Kind is the credential kind that failed, as detect spells it (for
	// example "service-principal-secret"), when known.
	Kind string `json:"kind,omitempty"`
	// Summary says what happened, in one line.
	Summary string `json:"summary"`
	// Remedy names the concrete action that fixes it.
	Remedy string `json:"remedy"`
	// Docs is a link to Microsoft's documentation for the failure.
	Docs string `json:"docs"`
	// StatusCode is the HTTP status of the failed response, or 0.
	StatusCode int `json:"status,omitempty"`
	// TraceID and CorrelationID identify the request to Microsoft support.
	TraceID       string `json:"trace_id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	// Subject is the assertion subject Entra quoted when no federated
	// identity credential matched (AADSTS700213, 70021), such as
	// "repo:org/repo:ref:refs/heads/main". Subjects are public, but this
	// one is copied from the response, so it is redacted like every field,
	// and a subject longer than [MaxSubjectLen] or with a character no
	// subject has is cut there and ends with [Truncated]. A Subject
	// holding either marker is not repeated in the remedy.
	Subject string `json:"subject,omitempty"`
	// Err is the cause. It is not serialized.
	Err error `json:"-"`

	// certificate: the cause's text names azidentity's
	// ClientCertificateCredential, so a client assertion outside its
	// validity window was certificate-signed (see assertionTimeRemedy).
	certificate bool
	// clean holds the Summary and Remedy values Redact's patterns have
	// run on (New, or the last For), so that the next For runs them only
	// on what changed (see redactor.redactDiagnostic).
	clean [2]string
}

// New returns a Diagnostic with code, summary and remedy, wrapping cause
// (which may be nil). The summary and remedy are redacted with [Redact]
// and capped at [MaxFieldLen]; Docs is the code's documentation link.
// Packages that refuse a configuration (detect and credential) use it for
// [ErrUserIdentityRefused],
// [ErrDeveloperCredentialRefused], [ErrInvalidConfiguration] and
// [ErrNoIdentity]:
//
//	return autherrors.New(autherrors.ErrInvalidConfiguration,
//		"AZURE_CLIENT_ID is not a GUID",
//		"set AZURE_CLIENT_ID to the application (client) ID", nil)
func New(code Code, summary, remedy string, cause error) *Diagnostic {
	info := lookupCode(code)
	if summary == "" {
		summary = info.summary
	}
	if remedy == "" {
		remedy = info.remedy
	}
	var r *redactor // the patterns of Redact only
	d := &Diagnostic{
		Code:    code,
		Summary: r.field(summary),
		Remedy:  r.field(remedy),
		Docs:    info.docs,
		Err:     cause,
	}
	d.clean = [2]string{d.Summary, d.Remedy} // For does not run the patterns again
	return d
}

// Error returns one line for a CI log:
//
//	autoidentity: mfa-required: <summary> (AADSTS50076, trace ID …). Fix: <remedy>
//
// It never contains the cause's text.
func (d *Diagnostic) Error() string {
	if d == nil {
		return "autoidentity: <nil diagnostic>"
	}
	var b strings.Builder
	b.WriteString("autoidentity: ")
	b.WriteString(string(d.Code))
	b.WriteString(": ")
	b.WriteString(strings.TrimSuffix(oneLine(d.Summary), "."))
	var ids []string
	if d.AADSTS != "" {
		ids = append(ids, d.AADSTS)
	}
	if d.StatusCode != 0 {
		ids = append(ids, "HTTP "+strconv.Itoa(d.StatusCode))
	}
	if d.TraceID != "" {
		ids = append(ids, "trace ID "+d.TraceID)
	}
	if len(ids) > 0 {
		b.WriteString(" (" + strings.Join(ids, ", ") + ")")
	}
	if d.Remedy != "" {
		b.WriteString(". Fix: ")
		b.WriteString(oneLine(d.Remedy))
	}
	return b.String()
}

// Format prints a Diagnostic as [Diagnostic.Error] for every verb but %#v,
// which prints [Diagnostic.GoString]. It has a value receiver so that a
// dereferenced Diagnostic (fmt.Print(*d), slog.Any("err", *d), a struct
// that holds one) does not print field by field, which would print the
// cause's text. A nil *Diagnostic prints as <nil>.
func (d Diagnostic) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, d.GoString())
		return
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), d.Error())
}

// GoString keeps %#v from printing the cause's text: it shows the fields
// and the cause's type only.
func (d *Diagnostic) GoString() string {
	if d == nil {
		return "(*autherrors.Diagnostic)(nil)"
	}
	cause := "nil"
	if d.Err != nil {
		cause = fmt.Sprintf("%T", d.Err)
	}
	return fmt.Sprintf("&autherrors.Diagnostic{Code:%q, AADSTS:%q, Kind:%q, Summary:%q, Remedy:%q, Docs:%q, StatusCode:%d, TraceID:%q, CorrelationID:%q, Subject:%q, Err:%s}",
		d.Code, d.AADSTS, d.Kind, d.Summary, d.Remedy, d.Docs, d.StatusCode, d.TraceID, d.CorrelationID, d.Subject, cause)
}

// Unwrap returns the cause.
func (d *Diagnostic) Unwrap() error {
	if d == nil {
		return nil
	}
	return d.Err
}

// Is reports whether target is the Diagnostic's [Code], so that
// errors.Is(err, autherrors.ErrMFARequired) matches.
func (d *Diagnostic) Is(target error) bool {
	c, ok := target.(Code)
	return ok && d != nil && d.Code == c
}

// clone returns a shallow copy.
func (d *Diagnostic) clone() *Diagnostic {
	c := *d
	return &c
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
