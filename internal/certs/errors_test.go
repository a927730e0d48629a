package certs

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// assertCertError checks the contract every error of this package keeps.
func assertCertError(t *testing.T, err error, reason Reason, path string, phrases ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not *certs.Error: %v", err, err)
	}
	if !errors.Is(err, reason) {
		t.Errorf("Reason = %s, want %s", string(e.Reason), string(reason))
	}
	msg := err.Error()
	if !strings.Contains(msg, PathVariable) {
		t.Errorf("message does not name %s: %s", PathVariable, msg)
	}
	if e.Fix == "" || !strings.Contains(msg, "Fix: "+e.Fix) {
		t.Errorf("message has no fix: %s", msg)
	}
	if path != "" && !strings.Contains(msg, path) {
		t.Errorf("message does not name the file %s: %s", path, msg)
	}
	for _, secret := range []string{canaryPassword, canaryWrong} {
		if strings.Contains(msg, secret) {
			t.Fatalf("message leaks a password: %s", msg)
		}
	}
	for _, p := range phrases {
		if !strings.Contains(msg, p) {
			t.Errorf("message lacks %q: %s", p, msg)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	p12 := func(enc *pkcs12.Encoder, fx *fixture, pw string) []byte {
		data, err := enc.Encode(fx.key, fx.cert, nil, pw)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	trustStore, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{f.rsa.cert}, canaryPassword)
	if err != nil {
		t.Fatal(err)
	}
	good := cat(certPEM(f.rsa.cert), pkcs8PEM(t, f.rsa.key))
	encPEM := cat(certPEM(f.rsa.cert), encryptPKCS8(t, f.rsa.key, canaryPassword, pbes2AES256SHA256))
	legacyPEM := cat(certPEM(f.rsa.cert), legacyEncryptedPEM(t, rsaPrivate(f.rsa), canaryPassword))
	keyDER, _ := x509.MarshalPKCS8PrivateKey(f.rsa.key)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	corrupt := []byte(strings.Replace(string(certPEM(f.rsa.cert)), "M", "!", 3))
	tests := []struct {
		name     string
		data     []byte
		password string
		reason   Reason
		phrases  []string
	}{
		{"pkcs12 modern, wrong password", p12(pkcs12.Modern, f.rsa, canaryPassword), canaryWrong, ReasonWrongPassword, []string{PasswordVariable + " does not decrypt"}},
		{"pkcs12 legacy, wrong password", p12(pkcs12.LegacyDES, f.rsa, canaryPassword), canaryWrong, ReasonWrongPassword, []string{PasswordVariable}},
		{"encrypted pem, wrong password", encPEM, canaryWrong, ReasonWrongPassword, []string{PasswordVariable}},
		{"legacy pem, wrong password", legacyPEM, canaryWrong, ReasonWrongPassword, []string{PasswordVariable}},
		{"pkcs12 modern, no password", p12(pkcs12.Modern, f.rsa, canaryPassword), "", ReasonPasswordRequired, []string{PasswordVariable + " is not set"}},
		{"pkcs12 legacy rc2, no password", p12(pkcs12.LegacyRC2, f.rsa, canaryPassword), "", ReasonPasswordRequired, []string{PasswordVariable + " is not set"}},
		{"encrypted pem, no password", encPEM, "", ReasonPasswordRequired, []string{"ENCRYPTED PRIVATE KEY", PasswordVariable + " is not set"}},
		{"legacy pem, no password", legacyPEM, "", ReasonPasswordRequired, []string{"Proc-Type", PasswordVariable}},
		{"pem .cer, public part only", certPEM(f.rsa.cert), "", ReasonPublicOnly, []string{"this file has only the public certificate", "the private key must be in the same file", "autoidentity-test-rsa"}},
		{"der .cer, public part only", f.rsa.cert.Raw, "", ReasonPublicOnly, []string{"this file has only the public certificate"}},
		{"pkcs12 without key", trustStore, canaryPassword, ReasonPublicOnly, []string{"private key must be in the same file"}},
		{"pem CA bundle", certPEM(f.root.cert, f.intermediate.cert, f.rsa.cert), "", ReasonCABundle, []string{"3 certificates and no private key", "CA bundle"}},
		{"pem key only", pkcs8PEM(t, f.rsa.key), "", ReasonNoCertificate, []string{"no certificate", "cat cert.pem key.pem"}},
		{"der key only", keyDER, "", ReasonNoCertificate, []string{"no certificate"}},
		{"key does not match", cat(certPEM(f.rsa.cert), pkcs8PEM(t, f.rsaOther.key)), "", ReasonKeyMismatch, []string{"belongs to none of the certificates", "autoidentity-test-rsa"}},
		{"two keys", cat(good, pkcs8PEM(t, f.rsaOther.key)), "", ReasonMultipleKeys, []string{"2 private keys"}},
		{"openssh key", cat(certPEM(f.rsa.cert), pemBlock("OPENSSH PRIVATE KEY", []byte("x"))), "", ReasonUnsupportedKey, []string{"OPENSSH PRIVATE KEY", "RSA"}},
		{"ed25519 key for rsa cert", cat(certPEM(f.rsa.cert), pkcs8PEM(t, edKey)), "", ReasonKeyMismatch, nil},
		{"scrypt-encrypted key", cat(certPEM(f.rsa.cert), scryptPEM(t)), canaryPassword, ReasonUnsupportedEncryption, []string{"scrypt", "openssl pkcs8 -topk8 -v2 aes-256-cbc"}},
		{"json file", []byte(`{"appId": "00000000-0000-0000-0000-000000000000", "password": "x", "tenant": "t"}`), "", ReasonNotCertificate, []string{"JSON"}},
		{"random bytes", []byte("\x30\x82\x01\x00" + strings.Repeat("\xa7\x13", 64)), canaryPassword, ReasonNotCertificate, []string{"neither PKCS#12 nor a DER certificate"}},
		{"plain text", []byte("hello, this is not a certificate\n"), "", ReasonNotCertificate, []string{"neither PEM nor PKCS#12"}},
		{"empty file", []byte("\n"), "", ReasonNotCertificate, []string{"empty"}},
		{"base64 of a pfx", []byte(base64.StdEncoding.EncodeToString(p12(pkcs12.Modern, f.rsa, canaryPassword))), canaryPassword, ReasonNotCertificate, []string{"base64 -d"}},
		{"pem without certificate or key", pemBlock("PUBLIC KEY", []byte{1}), "", ReasonNotCertificate, []string{"PUBLIC KEY"}},
		{"corrupt certificate block", cat(corrupt, pkcs8PEM(t, f.rsa.key)), "", ReasonMalformed, []string{"1 of the file's 2 PEM blocks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(tt.data, tt.password)
			assertCertError(t, err, tt.reason, "", tt.phrases...)

			path := filepath.Join(t.TempDir(), "service principal.pfx")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err = LoadFile(path, tt.password)
			assertCertError(t, err, tt.reason, path, tt.phrases...)
		})
	}
}

func TestLoadFileUnreadable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, MaxFileSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"missing":   filepath.Join(dir, "nope.pfx"),
		"directory": dir,
		"too large": big,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadFile(path, canaryPassword)
			assertCertError(t, err, ReasonUnreadable, path)
		})
	}
	t.Run("empty variable", func(t *testing.T) {
		t.Parallel()
		_, err := LoadFile("", canaryPassword)
		assertCertError(t, err, ReasonUnreadable, "", "empty")
	})
}

func TestCheckErrors(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	now := time.Now()
	tests := []struct {
		name    string
		fx      *fixture
		reason  Reason
		phrases []string
	}{
		{"expired", f.expired, ReasonExpired, []string{"expired on " + stamp(f.expired.cert.NotAfter), "AADSTS700027", "az ad app credential reset"}},
		{"not yet valid", f.notYet, ReasonNotYetValid, []string{"not valid until", "clock"}},
		{"ecdsa key", f.ec, ReasonUnsupportedKey, []string{"ECDSA P-256", "only with RSA keys", "rsa:2048"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "sp.pfx")
			data, err := pkcs12.Modern.Encode(tt.fx.key, tt.fx.cert, nil, canaryPassword)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			b, err := LoadFile(path, canaryPassword)
			if err != nil {
				t.Fatalf("loading never fails for dates or key type: %v", err)
			}
			assertCertError(t, b.Check(now), tt.reason, path, tt.phrases...)
		})
	}
}

// scryptPEM is an ENCRYPTED PRIVATE KEY whose PBES2 KDF is scrypt (openssl pkcs8 -scrypt).
func scryptPEM(t *testing.T) []byte {
	params := struct {
		Salt                  []byte
		Cost, Block, Parallel int
	}{make([]byte, 16), 16384, 8, 1}
	der := marshalEPKI(t, oidScrypt, params, oidAES256CBC, make([]byte, 16), make([]byte, 32))
	return pemBlock("ENCRYPTED PRIVATE KEY", der)
}

// TestLoadRefusesRunawayIterations: a PKCS#12 naming millions of KDF
// iterations is refused before any work is done, instead of stalling.
func TestLoadRefusesRunawayIterations(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	data, err := pkcs12.Modern.Encode(f.rsa.key, f.rsa.cert, nil, canaryPassword)
	if err != nil {
		t.Fatal(err)
	}
	if got := pfxIterations(data); got != 2048 {
		t.Fatalf("pfxIterations(modern) = %d, want 2048", got)
	}
	var pfx pfxPDU
	if _, err := asn1.Unmarshal(data, &pfx); err != nil {
		t.Fatal(err)
	}
	pfx.MacData.Iterations = 50_000_000
	hostile, err := asn1.Marshal(pfx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(hostile, canaryPassword)
	assertCertError(t, err, ReasonUnsupportedEncryption, "", "50000000 key-derivation iterations")
}
