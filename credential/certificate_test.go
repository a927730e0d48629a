package credential

import (
	"bytes"
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"software.sslmate.com/src/go-pkcs12"
)

// Canary certificate passwords: no error, log or report may contain them.
const (
	certPassword  = "CANARY-cert-PW-4e9b2f"
	wrongPassword = "CANARY-wrong-PW-81c3d7"
)

// Keys are generated once per test binary: RSA key generation is slow.
var (
	rsa2048 = sync.OnceValue(func() *rsa.PrivateKey { return mustKey(rsa.GenerateKey(rand.Reader, 2048)) })
	rsa4096 = sync.OnceValue(func() *rsa.PrivateKey { return mustKey(rsa.GenerateKey(rand.Reader, 4096)) })
	rsaMore = sync.OnceValue(func() *rsa.PrivateKey { return mustKey(rsa.GenerateKey(rand.Reader, 2048)) })
	ecP256  = sync.OnceValue(func() *ecdsa.PrivateKey { return mustKey(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)) })
)

func mustKey[K any](k K, err error) K {
	if err != nil {
		panic("generating a test key: " + err.Error())
	}
	return k
}

// newCert issues a self-signed client certificate for key, valid from
// notBefore to notAfter.
func newCert(t *testing.T, cn string, key crypto.Signer, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn}, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func validCert(t *testing.T, cn string, key crypto.Signer) *x509.Certificate {
	return newCert(t, cn, key, time.Now().Add(-time.Hour), time.Now().Add(365*24*time.Hour))
}

func certPEM(cs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range cs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

func keyPEM(t *testing.T, key crypto.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

var (
	oidPBES2          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidAES256CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

// encryptedKeyPEM writes key as an "ENCRYPTED PRIVATE KEY" the way
// OpenSSL 3 does by default (openssl pkcs8 -topk8): PBES2 with PBKDF2
// (HMAC-SHA-256) and AES-256-CBC, per RFC 8018.
func encryptedKeyPEM(t *testing.T, key crypto.PrivateKey, password string) []byte {
	t.Helper()
	plain, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	salt, iv := make([]byte, 16), make([]byte, aes.BlockSize)
	rand.Read(salt)
	rand.Read(iv)
	const iterations = 2048
	dk, err := pbkdf2.Key(sha256.New, password, salt, iterations, 32)
	if err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher(dk)
	if err != nil {
		t.Fatal(err)
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	plain = append(plain, bytes.Repeat([]byte{byte(pad)}, pad)...)
	ct := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, plain)

	raw := func(v any) asn1.RawValue {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return asn1.RawValue{FullBytes: b}
	}
	kdf := struct {
		Salt       []byte
		Iterations int
		PRF        pkix.AlgorithmIdentifier
	}{salt, iterations, pkix.AlgorithmIdentifier{Algorithm: oidHMACWithSHA256, Parameters: asn1.NullRawValue}}
	params := struct{ KDF, Cipher pkix.AlgorithmIdentifier }{
		pkix.AlgorithmIdentifier{Algorithm: oidPBKDF2, Parameters: raw(kdf)},
		pkix.AlgorithmIdentifier{Algorithm: oidAES256CBC, Parameters: raw(iv)},
	}
	der, err := asn1.Marshal(struct {
		Algorithm pkix.AlgorithmIdentifier
		Data      []byte
	}{pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: raw(params)}, ct})
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})
}

func encodePFX(t *testing.T, enc *pkcs12.Encoder, key crypto.PrivateKey, cert *x509.Certificate, password string) []byte {
	t.Helper()
	data, err := enc.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// certEnv registers cert on the emulator's default app, writes data to a
// file and returns the environment of a service principal using it.
func certEnv(t *testing.T, srv *entratest.Server, cert *x509.Certificate, name string, data []byte, password string) map[string]string {
	t.Helper()
	if cert != nil {
		if err := srv.UpdateApp(entratest.DefaultClientID, func(a *entratest.App) { a.Certificates = append(a.Certificates, cert) }); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	env := srv.Env()
	env["AZURE_CLIENT_CERTIFICATE_PATH"] = path
	if password != "" {
		env["AZURE_CLIENT_CERTIFICATE_PASSWORD"] = password
	}
	return env
}

// assertionRecorder keeps the header of every client assertion sent, to
// see what MSAL puts there.
type assertionRecorder struct {
	next    policy.Transporter
	mu      sync.Mutex
	headers []map[string]any
}

func (r *assertionRecorder) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && strings.HasSuffix(req.URL.Path, "/token") {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if a := form.Get("client_assertion"); a != "" {
			var h map[string]any
			seg, _, _ := strings.Cut(a, ".")
			if raw, err := base64.RawURLEncoding.DecodeString(seg); err == nil && json.Unmarshal(raw, &h) == nil {
				r.mu.Lock()
				r.headers = append(r.headers, h)
				r.mu.Unlock()
			}
		}
	}
	return r.next.Do(req)
}

// getToken builds a credential from env and asks for a token; it returns
// the credential and what MSAL put in the client assertion headers.
func getToken(t *testing.T, srv *entratest.Server, env map[string]string) (*Credential, []map[string]any) {
	t.Helper()
	co := srv.ClientOptions()
	rec := &assertionRecorder{next: co.Transport}
	co.Transport = rec
	c, err := New(&Options{Env: detect.MapEnv(env), ClientOptions: co})
	if err != nil {
		assertNoPassword(t, "New error", err.Error())
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tok, err := c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{armScope}})
	if err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if tok.Token == "" {
		t.Fatal("GetToken returned an empty token")
	}
	if c.Selection().Kind != detect.ServicePrincipalCertificate {
		t.Errorf("kind = %s, want %s", c.Selection().Kind, detect.ServicePrincipalCertificate)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return c, rec.headers
}

func assertNoPassword(t *testing.T, what, s string) {
	t.Helper()
	for _, p := range []string{certPassword, wrongPassword} {
		if strings.Contains(s, p) {
			t.Errorf("%s contains the password %q:\n%s", what, p, s)
		}
	}
	assertNoCanary(t, what, s)
}

func sha256Hex(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

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
			assertNoPassword(t, "selection", c.Selection().String())
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

// TestBuildCertificateError: should the file change between detection and
// construction, build reports the certs error itself, with the fix as
// the remedy.
func TestBuildCertificateError(t *testing.T) {
	t.Parallel()
	key := rsa2048()
	data := encodePFX(t, pkcs12.Modern, key, validCert(t, "autoidentity-build", key), certPassword)
	path := filepath.Join(t.TempDir(), "sp.pfx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sel := &detect.Result{Kind: detect.ServicePrincipalCertificate, TenantID: entratest.DefaultTenantID, ClientID: entratest.DefaultClientID,
		CertificatePath: path, CertificatePassword: detect.NewSecret(wrongPassword)}
	_, err := build(sel, &Options{}, detect.MapEnv(nil))
	wantCertificateError(t, err, path, []string{"does not decrypt the file"})
	var d *autherrors.Diagnostic
	if !errors.As(err, &d) || !strings.HasPrefix(d.Remedy, "set AZURE_CLIENT_CERTIFICATE_PASSWORD") || !strings.Contains(d.Summary, "AZURE_CLIENT_CERTIFICATE_PATH") {
		t.Errorf("diagnostic = %#v, want the certs problem as summary and its fix as remedy", d)
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
