package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// ExpiryWarning is how long before NotAfter [Bundle.Describe] starts warning.
const ExpiryWarning = 30 * 24 * time.Hour

// Format says how the file was encoded; spelled as a JSON report prints it.
type Format string

// The formats [Load] reads.
const (
	FormatPEM                Format = "pem"                  // unencrypted key
	FormatPEMEncrypted       Format = "pem_encrypted_pkcs8"  // ENCRYPTED PRIVATE KEY (PBES2)
	FormatPEMLegacyEncrypted Format = "pem_legacy_encrypted" // Proc-Type: 4,ENCRYPTED
	FormatPKCS12             Format = "pkcs12"               // .pfx/.p12, legacy or modern
)

// Bundle is a parsed certificate file: what azidentity's
// NewClientCertificateCredential takes (Chain and Key) and what a report
// shows ([Bundle.Info]). Its String, GoString, LogValue and MarshalJSON
// show only public facts, never the key.
type Bundle struct {
	// Chain is the leaf first, then its issuers, then any other
	// certificates of the file. Pass it as the certs argument.
	Chain []*x509.Certificate
	// Format is the file's encoding.
	Format Format
	// Key is the private key: *rsa.PrivateKey, *ecdsa.PrivateKey or
	// ed25519.PrivateKey. Only RSA passes [Bundle.Check].
	Key crypto.PrivateKey
	// Leaf is the certificate whose public key matches Key.
	Leaf *x509.Certificate
	// Path is the file [LoadFile] read; empty after [Load].
	Path string
}

// Info is the public description of a certificate, for reports. Nothing
// in it is secret: the thumbprints are what the app registration lists.
type Info struct {
	Subject          string    `json:"subject"`
	Issuer           string    `json:"issuer"`
	ThumbprintSHA1   string    `json:"thumbprint_sha1"`   // uppercase hex, as the Azure portal and PowerShell show it
	ThumbprintSHA256 string    `json:"thumbprint_sha256"` // uppercase hex
	NotBefore        time.Time `json:"not_before"`
	NotAfter         time.Time `json:"not_after"`
	KeyType          string    `json:"key_type"` // "RSA 2048", "ECDSA P-256", "Ed25519"
	Format           Format    `json:"format"`
	ChainLength      int       `json:"chain_length"`
}

// Info describes b's leaf certificate.
func (b *Bundle) Info() Info {
	sum := sha256.Sum256(b.Leaf.Raw)
	return Info{
		Subject:          b.Leaf.Subject.String(),
		Issuer:           b.Leaf.Issuer.String(),
		ThumbprintSHA1:   thumbprint1(b.Leaf),
		ThumbprintSHA256: fmt.Sprintf("%X", sum[:]),
		NotBefore:        b.Leaf.NotBefore.UTC(),
		NotAfter:         b.Leaf.NotAfter.UTC(),
		KeyType:          keyType(b.Key),
		Format:           b.Format,
		ChainLength:      len(b.Chain),
	}
}

// Check reports whether b can authenticate to Microsoft Entra ID through
// azidentity at time now: the key must be RSA (azidentity v1.15 hands the
// key to MSAL Go, whose NewCredFromCert refuses any other with "key must be
// an RSA key") and the leaf must be within its validity period (Entra
// answers AADSTS700027 for an expired certificate). It returns nil or an
// [*Error] with [ReasonUnsupportedKey], [ReasonExpired] or [ReasonNotYetValid].
func (b *Bundle) Check(now time.Time) error {
	info := b.Info()
	who := fmt.Sprintf("the certificate %s (SHA-1 %s)", info.Subject, info.ThumbprintSHA1)
	if _, ok := b.Key.(*rsa.PrivateKey); !ok {
		return &Error{Reason: ReasonUnsupportedKey, Path: b.Path,
			Problem: fmt.Sprintf("%s has an %s key; azidentity (MSAL Go) signs Microsoft Entra client assertions only with RSA keys", who, info.KeyType),
			Fix:     fixRSA}
	}
	if now.After(b.Leaf.NotAfter) {
		return &Error{Reason: ReasonExpired, Path: b.Path,
			Problem: fmt.Sprintf("%s expired on %s; Microsoft Entra answers AADSTS700027 for it", who, stamp(b.Leaf.NotAfter)),
			Fix:     fixRenew}
	}
	if now.Before(b.Leaf.NotBefore) {
		return &Error{Reason: ReasonNotYetValid, Path: b.Path,
			Problem: fmt.Sprintf("%s is not valid until %s", who, stamp(b.Leaf.NotBefore)),
			Fix:     "check this machine's clock, or wait until the certificate's start date"}
	}
	return nil
}

// Describe returns b's [Info], warnings for the report (the certificate
// expires within [ExpiryWarning]) and the error of [Bundle.Check].
func (b *Bundle) Describe(now time.Time) (Info, []string, error) {
	info := b.Info()
	var warnings []string
	if left := b.Leaf.NotAfter.Sub(now); left >= 0 && left < ExpiryWarning {
		warnings = append(warnings, fmt.Sprintf(
			"%s: the certificate %s (SHA-1 %s) expires on %s, in %d days; before then, %s",
			PathVariable, info.Subject, info.ThumbprintSHA1, stamp(b.Leaf.NotAfter), int(left.Hours()/24), fixRenew))
	}
	return info, warnings, b.Check(now)
}

// String describes b without its key.
func (b Bundle) String() string {
	if b.Leaf == nil {
		return "certs.Bundle{}"
	}
	i := b.Info()
	return fmt.Sprintf("certs.Bundle{subject=%q thumbprint_sha1=%s not_after=%s key=%s format=%s}",
		i.Subject, i.ThumbprintSHA1, stamp(i.NotAfter), i.KeyType, i.Format)
}

// GoString is String, so %#v does not print the key either.
func (b Bundle) GoString() string { return b.String() }

// LogValue logs the public [Info] only.
func (b Bundle) LogValue() slog.Value {
	if b.Leaf == nil {
		return slog.GroupValue()
	}
	i := b.Info()
	return slog.GroupValue(slog.String("subject", i.Subject), slog.String("thumbprint_sha1", i.ThumbprintSHA1),
		slog.Time("not_after", i.NotAfter), slog.String("key_type", i.KeyType))
}

// MarshalJSON encodes the public [Info] only.
func (b Bundle) MarshalJSON() ([]byte, error) {
	if b.Leaf == nil {
		return []byte("null"), nil
	}
	return json.Marshal(b.Info())
}

// thumbprint1 is the SHA-1 thumbprint in uppercase hex.
func thumbprint1(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw)
	return fmt.Sprintf("%X", sum[:])
}

// keyType names a key for people: "RSA 2048", "ECDSA P-256".
func keyType(k crypto.PrivateKey) string {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PrivateKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PrivateKey:
		return "Ed25519"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", k), "*")
}

// stamp formats a time for messages.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }
