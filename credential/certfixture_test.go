// Certificates, keys and files for the certificate tests, generated in the
// test: nothing is checked in.

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
	"io"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
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
