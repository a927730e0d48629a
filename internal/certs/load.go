package certs

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// MaxFileSize is the largest certificate file [LoadFile] reads. Real files
// (a key and a chain of a few certificates) are a few kilobytes.
const MaxFileSize = 1 << 20

// LoadFile reads the certificate file at path and calls [Load]. Errors name
// [PathVariable] and path.
func LoadFile(path, password string) (*Bundle, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return load(data, password, path)
}

// Load parses a certificate and its private key from data: PEM (certificate,
// chain and an unencrypted PKCS#8, PKCS#1 or SEC 1 key in any order, an
// "ENCRYPTED PRIVATE KEY" PKCS#8 key, or a legacy "Proc-Type: 4,ENCRYPTED"
// key) or PKCS#12 (.pfx/.p12, legacy 3DES/RC2 with a SHA-1 MAC or modern
// AES-256-CBC/PBKDF2 with a SHA-256 MAC). The leaf is the certificate whose
// public key matches the private key. password may be empty for files that
// are not encrypted. Every error is an [*Error] naming [PathVariable] and
// the fix; none contains password.
//
// Load does not judge whether the certificate can be used today; call
// [Bundle.Check] or [Bundle.Describe] for that.
func Load(data []byte, password string) (*Bundle, error) {
	return load(data, password, "")
}

// readFile reads at most MaxFileSize bytes of path.
func readFile(path string) ([]byte, error) {
	fail := func(problem string, err error) error {
		return &Error{Reason: ReasonUnreadable, Path: path, Problem: problem, Err: err,
			Fix: "point " + PathVariable + " at an existing, readable PEM or PKCS#12 (.pfx/.p12) file"}
	}
	if path == "" {
		return nil, fail("the variable is empty", nil)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fail("cannot open the file", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fail("the path is a directory, not a file", nil)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fail("cannot read the file", err)
	}
	if len(data) > MaxFileSize {
		return nil, fail(fmt.Sprintf("the file is larger than %d bytes, far more than a certificate", MaxFileSize), nil)
	}
	return data, nil
}

// load parses data and makes sure no error carries the password.
func load(data []byte, password, path string) (*Bundle, error) {
	b, err := parse(data, password)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Reason: ReasonMalformed, Problem: "the file cannot be parsed", Err: err, Fix: fixCombined}
		}
		e.Path = path
		if password != "" && e.Err != nil && strings.Contains(e.Err.Error(), password) {
			e.Err = nil // never let a library's message leak the password
		}
		return nil, e
	}
	b.Path = path
	return b, nil
}

// parse dispatches on the shape of data.
func parse(data []byte, password string) (*Bundle, error) {
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, notCertificate("the file is empty", nil)
	case bytes.Contains(data, []byte("-----BEGIN ")):
		return parsePEM(data, password)
	case trimmed[0] == 0x30: // DER SEQUENCE: PKCS#12, or a lone DER certificate or key
		return parseDER(data, password)
	case trimmed[0] == '{' || trimmed[0] == '[':
		return nil, notCertificate("the file is JSON, not a certificate", nil)
	}
	if der, err := base64.StdEncoding.DecodeString(string(trimmed)); err == nil && len(der) > 0 && der[0] == 0x30 {
		return nil, &Error{Reason: ReasonNotCertificate,
			Problem: "the file is base64 text of a binary (DER or PKCS#12) certificate, not the certificate itself",
			Fix:     "decode it first (base64 -d < file > cert.pfx) and point " + PathVariable + " at the decoded file"}
	}
	return nil, notCertificate("the file is neither PEM nor PKCS#12", nil)
}

// notCertificate reports a file that holds no certificate material at all.
func notCertificate(problem string, err error) error {
	return &Error{Reason: ReasonNotCertificate, Problem: problem, Err: err, Fix: fixCombined}
}

// assemble finds the leaf among certs, orders the chain and builds the Bundle.
func assemble(certs []*x509.Certificate, key crypto.PrivateKey, format Format) (*Bundle, error) {
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, &Error{Reason: ReasonUnsupportedKey, Problem: fmt.Sprintf("the private key is of unsupported type %T", key), Fix: fixRSA}
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil, &Error{Reason: ReasonUnsupportedKey, Problem: fmt.Sprintf("the private key is of unsupported type %T", key), Fix: fixRSA}
	}
	certs = dedupe(certs)
	var leaf *x509.Certificate
	for _, c := range certs {
		if pub.Equal(c.PublicKey) && (leaf == nil || c.NotAfter.After(leaf.NotAfter)) {
			leaf = c // several certificates for one key: the renewal that lasts longest
		}
	}
	if leaf == nil {
		names := make([]string, len(certs))
		for i, c := range certs {
			names[i] = fmt.Sprintf("%s [SHA-1 %s]", c.Subject, thumbprint1(c))
		}
		return nil, &Error{Reason: ReasonKeyMismatch,
			Problem: "the private key belongs to none of the certificates in the file (" + strings.Join(names, "; ") + ")",
			Fix:     "put the certificate issued for this key in the file, or the key of the certificate registered on the app registration; " + fixCombined}
	}
	return &Bundle{Chain: orderChain(leaf, certs), Format: format, Key: key, Leaf: leaf}, nil
}

// dedupe drops certificates that appear twice.
func dedupe(certs []*x509.Certificate) []*x509.Certificate {
	out := certs[:0:0]
	for _, c := range certs {
		dup := false
		for _, o := range out {
			dup = dup || o.Equal(c)
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// orderChain returns leaf, then its issuers as far as the file has them,
// then any remaining certificates in file order.
func orderChain(leaf *x509.Certificate, certs []*x509.Certificate) []*x509.Certificate {
	chain := []*x509.Certificate{leaf}
	used := map[*x509.Certificate]bool{leaf: true}
	for cur := leaf; ; {
		var next *x509.Certificate
		for _, c := range certs {
			if !used[c] && bytes.Equal(c.RawSubject, cur.RawIssuer) {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		chain, used[next], cur = append(chain, next), true, next
	}
	for _, c := range certs {
		if !used[c] {
			chain = append(chain, c)
		}
	}
	return chain
}

// noKey reports a file with certificates but no private key.
func noKey(certs []*x509.Certificate) error {
	if len(certs) == 1 {
		return &Error{Reason: ReasonPublicOnly,
			Problem: fmt.Sprintf("this file has only the public certificate; the private key must be in the same file (found only %s, SHA-1 %s)",
				certs[0].Subject, thumbprint1(certs[0])),
			Fix: fixCombined + "; the .cer/.crt uploaded to the app registration is only the public half"}
	}
	return &Error{Reason: ReasonCABundle,
		Problem: fmt.Sprintf("this file holds %d certificates and no private key; it looks like a CA bundle, not a client certificate", len(certs)),
		Fix:     fixCombined}
}
