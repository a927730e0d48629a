package entratest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" // #nosec G505 -- x5t and Service Fabric thumbprints are SHA-1 by definition.
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"
)

// Certificate is a client certificate and its private key, for registering
// on an app ([App].Certificates) and for azidentity's
// ClientCertificateCredential.
type Certificate struct {
	// Cert is the X.509 certificate.
	Cert *x509.Certificate
	// Key is the certificate's RSA private key.
	Key *rsa.PrivateKey
	// PEM holds the certificate followed by the PKCS#8 private key, the format
	// azidentity.ParseCertificates and AZURE_CLIENT_CERTIFICATE_PATH accept.
	PEM []byte
}

// Thumbprint returns the certificate's SHA-1 thumbprint in upper-case hex,
// as the Azure portal shows it.
func (c *Certificate) Thumbprint() string { return thumbprintSHA1(c.Cert) }

// NewCertificate creates a self-signed RSA-2048 client certificate with the
// given common name, valid from an hour ago for a year.
func NewCertificate(commonName string) (*Certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("entratest: generating certificate key: %w", err)
	}
	return newCertificateWithKey(commonName, key)
}

func newCertificateWithKey(commonName string, key *rsa.PrivateKey) (*Certificate, error) {
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: commonName},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("entratest: creating certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("entratest: parsing certificate: %w", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("entratest: encoding key: %w", err)
	}
	p := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	p = append(p, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})...)
	return &Certificate{Cert: cert, Key: key, PEM: p}, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}

func thumbprintSHA1(c *x509.Certificate) string {
	s := sha1.Sum(c.Raw) // #nosec G401 -- thumbprint, not a security digest.
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

func thumbprintSHA256(c *x509.Certificate) []byte {
	s := sha256.Sum256(c.Raw)
	return s[:]
}

// tlsMaterial is the emulator's CA and its HTTPS leaf certificate.
type tlsMaterial struct {
	caCert  *x509.Certificate
	caPEM   []byte
	leaf    *x509.Certificate
	leafDER []byte
	leafKey crypto.Signer
}

// newTLSMaterial creates a CA (ECDSA P-256, fast to generate) and a leaf for
// 127.0.0.1, ::1 and localhost.
func newTLSMaterial() (*tlsMaterial, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "entratest emulator CA", Organization: []string{"autoidentity entratest"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(29 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(leafDER)
	if err != nil {
		return nil, err
	}
	return &tlsMaterial{
		caCert:  caCert,
		caPEM:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		leaf:    leaf,
		leafDER: leafDER,
		leafKey: leafKey,
	}, nil
}

// Signing keys are RSA-2048 like Entra's and the CI issuers'. Generating one
// costs tens of milliseconds, so the process keeps a few and every server
// shares them; each server still publishes only the keys it uses.
var (
	keyMu   sync.Mutex
	keyPool = map[string]*rsa.PrivateKey{}
)

func sharedKey(name string) (*rsa.PrivateKey, error) {
	keyMu.Lock()
	defer keyMu.Unlock()
	if k, ok := keyPool[name]; ok {
		return k, nil
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("entratest: generating %s signing key: %w", name, err)
	}
	keyPool[name] = k
	return k, nil
}

// defaultCertificate is the default app's certificate, shared by all servers
// in the process (see [Server.DefaultCertificate]).
var defaultCertificate = sync.OnceValues(func() (*Certificate, error) {
	key, err := sharedKey("default-certificate")
	if err != nil {
		return nil, err
	}
	return newCertificateWithKey("entratest default app", key)
})
