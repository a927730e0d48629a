package reliability

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
	"software.sslmate.com/src/go-pkcs12"
)

// certPassword is the canary password of the PKCS#12 fixtures.
const certPassword = "reliability~canary~CERT~PASSWORD~4Hq"

// fixtures writes the bad files the table points at and returns their
// paths by name.
func fixtures(t *testing.T, srv *entratest.Server) map[string]string {
	t.Helper()
	dir := t.TempDir()
	good := srv.DefaultCertificate()
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: good.Cert.Raw})
	keyDER, err := x509.MarshalPKCS8PrivateKey(good.Key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	dated := func(nb, na time.Time) []byte {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "reliability"},
			NotBefore: nb, NotAfter: na, KeyUsage: x509.KeyUsageDigitalSignature}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &good.Key.PublicKey, good.Key)
		if err != nil {
			t.Fatal(err)
		}
		return append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), keyPEM...)
	}
	pfx, err := pkcs12.Modern.Encode(good.Key, good.Cert, nil, certPassword)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{good.Cert}, certPassword)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	expiredJWT, err := srv.FederatedToken(entratest.AKSIssuer, entratest.DefaultAKSSubject, entratest.FederatedAudience, -time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	wrongAud, err := srv.FederatedToken(entratest.AKSIssuer, entratest.DefaultAKSSubject, "api://wrong-audience", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 4096)
	_, _ = rand.Read(garbage)
	files := map[string][]byte{
		"garbage.pem":       garbage,
		"empty.pem":         nil,
		"cert-only.pem":     certPEM,
		"key-only.pem":      keyPEM,
		"expired.pem":       dated(now.Add(-48*time.Hour), now.Add(-24*time.Hour)),
		"not-yet-valid.pem": dated(now.Add(24*time.Hour), now.Add(48*time.Hour)),
		"cert.pfx":          pfx,
		"truststore.pfx":    trust,
		"json.pem":          []byte(`{"tenant":"x","password":"` + certPassword + `"}`),
		"huge.pem":          []byte(strings.Repeat("A", 2<<20)),
		"token-empty":       nil,
		"token-not-jwt":     []byte("hello, I am not a token\n"),
		"token-expired":     []byte(expiredJWT),
		"token-wrong-aud":   []byte(wrongAud),
		"token-binary":      garbage,
		"token-three-dots":  []byte("a.b.c"),
		"token-nonutf8.jwt": []byte("\xff\xfe.\xff.\xff"),
	}
	paths := map[string]string{"dir": dir, "missing": filepath.Join(dir, "does-not-exist.pem"),
		"through-file": filepath.Join(dir, "garbage.pem", "child.pem")}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		paths[name] = p
	}
	return paths
}
