package certs

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

func TestLoadFormats(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	rsaKey := f.rsa.key
	p12 := func(enc *pkcs12.Encoder, fx *fixture, cas []*x509.Certificate, pw string) []byte {
		data, err := enc.Encode(fx.key, fx.cert, cas, pw)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	chain := []*x509.Certificate{f.chainLeaf.cert, f.intermediate.cert, f.root.cert}
	tests := []struct {
		name      string
		data      []byte
		password  string
		want      *fixture
		wantChain []*x509.Certificate
		format    Format
	}{
		{"pem cert then pkcs8 rsa", cat(certPEM(f.rsa.cert), pkcs8PEM(t, rsaKey)), "", f.rsa, nil, FormatPEM},
		{"pem key first", cat(pkcs8PEM(t, rsaKey), certPEM(f.rsa.cert)), "", f.rsa, nil, FormatPEM},
		{"pem pkcs1 rsa", cat(certPEM(f.rsa.cert), pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaPrivate(f.rsa)))), "", f.rsa, nil, FormatPEM},
		{"pem sec1 ecdsa", cat(certPEM(f.ec.cert), sec1PEM(t, f.ec)), "", f.ec, nil, FormatPEM},
		{"pem pkcs8 ecdsa", cat(certPEM(f.ec.cert), pkcs8PEM(t, f.ec.key)), "", f.ec, nil, FormatPEM},
		{"pem chain shuffled, leaf in the middle", cat(certPEM(f.root.cert), pkcs8PEM(t, rsaKey), certPEM(f.chainLeaf.cert, f.intermediate.cert)), "", f.chainLeaf, chain, FormatPEM},
		{"pem with unrelated extra blocks", cat([]byte("Bag Attributes\n    friendlyName: x\n"), pemBlock("EC PARAMETERS", []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}), certPEM(f.rsa.cert), pkcs8PEM(t, rsaKey)), "", f.rsa, nil, FormatPEM},
		{"pem duplicate certificate", cat(certPEM(f.rsa.cert, f.rsa.cert), pkcs8PEM(t, rsaKey)), "", f.rsa, []*x509.Certificate{f.rsa.cert}, FormatPEM},
		{"pem password given but not needed", cat(certPEM(f.rsa.cert), pkcs8PEM(t, rsaKey)), canaryPassword, f.rsa, nil, FormatPEM},
		{"encrypted pkcs8 aes-256-cbc hmac-sha256", cat(certPEM(f.rsa.cert), encryptPKCS8(t, rsaKey, canaryPassword, pbes2AES256SHA256)), canaryPassword, f.rsa, nil, FormatPEMEncrypted},
		{"encrypted pkcs8 aes-128-cbc default prf", cat(encryptPKCS8(t, rsaKey, canaryPassword, pbes2AES128SHA1), certPEM(f.rsa.cert)), canaryPassword, f.rsa, nil, FormatPEMEncrypted},
		{"encrypted pkcs8 des-ede3-cbc hmac-sha1", cat(certPEM(f.rsa.cert), encryptPKCS8(t, rsaKey, canaryPassword, pbes2DES3SHA1)), canaryPassword, f.rsa, nil, FormatPEMEncrypted},
		{"encrypted pkcs8 ecdsa", cat(certPEM(f.ec.cert), encryptPKCS8(t, f.ec.key, canaryPassword, pbes2AES256SHA256)), canaryPassword, f.ec, nil, FormatPEMEncrypted},
		{"legacy Proc-Type encrypted", cat(certPEM(f.rsa.cert), legacyEncryptedPEM(t, rsaPrivate(f.rsa), canaryPassword)), canaryPassword, f.rsa, nil, FormatPEMLegacyEncrypted},
		{"pkcs12 modern", p12(pkcs12.Modern, f.rsa, nil, canaryPassword), canaryPassword, f.rsa, nil, FormatPKCS12},
		{"pkcs12 modern2026 pbmac1", p12(pkcs12.Modern2026, f.rsa, nil, canaryPassword), canaryPassword, f.rsa, nil, FormatPKCS12},
		{"pkcs12 legacy des", p12(pkcs12.LegacyDES, f.rsa, nil, canaryPassword), canaryPassword, f.rsa, nil, FormatPKCS12},
		{"pkcs12 legacy rc2", p12(pkcs12.LegacyRC2, f.rsa, nil, canaryPassword), canaryPassword, f.rsa, nil, FormatPKCS12},
		{"pkcs12 modern with chain", p12(pkcs12.Modern, f.chainLeaf, []*x509.Certificate{f.root.cert, f.intermediate.cert}, canaryPassword), canaryPassword, f.chainLeaf, chain, FormatPKCS12},
		{"pkcs12 ecdsa", p12(pkcs12.Modern, f.ec, nil, canaryPassword), canaryPassword, f.ec, nil, FormatPKCS12},
		{"pkcs12 empty password", p12(pkcs12.Modern, f.rsa, nil, ""), "", f.rsa, nil, FormatPKCS12},
		{"pkcs12 passwordless, password given", p12(pkcs12.Passwordless, f.rsa, nil, ""), canaryPassword, f.rsa, nil, FormatPKCS12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := Load(tt.data, tt.password)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !b.Leaf.Equal(tt.want.cert) {
				t.Errorf("Leaf = %s, want %s", b.Leaf.Subject, tt.want.cert.Subject)
			}
			if !tt.want.key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(b.Key.(crypto.Signer).Public()) {
				t.Error("Key is not the fixture's key")
			}
			want := tt.wantChain
			if want == nil {
				want = []*x509.Certificate{tt.want.cert}
			}
			if len(b.Chain) != len(want) {
				t.Fatalf("Chain has %d certificates, want %d", len(b.Chain), len(want))
			}
			for i := range want {
				if !b.Chain[i].Equal(want[i]) {
					t.Errorf("Chain[%d] = %s, want %s", i, b.Chain[i].Subject, want[i].Subject)
				}
			}
			if b.Format != tt.format {
				t.Errorf("Format = %q, want %q", b.Format, tt.format)
			}
		})
	}
}

func TestLoadFileSetsPath(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	path := filepath.Join(t.TempDir(), "sp.pem")
	if err := os.WriteFile(path, cat(certPEM(f.rsa.cert), pkcs8PEM(t, f.rsa.key)), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := LoadFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Path != path {
		t.Errorf("Path = %q, want %q", b.Path, path)
	}
}

func TestLoadRSA4096(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("RSA 4096 key generation is slow; skipped with -short")
	}
	fx := issue(t, "autoidentity-test-rsa4096", rsaKey(t, 4096), nil, fixtures(t).rsa.cert.NotBefore, fixtures(t).rsa.cert.NotAfter, false)
	data, err := pkcs12.Modern.Encode(fx.key, fx.cert, nil, canaryPassword)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(data, canaryPassword)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Info().KeyType; got != "RSA 4096" {
		t.Errorf("KeyType = %q, want RSA 4096", got)
	}
}

func sec1PEM(t testing.TB, fx *fixture) []byte {
	der, err := x509.MarshalECPrivateKey(ecPrivate(fx))
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}

// FuzzLoad checks that no input makes Load panic or leak the password.
func FuzzLoad(f *testing.F) {
	// ECDSA seeds: RSA key generation under the fuzzer's instrumentation is slow.
	now := time.Now()
	fx := issue(f, "fuzz", ecKey(f), nil, now.Add(-time.Hour), now.Add(time.Hour), false)
	modern, _ := pkcs12.Modern.Encode(fx.key, fx.cert, nil, canaryPassword)
	f.Add(modern, canaryPassword)
	f.Add(cat(certPEM(fx.cert), encryptPKCS8(f, fx.key, canaryPassword, pbes2AES256SHA256)), canaryPassword)
	f.Add(cat(certPEM(fx.cert), pkcs8PEM(f, fx.key)), "")
	f.Add([]byte(`{"a":1}`), "")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		b, err := Load(data, password)
		if err == nil {
			if b.Leaf == nil || b.Key == nil || len(b.Chain) == 0 || !b.Chain[0].Equal(b.Leaf) {
				t.Fatalf("Load returned an incomplete bundle %v", b)
			}
			return
		}
		if len(password) >= 8 && strings.Contains(err.Error(), password) {
			t.Fatalf("error leaks the password: %v", err)
		}
	})
}
