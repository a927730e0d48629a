package certs

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// parsePEM reads every PEM block of data, then decrypts the key (only once
// the file is known to hold a certificate, so a structural problem is
// reported before a missing password).
func parsePEM(data []byte, password string) (*Bundle, error) {
	var (
		certs []*x509.Certificate
		keys  []*pem.Block
		seen  []string
	)
	for n, rest := 1, data; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		seen = append(seen, block.Type)
		switch block.Type {
		case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
			der := block.Bytes
			if block.Type == "TRUSTED CERTIFICATE" { // OpenSSL appends trust settings after the certificate
				var raw asn1.RawValue
				if _, err := asn1.Unmarshal(der, &raw); err == nil {
					der = raw.FullBytes
				}
			}
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, &Error{Reason: ReasonMalformed, Problem: fmt.Sprintf("PEM block %d (%s) is not a valid certificate", n, block.Type), Err: err, Fix: fixCombined}
			}
			certs = append(certs, c)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
			keys = append(keys, block)
		case "OPENSSH PRIVATE KEY", "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY INFO":
			return nil, &Error{Reason: ReasonUnsupportedKey, Problem: fmt.Sprintf("the file holds a %s, which cannot sign a Microsoft Entra client assertion", block.Type), Fix: fixRSA}
		}
	}
	switch begins := bytes.Count(data, []byte("-----BEGIN ")); {
	case begins > len(seen):
		return nil, &Error{Reason: ReasonMalformed,
			Problem: fmt.Sprintf("%d of the file's %d PEM blocks cannot be read (damaged base64, a missing -----END line, or mixed line endings?)", begins-len(seen), begins),
			Fix:     "export the file again; " + fixCombined}
	case len(keys) == 0 && len(certs) == 0:
		return nil, notCertificate("the PEM file holds no certificate and no private key (it has: "+strings.Join(seen, ", ")+")", nil)
	case len(keys) == 0:
		return nil, noKey(certs)
	case len(keys) > 1:
		return nil, &Error{Reason: ReasonMultipleKeys, Problem: fmt.Sprintf("the file holds %d private keys; it must hold exactly one", len(keys)), Fix: fixCombined}
	case len(certs) == 0:
		return nil, &Error{Reason: ReasonNoCertificate, Problem: "the file has a private key but no certificate",
			Fix: "append the certificate to the key (cat cert.pem key.pem > combined.pem) and point " + PathVariable + " at the combined file"}
	}
	key, format, err := pemKey(keys[0], password)
	if err != nil {
		return nil, err
	}
	return assemble(certs, key, format)
}

// pemKey parses (and if need be decrypts) one private key block.
func pemKey(block *pem.Block, password string) (crypto.PrivateKey, Format, error) {
	der, format := block.Bytes, FormatPEM
	switch {
	case block.Type == "ENCRYPTED PRIVATE KEY":
		if password == "" {
			return nil, "", passwordRequired("the private key is encrypted (ENCRYPTED PRIVATE KEY)")
		}
		plain, err := decryptPKCS8(der, password)
		var unsupported *unsupportedError
		switch {
		case errors.Is(err, errBadPassword):
			return nil, "", wrongPassword(nil)
		case errors.As(err, &unsupported):
			return nil, "", &Error{Reason: ReasonUnsupportedEncryption, Problem: "the private key's encryption is not supported", Err: err,
				Fix: "re-encrypt it with OpenSSL 3 defaults: openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-pkcs8.pem"}
		case err != nil:
			return nil, "", &Error{Reason: ReasonMalformed, Problem: "the ENCRYPTED PRIVATE KEY block is damaged", Err: err, Fix: fixCombined}
		}
		key, err := x509.ParsePKCS8PrivateKey(plain)
		if err != nil {
			// Padding checks pass by chance for about 1 wrong password in 256.
			return nil, "", wrongPassword(nil)
		}
		return key, FormatPEMEncrypted, nil
	//lint:ignore SA1019 legacy Proc-Type keys still exist (OpenSSL 1.x genrsa -aes256); refusing them helps nobody
	case x509.IsEncryptedPEMBlock(block):
		if password == "" {
			return nil, "", passwordRequired("the private key is encrypted (Proc-Type: 4,ENCRYPTED)")
		}
		//lint:ignore SA1019 see above
		plain, err := x509.DecryptPEMBlock(block, []byte(password))
		if err != nil {
			return nil, "", wrongPassword(nil)
		}
		der, format = plain, FormatPEMLegacyEncrypted
	}
	key, err := parseKeyDER(block.Type, der)
	if err != nil {
		if format == FormatPEMLegacyEncrypted {
			return nil, "", wrongPassword(nil)
		}
		return nil, "", err
	}
	return key, format, nil
}

// parseKeyDER parses an unencrypted key in the encoding its PEM type names,
// falling back to the other encodings for mislabelled files.
func parseKeyDER(typ string, der []byte) (crypto.PrivateKey, error) {
	if key, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return key, nil
	} else if strings.Contains(err.Error(), "unknown algorithm") || strings.Contains(err.Error(), "unsupported") {
		return nil, &Error{Reason: ReasonUnsupportedKey, Problem: "the private key's algorithm is not supported", Err: err, Fix: fixRSA}
	}
	if key, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return key, nil
	}
	if key, err := x509.ParseECPrivateKey(der); err == nil {
		return key, nil
	} else if strings.Contains(err.Error(), "unknown elliptic curve") {
		return nil, &Error{Reason: ReasonUnsupportedKey, Problem: "the EC private key uses a curve Go does not support", Err: err, Fix: fixRSA}
	}
	return nil, &Error{Reason: ReasonMalformed, Problem: fmt.Sprintf("the %s block is not a valid PKCS#8, PKCS#1 or SEC 1 private key", typ), Fix: fixCombined}
}

// passwordRequired reports an encrypted file and an empty password.
func passwordRequired(problem string) error {
	return &Error{Reason: ReasonPasswordRequired, Problem: problem + " and " + PasswordVariable + " is not set", Fix: fixPassword}
}

// wrongPassword reports a password that does not decrypt the file.
func wrongPassword(err error) error {
	return &Error{Reason: ReasonWrongPassword, Problem: "the password in " + PasswordVariable + " does not decrypt the file", Err: err, Fix: fixPassword}
}
