package certs

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"hash"
	"math/big"
	"sync"
	"testing"
	"time"
)

// Canary passwords: no error message, log or output may ever contain them.
const (
	canaryPassword = "canary-PW-7f3a9c1e"
	canaryWrong    = "canary-WRONG-2b8d4e"
)

// fixture is a generated key and certificate.
type fixture struct {
	key  crypto.Signer
	cert *x509.Certificate
}

// fixtures shared by all tests: RSA key generation is slow, so keys are made once.
type fixtureSet struct {
	rsa, rsaOther, ec     *fixture // self-signed, valid now
	root, intermediate    *fixture // a CA chain (ECDSA for speed)
	chainLeaf             *fixture // RSA leaf issued by intermediate
	expired, soon, notYet *fixture // RSA leaves with interesting dates
}

var (
	fixOnce sync.Once
	fixSet  fixtureSet
)

func fixtures(t testing.TB) *fixtureSet {
	t.Helper()
	fixOnce.Do(func() {
		now := time.Now()
		rsa1, rsa2 := rsaKey(t, 2048), rsaKey(t, 2048)
		ec := ecKey(t)
		fixSet.rsa = issue(t, "autoidentity-test-rsa", rsa1, nil, now.Add(-time.Hour), now.Add(365*24*time.Hour), false)
		fixSet.rsaOther = issue(t, "autoidentity-test-other", rsa2, nil, now.Add(-time.Hour), now.Add(365*24*time.Hour), false)
		fixSet.ec = issue(t, "autoidentity-test-ecdsa", ec, nil, now.Add(-time.Hour), now.Add(365*24*time.Hour), false)
		fixSet.root = issue(t, "autoidentity-test-root", ecKey(t), nil, now.Add(-time.Hour), now.Add(3650*24*time.Hour), true)
		fixSet.intermediate = issue(t, "autoidentity-test-intermediate", ecKey(t), fixSet.root, now.Add(-time.Hour), now.Add(3650*24*time.Hour), true)
		fixSet.chainLeaf = issue(t, "autoidentity-test-leaf", rsa1, fixSet.intermediate, now.Add(-time.Hour), now.Add(365*24*time.Hour), false)
		fixSet.expired = issue(t, "autoidentity-test-expired", rsa1, nil, now.Add(-400*24*time.Hour), now.Add(-35*24*time.Hour), false)
		fixSet.soon = issue(t, "autoidentity-test-soon", rsa1, nil, now.Add(-300*24*time.Hour), now.Add(10*24*time.Hour+time.Hour), false)
		fixSet.notYet = issue(t, "autoidentity-test-future", rsa1, nil, now.Add(48*time.Hour), now.Add(400*24*time.Hour), false)
	})
	if fixSet.rsa == nil {
		t.Fatal("fixtures failed to generate")
	}
	return &fixSet
}

func rsaKey(t testing.TB, bits int) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// issue makes a certificate for key, self-signed when parent is nil.
func issue(t testing.TB, cn string, key crypto.Signer, parent *fixture, notBefore, notAfter time.Time, ca bool) *fixture {
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  ca,
	}
	if ca {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		tmpl.ExtKeyUsage = nil
	}
	signerCert, signerKey := tmpl, key
	if parent != nil {
		signerCert, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, key.Public(), signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{key: key, cert: c}
}

// pemBlock encodes one PEM block.
func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func certPEM(cs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range cs {
		out = append(out, pemBlock("CERTIFICATE", c.Raw)...)
	}
	return out
}

func pkcs8PEM(t testing.TB, key crypto.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("PRIVATE KEY", der)
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// pbes2Case selects the PRF and cipher encryptPKCS8 uses.
type pbes2Case struct {
	prf    asn1.ObjectIdentifier
	hash   func() hash.Hash
	cipher asn1.ObjectIdentifier
}

var (
	pbes2AES256SHA256 = pbes2Case{oidHMACSHA256, sha256.New, oidAES256CBC} // OpenSSL 3 default
	pbes2AES128SHA1   = pbes2Case{nil, sha1.New, oidAES128CBC}             // PRF omitted = HMAC-SHA1
	pbes2DES3SHA1     = pbes2Case{oidHMACSHA1, sha1.New, oidDESEDE3CBC}
)

// encryptPKCS8 is the encryption side of decryptPKCS8, written from RFC
// 8018 independently of it: an "ENCRYPTED PRIVATE KEY" PEM block.
func encryptPKCS8(t testing.TB, key crypto.PrivateKey, password string, c pbes2Case) []byte {
	t.Helper()
	plain, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	salt, iters := make([]byte, 16), 2048
	rand.Read(salt)
	var (
		block  cipher.Block
		keyLen int
	)
	switch {
	case c.cipher.Equal(oidDESEDE3CBC):
		keyLen = 24
	case c.cipher.Equal(oidAES128CBC):
		keyLen = 16
	default:
		keyLen = 32
	}
	dk, err := pbkdf2.Key(c.hash, password, salt, iters, keyLen)
	if err != nil {
		t.Fatal(err)
	}
	if keyLen == 24 {
		block, err = des.NewTripleDESCipher(dk)
	} else {
		block, err = aes.NewCipher(dk)
	}
	if err != nil {
		t.Fatal(err)
	}
	iv := make([]byte, block.BlockSize())
	rand.Read(iv)
	pad := block.BlockSize() - len(plain)%block.BlockSize()
	for i := 0; i < pad; i++ {
		plain = append(plain, byte(pad))
	}
	ct := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, plain)

	type kdfParams struct {
		Salt       []byte
		Iterations int
		PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
	}
	kp := kdfParams{Salt: salt, Iterations: iters}
	if c.prf != nil {
		kp.PRF = pkix.AlgorithmIdentifier{Algorithm: c.prf, Parameters: asn1.NullRawValue}
	}
	return pemBlock("ENCRYPTED PRIVATE KEY", marshalEPKI(t, oidPBKDF2, kp, c.cipher, iv, ct))
}

// marshalEPKI builds a PBES2 EncryptedPrivateKeyInfo around ciphertext.
func marshalEPKI(t testing.TB, kdf asn1.ObjectIdentifier, kdfParams any, cipherOID asn1.ObjectIdentifier, iv, ct []byte) []byte {
	t.Helper()
	must := func(b []byte, err error) asn1.RawValue {
		if err != nil {
			t.Fatal(err)
		}
		return asn1.RawValue{FullBytes: b}
	}
	params := struct {
		KDF    pkix.AlgorithmIdentifier
		Cipher pkix.AlgorithmIdentifier
	}{
		KDF:    pkix.AlgorithmIdentifier{Algorithm: kdf, Parameters: must(asn1.Marshal(kdfParams))},
		Cipher: pkix.AlgorithmIdentifier{Algorithm: cipherOID, Parameters: must(asn1.Marshal(iv))},
	}
	der, err := asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: must(asn1.Marshal(params))},
		Data:      ct,
	})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// legacyEncryptedPEM writes a "Proc-Type: 4,ENCRYPTED" PKCS#1 key.
func legacyEncryptedPEM(t testing.TB, key *rsa.PrivateKey, password string) []byte {
	//lint:ignore SA1019 the test produces the legacy format Load must read
	b, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), []byte(password), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(b)
}

func rsaPrivate(fx *fixture) *rsa.PrivateKey  { return fx.key.(*rsa.PrivateKey) }
func ecPrivate(fx *fixture) *ecdsa.PrivateKey { return fx.key.(*ecdsa.PrivateKey) }
