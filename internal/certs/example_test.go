package certs_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/autoidentity/autoidentity/internal/certs"
	"software.sslmate.com/src/go-pkcs12"
)

// exampleCert makes an RSA key and a self-signed certificate valid from
// 2030-01-01 to notAfter, so the examples' output does not depend on today.
func exampleCert(notAfter time.Time) (*rsa.PrivateKey, *x509.Certificate) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "build-agent"},
		NotBefore:    time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     notAfter,
	}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	cert, _ := x509.ParseCertificate(der)
	return key, cert
}

// Load reads a modern PKCS#12 (what `openssl pkcs12 -export` writes by
// default), which azidentity.ParseCertificates cannot. credential passes
// b.Chain and b.Key to azidentity.NewClientCertificateCredential.
func ExampleLoad() {
	key, cert := exampleCert(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	pfx, _ := pkcs12.Modern.Encode(key, cert, nil, "example-password")

	b, err := certs.Load(pfx, "example-password")
	if err != nil {
		fmt.Println(err)
		return
	}
	info := b.Info()
	fmt.Println(info.Subject, info.Format, info.KeyType, len(b.Chain))
	fmt.Println("usable on 2030-06-01:", b.Check(time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)) == nil)
	// Output:
	// CN=build-agent pkcs12 RSA 2048 1
	// usable on 2030-06-01: true
}

// LoadFile explains a file that cannot be used: here, the public .cer that
// was uploaded to the app registration instead of the file with the key.
func ExampleLoadFile() {
	_, cert := exampleCert(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	dir, _ := os.MkdirTemp("", "certs-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "sp.cer")
	_ = os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600)

	_, err := certs.LoadFile(path, "")
	var e *certs.Error
	if errors.As(err, &e) {
		fmt.Println(string(e.Reason))
		fmt.Println(strings.Contains(err.Error(), "this file has only the public certificate; the private key must be in the same file"))
	}
	// Output:
	// public_only
	// true
}

// Describe feeds the detect report: the public facts, a warning 30 days
// before expiry, and an error once expired.
func ExampleBundle_Describe() {
	key, cert := exampleCert(time.Date(2030, 3, 1, 0, 0, 0, 0, time.UTC))
	pemData := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...)
	b, _ := certs.Load(pemData, "")

	info, warnings, err := b.Describe(time.Date(2030, 2, 20, 0, 0, 0, 0, time.UTC))
	fmt.Println(info.NotAfter.Format(time.DateOnly), len(info.ThumbprintSHA1), len(warnings), err)

	_, _, err = b.Describe(time.Date(2030, 3, 2, 0, 0, 0, 0, time.UTC))
	fmt.Println(errors.Is(err, certs.ReasonExpired), strings.Contains(err.Error(), "expired on 2030-03-01 00:00:00 UTC; Microsoft Entra answers AADSTS700027"))
	// Output:
	// 2030-03-01 40 1 <nil>
	// true true
}
