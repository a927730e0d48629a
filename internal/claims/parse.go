package claims

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxLen bounds the input [Parse] accepts, surrounding whitespace included:
// Entra access tokens are a few KB (a user in many groups gets an overage
// claim instead of a longer token); anything larger is refused before
// decoding.
const MaxLen = 64 << 10

// b64 is the only encoding a JWS compact serialization allows (RFC 7515
// section 2): base64url without padding. Strict also refuses non-zero
// trailing bits, so each part has exactly one spelling.
var b64 = base64.RawURLEncoding.Strict()

// Parse decodes the payload of a compact JWT. Surrounding whitespace (a
// trailing newline in a token file) is ignored; everything else must be
// exact (see the package documentation). The signature is not checked.
// Errors wrap [ErrNotJWT], and [ErrOpaque] for input whose claims cannot be
// read; they describe the shape of the input, never its content.
func Parse(token string) (*Claims, error) {
	if len(token) > MaxLen {
		return nil, malformed(strconv.Itoa(len(token)) + " bytes is larger than any token (limit " + strconv.Itoa(MaxLen) + ")")
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, malformed("the input is empty")
	}
	switch dots := strings.Count(token, "."); dots {
	case 2:
	case 0:
		return nil, &parseError{opaque: true, reason: "the input has no dots, so it is not a JWT but may be an opaque token"}
	case 4:
		if err := checkJWE(token); err != nil {
			return nil, err
		}
		return nil, &parseError{opaque: true, reason: "five parts is an encrypted token (JWE)"}
	default:
		return nil, malformed("expected three dot-separated parts, found " + strconv.Itoa(dots+1))
	}
	header, rest, _ := strings.Cut(token, ".")
	payload, signature, _ := strings.Cut(rest, ".")
	h, err := segment("header", header)
	if err != nil {
		return nil, err
	}
	if err := checkHeader(h, false); err != nil {
		return nil, err
	}
	p, err := segment("payload", payload)
	if err != nil {
		return nil, err
	}
	if signature == "" {
		return nil, malformed("the signature is empty")
	}
	if !isBase64URL(signature) {
		return nil, malformed("the signature is not unpadded base64url")
	}
	return decodePayload(p)
}

// segment decodes one base64url part holding UTF-8 JSON.
func segment(name, s string) ([]byte, error) {
	if s == "" {
		return nil, malformed("the " + name + " is empty")
	}
	// The decoder would skip \r and \n; a token has neither.
	if !isBase64URL(s) {
		return nil, malformed("the " + name + " is not unpadded base64url (it holds '=', '+', '/' or other characters outside the alphabet)")
	}
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, malformed("the " + name + " is not valid base64url")
	}
	if !utf8.Valid(b) {
		return nil, malformed("the " + name + " is not UTF-8")
	}
	return b, nil
}

// isBase64URL reports whether s uses only the base64url alphabet.
func isBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// checkJWE accepts a five-part token as encrypted only if it looks like one
// (RFC 7516 section 7.1): a protected header naming alg and enc, and every
// part base64url (the encrypted key is empty for direct encryption).
// Anything else with four dots is malformed, not opaque.
func checkJWE(token string) error {
	parts := strings.Split(token, ".")
	for _, p := range parts[1:] {
		if !isBase64URL(p) {
			return malformed("a part of the five-part (JWE) input is not unpadded base64url")
		}
	}
	h, err := segment("JWE header", parts[0])
	if err != nil {
		return err
	}
	return checkHeader(h, true)
}

// headerNames are the header parameters checked for type (RFC 7515 section
// 4.1, RFC 7516 section 4.1); others are allowed and ignored.
var headerNames = newNames("alg", "enc", "kid", "typ", "x5t")

// checkHeader requires a JSON object with a non-empty string alg (and enc
// for a JWE)
// and no duplicate or misspelled parameters.
func checkHeader(h []byte, jwe bool) error {
	var alg, enc bool
	err := walkObject(h, "header", headerNames, func(name string, raw []byte) error {
		v, err := str(name, raw)
		if err != nil {
			return err
		}
		alg = alg || name == "alg" && v != ""
		enc = enc || name == "enc" && v != ""
		return nil
	})
	switch {
	case err != nil:
		return err
	case !alg:
		return malformed("the header names no alg")
	case jwe && !enc:
		return malformed("the five-part (JWE) header names no enc")
	}
	return nil
}
