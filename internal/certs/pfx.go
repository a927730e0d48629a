package certs

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// parseDER handles binary input: a PKCS#12 file, or a lone DER certificate
// (.cer) or key.
func parseDER(data []byte, password string) (*Bundle, error) {
	if n := pfxIterations(data); n > maxIterations {
		return nil, &Error{Reason: ReasonUnsupportedEncryption,
			Problem: fmt.Sprintf("the PKCS#12 file asks for %d key-derivation iterations; more than %d are refused so a damaged file cannot stall the program", n, maxIterations),
			Fix:     fixReexport}
	}
	key, leaf, cas, err := pkcs12.DecodeChain(data, password)
	if err != nil && password != "" && err.Error() == "pkcs12: no MAC in data" {
		key, leaf, cas, err = pkcs12.DecodeChain(data, "") // an unprotected file; the password is not needed
	}
	if err == nil {
		return assemble(append([]*x509.Certificate{leaf}, cas...), key, FormatPKCS12)
	}
	msg := err.Error()
	var notImpl pkcs12.NotImplementedError
	switch {
	case strings.HasPrefix(msg, "pkcs12: error reading P12 data"):
		return parseLoneDER(data)
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		if password == "" {
			return nil, passwordRequired("the PKCS#12 file is encrypted")
		}
		return nil, wrongPassword(nil)
	case msg == "pkcs12: private key missing":
		return nil, &Error{Reason: ReasonPublicOnly, Problem: "the PKCS#12 file has only certificates; the private key must be in the same file",
			Fix: "export the certificate together with its private key (openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx, or \"Yes, export the private key\" in Windows)"}
	case msg == "pkcs12: certificate missing":
		return nil, &Error{Reason: ReasonNoCertificate, Problem: "the PKCS#12 file has a private key but no certificate", Fix: fixReexport}
	case msg == "pkcs12: expected exactly one key bag":
		return nil, &Error{Reason: ReasonMultipleKeys, Problem: "the PKCS#12 file holds more than one private key; it must hold exactly one", Fix: fixReexport}
	case strings.Contains(msg, "PKCS#8 wrapping contained private key with unknown algorithm"):
		return nil, &Error{Reason: ReasonUnsupportedKey, Problem: "the PKCS#12 file's private key algorithm is not supported", Err: err, Fix: fixRSA}
	case errors.As(err, &notImpl), strings.Contains(msg, "unknown"), strings.Contains(msg, "not supported"):
		return nil, &Error{Reason: ReasonUnsupportedEncryption, Problem: "the PKCS#12 file uses an encoding this loader does not support", Err: err, Fix: fixReexport}
	}
	return nil, &Error{Reason: ReasonMalformed, Problem: "the PKCS#12 file cannot be decoded", Err: err, Fix: fixReexport}
}

// parseLoneDER explains a binary file that is not PKCS#12.
func parseLoneDER(data []byte) (*Bundle, error) {
	if certs, err := x509.ParseCertificates(data); err == nil && len(certs) > 0 {
		return nil, noKey(certs)
	}
	if _, err := x509.ParsePKCS8PrivateKey(data); err == nil {
		return nil, &Error{Reason: ReasonNoCertificate, Problem: "the file is a bare DER private key with no certificate", Fix: fixCombined}
	}
	if _, err := x509.ParsePKCS1PrivateKey(data); err == nil {
		return nil, &Error{Reason: ReasonNoCertificate, Problem: "the file is a bare DER private key with no certificate", Fix: fixCombined}
	}
	return nil, notCertificate("the file is binary but neither PKCS#12 nor a DER certificate", nil)
}
