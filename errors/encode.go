package autherrors

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
)

// secretForms returns v and the encodings a redactor masks with it (see
// redactor.Add). The caller drops duplicates and forms shorter than
// minSecretLen.
//
// Hex is included: it costs two forms, a hex string of six or more bytes of
// a given secret does not occur by chance, and %x, hex dumps and some HTTP
// debug logs print request bodies that way.
func secretForms(v string) []string {
	b := []byte(v)
	h := hex.EncodeToString(b)
	forms := []string{v, url.QueryEscape(v), url.PathEscape(v), jsonEscaped(v, true), jsonEscaped(v, false), h, strings.ToUpper(h)}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		raw := enc.WithPadding(base64.NoPadding)
		forms = append(forms, enc.EncodeToString(b), raw.EncodeToString(b))
		for shift := range 3 {
			forms = append(forms, base64Core(raw, b, shift))
		}
	}
	return forms
}

// base64Core returns the characters of the base64 of b that do not depend
// on what surrounds b when b starts shift bytes (mod 3) into a longer
// encoded string: a base64 character encodes 6 bits, so the characters
// that also cover the bytes before b, and the last one when it also covers
// the bytes after b, are dropped. The three cores together find b
// base64-encoded at any offset in a longer value, such as
// base64("client-id:" + secret) in a Basic authorization header.
func base64Core(raw *base64.Encoding, b []byte, shift int) string {
	p := make([]byte, shift+len(b))
	copy(p[shift:], b)
	s := raw.EncodeToString(p)
	start := (8*shift + 5) / 6 // the first character with no bit of the prefix
	end := 8 * len(p) / 6      // the characters made only of whole bits of p
	return s[start:end]
}

// jsonEscaped returns v as a JSON string literal writes it, without the
// quotes, with or without the HTML escapes (\u003c, \u003e, \u0026) that
// json.Marshal adds and most other JSON writers do not.
func jsonEscaped(v string, escapeHTML bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(v) // a string always encodes
	s := strings.TrimSuffix(buf.String(), "\n")
	return s[1 : len(s)-1]
}
