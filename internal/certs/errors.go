package certs

import (
	"fmt"
	"strings"
)

// PathVariable is the environment variable that names the certificate
// file. Every [Error] names it so a user knows which setting to change.
const PathVariable = "AZURE_CLIENT_CERTIFICATE_PATH"

// PasswordVariable is the environment variable that holds the password of
// an encrypted certificate file. Its value never appears in an [Error].
const PasswordVariable = "AZURE_CLIENT_CERTIFICATE_PASSWORD"

// Reason classifies an [Error]. Reasons are stable and spelled as a JSON
// report prints them; the message text is not. A Reason is itself an error
// so that errors.Is(err, certs.ReasonWrongPassword) works.
type Reason string

// The reasons [Load], [LoadFile] and [Bundle.Check] report.
const (
	// ReasonUnreadable: the file cannot be read (missing, a directory, too large).
	ReasonUnreadable Reason = "unreadable"
	// ReasonNotCertificate: the file is neither PEM nor PKCS#12 (JSON, text, random bytes, empty).
	ReasonNotCertificate Reason = "not_certificate"
	// ReasonMalformed: the file looks like PEM or PKCS#12 but a part of it is corrupt.
	ReasonMalformed Reason = "malformed"
	// ReasonPasswordRequired: the file is encrypted and no password was given.
	ReasonPasswordRequired Reason = "password_required"
	// ReasonWrongPassword: the password does not decrypt the file.
	ReasonWrongPassword Reason = "wrong_password"
	// ReasonUnsupportedEncryption: the file is encrypted with a scheme this package does not implement.
	ReasonUnsupportedEncryption Reason = "unsupported_encryption"
	// ReasonPublicOnly: the file holds one certificate and no private key (a .cer/.crt).
	ReasonPublicOnly Reason = "public_only"
	// ReasonCABundle: the file holds several certificates and no private key.
	ReasonCABundle Reason = "ca_bundle"
	// ReasonNoCertificate: the file holds a private key but no certificate.
	ReasonNoCertificate Reason = "no_certificate"
	// ReasonMultipleKeys: the file holds more than one private key.
	ReasonMultipleKeys Reason = "multiple_keys"
	// ReasonKeyMismatch: the private key belongs to none of the certificates.
	ReasonKeyMismatch Reason = "key_mismatch"
	// ReasonUnsupportedKey: the key type cannot sign an Entra client assertion.
	ReasonUnsupportedKey Reason = "unsupported_key"
	// ReasonExpired: the certificate's NotAfter has passed.
	ReasonExpired Reason = "expired"
	// ReasonNotYetValid: the certificate's NotBefore is in the future.
	ReasonNotYetValid Reason = "not_yet_valid"
)

// Error implements error so a Reason can be the target of errors.Is.
func (r Reason) Error() string { return "certs: " + string(r) }

// Error is the error every function of this package returns. Its message
// names [PathVariable] (and the file when known), the problem and the fix.
// It never contains the password.
type Error struct {
	// Reason classifies the failure.
	Reason Reason `json:"reason"`
	// Path is the file, when known (set by [LoadFile] and [Bundle.Check]).
	Path string `json:"path,omitempty"`
	// Problem says what is wrong, in a sentence.
	Problem string `json:"problem"`
	// Fix says what to do about it.
	Fix string `json:"fix"`
	// Err is the underlying cause, if any.
	Err error `json:"-"`
}

// Error formats the error as
// "certs: AZURE_CLIENT_CERTIFICATE_PATH ("file"): problem: cause. Fix: fix".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("certs: ")
	b.WriteString(PathVariable)
	if e.Path != "" {
		fmt.Fprintf(&b, " (%q)", e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Problem)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	b.WriteString(". Fix: ")
	b.WriteString(e.Fix)
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's [Reason].
func (e *Error) Is(target error) bool {
	r, ok := target.(Reason)
	return ok && r == e.Reason
}

// Fixes shared by several reasons.
const (
	fixCombined = "point " + PathVariable + " at a PEM file holding the certificate and its private key " +
		"(cat cert.pem key.pem > combined.pem) or at the .pfx/.p12 exported with its private key"
	fixPassword = "set " + PasswordVariable + " to the password the file was exported with " +
		"(watch for a trailing newline or quotes copied with it)"
	fixReexport = "re-export it with OpenSSL 3 defaults: openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx"
	fixRSA      = "create an RSA certificate (openssl req -x509 -newkey rsa:2048 -keyout key.pem -out cert.pem -days 365), " +
		"upload cert.pem to the app registration and point " + PathVariable + " at the combined file"
	fixRenew = "create a new certificate, upload its public part to the app registration " +
		"(az ad app credential reset --id <app-id> --cert @cert.pem --append) and point " + PathVariable + " at the new file"
)
