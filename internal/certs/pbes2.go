package certs

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// Object identifiers of RFC 8018 (PKCS #5 v2.1) and the ciphers OpenSSL uses.
var (
	oidPBES2       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt      = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}
	oidHMACSHA1    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA224  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACSHA256  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC   = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC   = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC   = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3CBC  = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
	maxIterations  = 1_000_000 // bounds the work a damaged file can demand (OpenSSL writes 2048)
	errBadPassword = errors.New("wrong password")
)

// encryptedPrivateKeyInfo is RFC 5208's EncryptedPrivateKeyInfo.
type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

// pbes2Params is RFC 8018's PBES2-params.
type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

// pbkdf2Params is RFC 8018's PBKDF2-params (salt as the "specified" choice).
type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

// unsupportedError names an encryption scheme this package does not implement.
type unsupportedError struct{ what string }

func (e *unsupportedError) Error() string { return e.what + " is not supported" }

// cipherSpec describes a CBC cipher PBES2 may name.
type cipherSpec struct {
	keyLen int
	block  func([]byte) (cipher.Block, error)
}

// cipherFor returns the CBC cipher for an encryption-scheme OID.
func cipherFor(oid asn1.ObjectIdentifier) (cipherSpec, bool) {
	switch {
	case oid.Equal(oidAES128CBC):
		return cipherSpec{16, aes.NewCipher}, true
	case oid.Equal(oidAES192CBC):
		return cipherSpec{24, aes.NewCipher}, true
	case oid.Equal(oidAES256CBC):
		return cipherSpec{32, aes.NewCipher}, true
	case oid.Equal(oidDESEDE3CBC):
		return cipherSpec{24, des.NewTripleDESCipher}, true
	}
	return cipherSpec{}, false
}

// prfFor returns the PBKDF2 pseudo-random function; an absent PRF means HMAC-SHA1.
func prfFor(oid asn1.ObjectIdentifier) (func() hash.Hash, bool) {
	switch {
	case len(oid) == 0, oid.Equal(oidHMACSHA1):
		return sha1.New, true
	case oid.Equal(oidHMACSHA224):
		return sha256.New224, true
	case oid.Equal(oidHMACSHA256):
		return sha256.New, true
	case oid.Equal(oidHMACSHA384):
		return sha512.New384, true
	case oid.Equal(oidHMACSHA512):
		return sha512.New, true
	}
	return nil, false
}

// decryptPKCS8 decrypts an "ENCRYPTED PRIVATE KEY" (PBES2 with PBKDF2 and a
// CBC cipher, as OpenSSL 1.1+ writes it) and returns the PKCS#8 DER. It
// returns errBadPassword when the padding is wrong, *unsupportedError for
// schemes it does not implement, and other errors for corrupt input. The
// caller confirms the password by parsing the result.
func decryptPKCS8(der []byte, password string) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return nil, errors.New("not an EncryptedPrivateKeyInfo")
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, &unsupportedError{"encryption algorithm " + info.Algorithm.Algorithm.String() + " (only PBES2 is)"}
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, fmt.Errorf("bad PBES2 parameters: %w", err)
	}
	kdf := params.KeyDerivationFunc.Algorithm
	if kdf.Equal(oidScrypt) {
		return nil, &unsupportedError{"scrypt key derivation"}
	}
	if !kdf.Equal(oidPBKDF2) {
		return nil, &unsupportedError{"key derivation " + kdf.String()}
	}
	var kp pbkdf2Params
	if _, err := asn1.Unmarshal(params.KeyDerivationFunc.Parameters.FullBytes, &kp); err != nil {
		return nil, fmt.Errorf("bad PBKDF2 parameters: %w", err)
	}
	if kp.Iterations < 1 || kp.Iterations > maxIterations {
		return nil, &unsupportedError{fmt.Sprintf("a PBKDF2 iteration count of %d", kp.Iterations)}
	}
	prf, ok := prfFor(kp.PRF.Algorithm)
	if !ok {
		return nil, &unsupportedError{"PBKDF2 PRF " + kp.PRF.Algorithm.String()}
	}
	spec, ok := cipherFor(params.EncryptionScheme.Algorithm)
	if !ok {
		return nil, &unsupportedError{"cipher " + params.EncryptionScheme.Algorithm.String()}
	}
	if kp.KeyLength != 0 && kp.KeyLength != spec.keyLen {
		return nil, fmt.Errorf("PBKDF2 key length %d does not fit the cipher", kp.KeyLength)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.EncryptionScheme.Parameters.FullBytes, &iv); err != nil {
		return nil, fmt.Errorf("bad cipher IV: %w", err)
	}
	key, err := pbkdf2.Key(prf, password, kp.Salt, kp.Iterations, spec.keyLen)
	if err != nil {
		return nil, err
	}
	block, err := spec.block(key)
	if err != nil {
		return nil, err
	}
	bs := block.BlockSize()
	if len(iv) != bs || len(info.Data) == 0 || len(info.Data)%bs != 0 {
		return nil, errors.New("ciphertext or IV has the wrong length")
	}
	plain := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, info.Data)
	return unpad(plain, bs)
}

// unpad removes PKCS#7 padding; bad padding means a wrong password.
func unpad(b []byte, bs int) ([]byte, error) {
	n := int(b[len(b)-1])
	if n == 0 || n > bs || n > len(b) {
		return nil, errBadPassword
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, errBadPassword
		}
	}
	return b[:len(b)-n], nil
}
