package certs

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// openssl runs the openssl binary in dir, skipping the test when it is absent.
// Passwords reach it through the environment, not the command line.
func openssl(t *testing.T, dir string, args ...string) ([]byte, error) {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl binary not found; the pure-Go encoders cover these formats")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CERTS_TEST_PW="+canaryPassword)
	return cmd.CombinedOutput()
}

// writeKeyAndCert writes the RSA fixture as cert.pem and key.pem in a new directory.
func writeKeyAndCert(t *testing.T, fx *fixture) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string][]byte{"cert.pem": certPEM(fx.cert), "key.pem": pkcs8PEM(t, fx.key)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestOpenSSL3DefaultPKCS12 is the "done when": a file from
// `openssl pkcs12 -export` with OpenSSL 3 defaults fails in azidentity's
// parser and authenticates through Load.
func TestOpenSSL3DefaultPKCS12(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	dir := writeKeyAndCert(t, f.rsa)
	if out, err := openssl(t, dir, "pkcs12", "-export", "-in", "cert.pem", "-inkey", "key.pem", "-out", "sp.pfx", "-passout", "env:CERTS_TEST_PW"); err != nil {
		t.Fatalf("openssl pkcs12 -export: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "sp.pfx"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := azidentity.ParseCertificates(data, []byte(canaryPassword)); err == nil || !strings.Contains(err.Error(), "unknown digest algorithm: 2.16.840.1.101.3.4.2.1") {
		t.Fatalf("azidentity.ParseCertificates(openssl 3 PKCS#12) = %v, want the unknown digest error", err)
	}
	b, err := LoadFile(filepath.Join(dir, "sp.pfx"), canaryPassword)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTokenServer(t, f.rsa.cert, nil)
	if err := authenticate(t, ts, b.Chain, b.Key, false); err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if ts.verified.Load() != 1 {
		t.Fatalf("server verified %d assertions, want 1", ts.verified.Load())
	}
}

// TestOpenSSLFiles loads what the openssl commands users copy from
// tutorials write.
func TestOpenSSLFiles(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	tests := []struct {
		name   string
		args   []string // writes out.pem or out.pfx
		out    string
		reason Reason // "" means Load succeeds
		format Format
	}{
		{"pkcs8 -topk8 default (aes-256-cbc, hmacWithSHA256)", []string{"pkcs8", "-topk8", "-in", "key.pem", "-out", "k.pem", "-passout", "env:CERTS_TEST_PW"}, "k.pem", "", FormatPEMEncrypted},
		{"pkcs8 -v2 aes-128-cbc -v2prf hmacWithSHA1", []string{"pkcs8", "-topk8", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1", "-in", "key.pem", "-out", "k.pem", "-passout", "env:CERTS_TEST_PW"}, "k.pem", "", FormatPEMEncrypted},
		{"pkcs8 -v2 aes-192-cbc -v2prf hmacWithSHA512", []string{"pkcs8", "-topk8", "-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA512", "-in", "key.pem", "-out", "k.pem", "-passout", "env:CERTS_TEST_PW"}, "k.pem", "", FormatPEMEncrypted},
		{"pkcs8 -v2 des3", []string{"pkcs8", "-topk8", "-v2", "des3", "-in", "key.pem", "-out", "k.pem", "-passout", "env:CERTS_TEST_PW"}, "k.pem", "", FormatPEMEncrypted},
		{"pkey -aes256", []string{"pkey", "-aes256", "-in", "key.pem", "-out", "k.pem", "-passout", "env:CERTS_TEST_PW"}, "k.pem", "", FormatPEMEncrypted},
		{"rsa -aes256 -traditional", []string{"rsa", "-aes256", "-traditional", "-in", "key.pem", "-out", "k.pem", "-passout", "env:CERTS_TEST_PW"}, "k.pem", "", FormatPEMLegacyEncrypted},
		{"pkcs8 -scrypt is refused", []string{"pkcs8", "-topk8", "-scrypt", "-in", "key.pem", "-out", "k.pem", "-passout", "env:CERTS_TEST_PW"}, "k.pem", ReasonUnsupportedEncryption, ""},
		{"pkcs8 -v1 PBE-SHA1-3DES is refused", []string{"pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", "key.pem", "-out", "k.pem", "-passout", "env:CERTS_TEST_PW"}, "k.pem", ReasonUnsupportedEncryption, ""},
		{"pkcs12 -export -nokeys", []string{"pkcs12", "-export", "-nokeys", "-in", "cert.pem", "-out", "k.pfx", "-passout", "env:CERTS_TEST_PW"}, "k.pfx", ReasonPublicOnly, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeKeyAndCert(t, f.rsa)
			if out, err := openssl(t, dir, tt.args...); err != nil {
				t.Fatalf("openssl %s: %v\n%s", strings.Join(tt.args, " "), err, out)
			}
			data, err := os.ReadFile(filepath.Join(dir, tt.out))
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(tt.out, ".pem") {
				data = cat(certPEM(f.rsa.cert), data)
			}
			b, err := Load(data, canaryPassword)
			if tt.reason != "" {
				assertCertError(t, err, tt.reason, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !b.Leaf.Equal(f.rsa.cert) || b.Format != tt.format {
				t.Errorf("got leaf %s format %s, want %s %s", b.Leaf.Subject, b.Format, f.rsa.cert.Subject, tt.format)
			}
			if _, err := Load(data, canaryWrong); !errors.Is(err, ReasonWrongPassword) {
				t.Errorf("wrong password: %v", err)
			}
		})
	}
}
