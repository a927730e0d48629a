package autherrors

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
)

// The structure layer: what a failure says in fields rather than words.
// Entra's OAuth error body (error, error_description, error_codes,
// suberror, claims) is found wherever it sits, escaped at any depth (see
// newScan); the code extractors below read it before any phrase is tried.

// oauthErrors are the OAuth 2.0 error names (RFC 6749 §5.2, OIDC, and
// Entra's additions) that MSAL prints before a bare Entra code, as in
// "invalid_client: 7000215 - [timestamp]" (MSAL.js) or
// "temporarily_unavailable: 50033".
var oauthErrors = []string{
	"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
	"invalid_scope", "interaction_required", "login_required", "consent_required", "temporarily_unavailable",
	"server_error", "access_denied", "invalid_resource", "expired_token", "authorization_pending", "invalid_tenant",
}

var oauthErrorPhrases = compilePhrases(oauthErrors)

// codeSeeker is a spot where an Entra code appears without its AADSTS
// prefix: after a key (its value), or after an OAuth error name.
var (
	errorCodesKey = compilePhrase(`"error_codes"`)
	// "Error Code: 530033", "errorCode=50076", "error_code: 50126": a
	// number there is Entra's only when the catalog knows it, since other
	// services number their errors too.
	errorCodeKeys = compilePhrases([]string{"error code", "errorcode", "error_code"})
)

// entraCodes returns the Entra codes the text names, in order: its AADSTS
// numbers; or, when it has none, the first of each error_codes array,
// MSAL's "<oauth error>: <code>" prefix, and "Error Code: <code>" where the
// catalog knows the code.
func (s *scan) entraCodes() []int {
	var out []int
	after(s.norm, "AADSTS", 64, func(end int) {
		if n, ok := digitsAt(s.norm, end); ok {
			out = append(out, n)
		}
	})
	if len(out) > 0 {
		return out // the prefixed codes are the text's own; the rest repeat them
	}
	if s.has(errorCodesKey) {
		after(s.lower, `"error_codes"`, 72, func(end int) {
			if n, ok := digitsAt(s.lower, skip(s.lower, end, ` :[`)); ok {
				out = append(out, n)
			}
		})
	}
	for _, p := range oauthErrorPhrases {
		if s.has(p) {
			after(s.lower, p.s, 8, func(end int) {
				if end < len(s.lower) && s.lower[end] == ':' {
					if n, ok := digitsAt(s.lower, skip(s.lower, end+1, " ")); ok {
						out = append(out, n)
					}
				}
			})
		}
	}
	for _, p := range errorCodeKeys {
		if s.has(p) {
			after(s.lower, p.s, 8, func(end int) {
				j := skip(s.lower, end, ` "':=`)
				if j == end || (j > 0 && j < len(s.lower) && s.lower[j-1] == '-') {
					return
				}
				if n, ok := digitsAt(s.lower, j); ok {
					if _, known := catalogIndex[n]; known {
						out = append(out, n)
					}
				}
			})
		}
	}
	return out
}

// after calls f with the index just past each of the first max
// occurrences of sub in text.
func after(text, sub string, max int, f func(end int)) {
	for off, k := 0, 0; k < max; k++ {
		i := strings.Index(text[off:], sub)
		if i < 0 {
			return
		}
		off += i + len(sub)
		f(off)
	}
}

// digitsAt reads the 5 to 8 digits at s[i:], which must not be followed by
// another digit or a letter.
func digitsAt(s string, i int) (int, bool) {
	j := i
	for j < len(s) && j-i <= 8 && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	if j-i < 5 || j-i > 8 {
		return 0, false
	}
	if j < len(s) && isWordByte(s[j]) {
		return 0, false
	}
	n, err := strconv.Atoi(s[i:j])
	return n, err == nil
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// skip returns the first index at or after i whose byte is not in set.
func skip(s string, i int, set string) int {
	for i < len(s) && strings.IndexByte(set, s[i]) >= 0 {
		i++
	}
	return i
}

// valueAfter returns the value of the first key (lower case, with its
// quotes if it has them) in the text: the characters after the key and a
// separator (":", "=", quotes, spaces) up to a closing quote, or, for an
// unquoted value, up to the end of the line's sentence. It reads norm, so
// the value keeps its case. At most limit bytes are returned.
func (s *scan) valueAfter(key string, limit int) string {
	i := strings.Index(s.lower, key)
	if i < 0 {
		return ""
	}
	j := skip(s.norm, i+len(key), ` :=`)
	if j >= len(s.norm) {
		return ""
	}
	quote := byte(0)
	if c := s.norm[j]; c == '"' || c == '\'' {
		quote = c
		j++
	}
	end := j
	for end < len(s.norm) && end-j < limit {
		c := s.norm[end]
		if quote != 0 && c == quote || quote == 0 && (c == ',' || c == '}' || c == '"') {
			break
		}
		end++
	}
	return strings.TrimSpace(s.norm[j:end])
}

// description is the service's own account of the failure: Entra's
// error_description, an ARM or Graph error message, or the words after the
// AADSTS code num. It is raw text: a Diagnostic redacts it before anyone
// sees it.
func (s *scan) description(num int) string {
	if num != 0 {
		key := "AADSTS" + strconv.Itoa(num)
		if i := strings.Index(s.norm, key); i >= 0 {
			rest := strings.TrimLeft(s.norm[i+len(key):], ": ")
			if strings.HasPrefix(rest, "Trace ID") {
				rest = ""
			}
			if j := strings.Index(rest, " Trace ID"); j >= 0 {
				rest = rest[:j]
			}
			if j := strings.IndexAny(rest, "\"}"); j >= 0 {
				rest = rest[:j]
			}
			if d := cutWords(rest, 300); d != "" {
				return d
			}
		}
	}
	for _, key := range []string{"error_description", `"message"`, "errormessage", "message:"} {
		if v := s.valueAfter(key, 300); len(v) > 3 {
			return cutWords(v, 300)
		}
	}
	return ""
}

// firstLine is the text's first non-blank line, at most limit bytes: what
// the producer said, shown when nothing else is known.
func firstLine(text string, limit int) string {
	text = strings.TrimSpace(text)
	if i := strings.IndexAny(text, "\r\n"); i >= 0 {
		text = text[:i]
	}
	return cutWords(text, limit)
}

// cutWords redacts s with [Redact] and cuts it at a space before limit
// bytes. It redacts first, so no pattern-shaped secret is cut into a part
// the patterns no longer recognise, and it cuts only between words, so a
// registered secret (which [Diagnostic.For] masks later) is kept whole or
// dropped whole.
func cutWords(s string, limit int) string {
	s = strings.TrimSpace(Redact(quote(s)))
	if len(s) <= limit {
		return s
	}
	cut := strings.LastIndexByte(s[:limit], ' ')
	if cut < 0 {
		return ""
	}
	return strings.TrimSpace(s[:cut]) + " …"
}

// claimsKeys introduce a claims challenge: WWW-Authenticate's claims="…"
// (base64 JSON) and the claims= query parameter (URL-escaped JSON).
var claimsKeys = compilePhrases([]string{`claims="`, "claims=", `"claims":"`})

// decodedClaims returns the claims challenges in the text, decoded and in
// lower case (at most 4 KiB each), or "". A claims challenge names what the
// resource wants: acrs (a Conditional Access authentication context),
// xms_cc (client capabilities such as CAE) or a fresh sign-in (nbf).
func (s *scan) decodedClaims() string {
	var out []string
	for _, p := range claimsKeys {
		if !s.has(p) {
			continue
		}
		for off, k := 0, 0; k < 4; k++ {
			i := strings.Index(s.lower[off:], p.s)
			if i < 0 {
				break
			}
			off += i + len(p.s)
			end := off
			for end < len(s.norm) && end-off < 4096 && !isSpace(s.norm[end]) && strings.IndexByte(`"',&`, s.norm[end]) < 0 {
				end++
			}
			v := s.norm[off:end]
			if dec, err := url.QueryUnescape(v); err == nil && strings.Contains(dec, "{") {
				out = append(out, strings.ToLower(dec))
				continue
			}
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
				if b, err := enc.DecodeString(v); err == nil {
					out = append(out, strings.ToLower(string(b)))
					break
				}
			}
		}
	}
	return strings.Join(out, " ")
}
