package credential

import (
	"context"

	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"software.sslmate.com/src/go-pkcs12"
)

// TestCertificateFormatsAuthenticate: a certificate in every format users
// have authenticates end to end; the emulator checks the assertion's
// signature against the registered certificate named by its thumbprint.
func TestCertificateFormatsAuthenticate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		key      func() *rsa.PrivateKey
		file     string
		password string
		encode   func(*testing.T, *rsa.PrivateKey, *x509.Certificate) []byte
	}{
		{"PEM, certificate then key", rsa2048, "sp.pem", "", func(t *testing.T, k *rsa.PrivateKey, c *x509.Certificate) []byte {
			return append(certPEM(c), keyPEM(t, k)...)
		}},
		{"PEM, key then certificate, PKCS#1", rsa2048, "sp.pem", "", func(t *testing.T, k *rsa.PrivateKey, c *x509.Certificate) []byte {
			return append(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), certPEM(c)...)
		}},
		{"PEM with an encrypted PKCS#8 key", rsa2048, "sp.pem", certPassword, func(t *testing.T, k *rsa.PrivateKey, c *x509.Certificate) []byte {
			return append(certPEM(c), encryptedKeyPEM(t, k, certPassword)...)
		}},
		{"PKCS#12 modern (AES-256, PBKDF2, SHA-256 MAC)", rsa2048, "sp.pfx", certPassword, func(t *testing.T, k *rsa.PrivateKey, c *x509.Certificate) []byte {
			return encodePFX(t, pkcs12.Modern, k, c, certPassword)
		}},
		{"PKCS#12 legacy 3DES", rsa2048, "sp.p12", certPassword, func(t *testing.T, k *rsa.PrivateKey, c *x509.Certificate) []byte {
			return encodePFX(t, pkcs12.LegacyDES, k, c, certPassword)
		}},
		{"PKCS#12 legacy RC2", rsa2048, "sp.pfx", certPassword, func(t *testing.T, k *rsa.PrivateKey, c *x509.Certificate) []byte {
			return encodePFX(t, pkcs12.LegacyRC2, k, c, certPassword)
		}},
		{"PKCS#12 modern, RSA 4096", rsa4096, "sp4096.pfx", certPassword, func(t *testing.T, k *rsa.PrivateKey, c *x509.Certificate) []byte {
			return encodePFX(t, pkcs12.Modern, k, c, certPassword)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := entratest.Start(t, nil)
			key := tt.key()
			cert := validCert(t, "autoidentity-"+tt.file, key)
			env := certEnv(t, srv, cert, tt.file, tt.encode(t, key, cert), tt.password)
			c, headers := getToken(t, srv, env)
			info := c.Selection().Certificate
			if info == nil || info.ThumbprintSHA256 != sha256Hex(cert) {
				t.Errorf("selection certificate = %+v, want SHA-256 thumbprint %s", info, sha256Hex(cert))
			}
			// MSAL signs with PS256 and names the certificate by its SHA-256
			// thumbprint in standard (not URL) base64.
			if len(headers) == 0 {
				t.Fatal("no client assertion was sent")
			}
			sum := sha256.Sum256(cert.Raw)
			if h := headers[0]; h["alg"] != "PS256" || h["x5t#S256"] != base64.StdEncoding.EncodeToString(sum[:]) {
				t.Errorf("assertion header = %v, want alg PS256 and x5t#S256 of the certificate", h)
			}
			sel, _ := json.Marshal(c.Selection())
			assertNoPassword(t, "selection", fmt.Sprintf("%s %+v %s", c.Selection(), *c.Selection(), sel))
		})
	}
}

// TestCertificateErrors: every unusable certificate fails New with
// certificate-invalid, a message naming AZURE_CLIENT_CERTIFICATE_PATH and
// the fix, and no password.
func TestCertificateErrors(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	key := rsa2048()
	good := validCert(t, "autoidentity-good", key)
	expired := newCert(t, "autoidentity-expired", key, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 1, 9, 15, 0, 0, time.UTC))
	ec := validCert(t, "autoidentity-ecdsa", ecP256())
	other := validCert(t, "autoidentity-other", rsaMore())
	const fixCombined = "point AZURE_CLIENT_CERTIFICATE_PATH at a PEM file holding the certificate and its private key"
	const fixPassword = "set AZURE_CLIENT_CERTIFICATE_PASSWORD to the password the file was exported with"
	tests := []struct {
		name, file, password string
		data                 []byte
		want                 []string
	}{
		{name: "expired", file: "expired.pem", data: append(certPEM(expired), keyPEM(t, key)...),
			want: []string{"expired on 2025-03-01 09:15:00 UTC", "AADSTS700027", "create a new certificate, upload its public part to the app registration"}},
		{name: "ECDSA P-256 is refused", file: "ec.pfx", password: certPassword, data: encodePFX(t, pkcs12.Modern, ecP256(), ec, certPassword),
			want: []string{"ECDSA P-256", "only with RSA keys", "create an RSA certificate"}},
		{name: "wrong password", file: "sp.pfx", password: wrongPassword, data: encodePFX(t, pkcs12.Modern, key, good, certPassword),
			want: []string{"does not decrypt the file", fixPassword}},
		{name: "wrong password, encrypted PEM", file: "sp.pem", password: wrongPassword, data: append(certPEM(good), encryptedKeyPEM(t, key, certPassword)...),
			want: []string{"does not decrypt the file", fixPassword}},
		{name: "missing password", file: "sp.pem", data: append(certPEM(good), encryptedKeyPEM(t, key, certPassword)...),
			want: []string{"AZURE_CLIENT_CERTIFICATE_PASSWORD is not set", fixPassword}},
		{name: "no private key", file: "sp.pem", data: certPEM(good),
			want: []string{"only the public certificate", fixCombined}},
		{name: "public-only .cer", file: "sp.cer", data: good.Raw,
			want: []string{"only the public certificate", "the .cer/.crt uploaded to the app registration is only the public half"}},
		{name: "key does not match the certificate", file: "sp.pem", data: append(certPEM(other), keyPEM(t, key)...),
			want: []string{"the private key belongs to none of the certificates", "CN=autoidentity-other"}},
		{name: "a JSON file", file: "sp.json", password: certPassword, data: []byte(`{"password":"` + certPassword + `"}`),
			want: []string{"the file is JSON, not a certificate", fixCombined}},
		{name: "a CA bundle", file: "ca.pem", data: certPEM(good, other),
			want: []string{"looks like a CA bundle", fixCombined}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := certEnv(t, srv, nil, tt.file, tt.data, tt.password)
			c, err := New(&Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()})
			if err == nil {
				c.Close()
				t.Fatal("New succeeded")
			}
			wantCertificateError(t, err, env["AZURE_CLIENT_CERTIFICATE_PATH"], tt.want)
		})
	}
}

func wantCertificateError(t *testing.T, err error, path string, want []string) {
	t.Helper()
	if !errors.Is(err, autherrors.ErrCertificateInvalid) {
		t.Errorf("error is not %s: %v", autherrors.ErrCertificateInvalid, err)
	}
	msg := err.Error()
	t.Log(msg)
	for _, s := range append([]string{"AZURE_CLIENT_CERTIFICATE_PATH", path, "Fix: "}, want...) {
		if !strings.Contains(msg, s) {
			t.Errorf("error lacks %q:\n%s", s, msg)
		}
	}
	j, _ := json.Marshal(err)
	assertNoPassword(t, "error", msg+"\n"+string(j))
}

// TestCertificateReadOnce: detect reads, parses and checks the file;
// credential builds from what detect parsed and never reads the file again,
// so a file removed (or swapped) after New changes nothing.
func TestCertificateReadOnce(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	key := rsa2048()
	cert := validCert(t, "autoidentity-read-once", key)
	env := certEnv(t, srv, cert, "sp.pfx", encodePFX(t, pkcs12.Modern, key, cert, certPassword), certPassword)
	c, err := New(&Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := os.WriteFile(env["AZURE_CLIENT_CERTIFICATE_PATH"], []byte("not a certificate any more"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{armScope}}); err != nil {
		t.Fatalf("GetToken after the file changed: %v", err)
	}
}

// TestOpenSSL3PKCS12 is the acceptance test: a PKCS#12 file made by
// `openssl pkcs12 -export` with OpenSSL 3 defaults (AES-256-CBC, PBKDF2,
// SHA-256 MAC) authenticates through New, while plain azidentity cannot
// even parse it.
func TestOpenSSL3PKCS12(t *testing.T) {
	t.Parallel()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed: cannot produce an OpenSSL 3 PKCS#12 file")
	}
	out, err := exec.Command(openssl, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "OpenSSL 3.") {
		t.Skipf("need OpenSSL 3 for its modern PKCS#12 defaults; %s says %q (%v)", openssl, out, err)
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(openssl, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PFX_PASSWORD="+certPassword)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// As a user would: a key and self-signed certificate, then the export
	// (the password from the environment, not the command line).
	run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=autoidentity-openssl3")
	run("pkcs12", "-export", "-in", "cert.pem", "-inkey", "key.pem", "-out", "sp.pfx", "-passout", "env:PFX_PASSWORD")
	pfx, err := os.ReadFile(filepath.Join(dir, "sp.pfx"))
	if err != nil {
		t.Fatal(err)
	}
	certData, err := os.ReadFile(filepath.Join(dir, "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(certData)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}

	// Plain azidentity rejects the file with an error that tells a user nothing.
	_, _, perr := azidentity.ParseCertificates(pfx, []byte(certPassword))
	if perr == nil || !strings.Contains(perr.Error(), "pkcs12: unknown digest algorithm: 2.16.840.1.101.3.4.2.1") {
		t.Errorf("azidentity.ParseCertificates error = %v, want pkcs12: unknown digest algorithm: 2.16.840.1.101.3.4.2.1", perr)
	}

	// New loads it and authenticates with it.
	srv := entratest.Start(t, nil)
	env := certEnv(t, srv, cert, "sp.pfx", pfx, certPassword)
	c, headers := getToken(t, srv, env)
	if info := c.Selection().Certificate; info == nil || info.ThumbprintSHA256 != sha256Hex(cert) || info.Subject != "CN=autoidentity-openssl3" {
		t.Errorf("selection certificate = %+v, want CN=autoidentity-openssl3 with SHA-256 %s", info, sha256Hex(cert))
	}
	if len(headers) == 0 || headers[0]["alg"] != "PS256" {
		t.Errorf("assertion headers = %v, want alg PS256", headers)
	}
}
