package secret

import (
	"fmt"
	"log/slog"
)

// Value holds one credential value (a client secret, a certificate
// password, a CI request token). It redacts itself wherever it could be
// printed: String, GoString, every fmt verb, slog, JSON and text encoders.
// Only the code that hands the value to azidentity calls [Value.Reveal].
type Value struct{ value string }

// New wraps v.
func New(v string) Value { return Value{value: v} }

// Redacted is what a non-empty Value prints as.
const Redacted = "[REDACTED]"

// Reveal returns the value. Call it only to hand the value to azidentity.
func (s Value) Reveal() string { return s.value }

// IsZero reports whether the value is empty.
func (s Value) IsZero() bool { return s.value == "" }

// String returns a redaction marker, or "" for an empty value.
func (s Value) String() string {
	if s.value == "" {
		return ""
	}
	return Redacted
}

// GoString redacts the value for %#v.
func (s Value) GoString() string { return "secret.Value(" + s.String() + ")" }

// Format redacts the value for every fmt verb.
func (s Value) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, s.String())
}

// LogValue redacts the value for log/slog.
func (s Value) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON redacts the value.
func (s Value) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// MarshalText redacts the value for encoders that use encoding.TextMarshaler.
func (s Value) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
