package autherrors

import (
	"regexp"
	"strings"
)

// Redacted replaces every masked value.
const Redacted = "[REDACTED]"

var (
	// A JWT: base64url header starting {" then payload and signature.
	jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	// key=value and key: value pairs whose value is a credential, in query
	// strings, form bodies, logs and environment dumps.
	kvPattern = regexp.MustCompile(`(?i)\b(client_secret|client_assertion|access_token|refresh_token|id_token|assertion|password|passwd|pwd|secret|sig|azure_client_secret|azure_password|azure_client_certificate_password)(\s*[=:]\s*)([^\s&"',;]+)`)
	// The same pairs in JSON: "client_secret": "value".
	jsonKVPattern = regexp.MustCompile(`(?i)("(?:client_secret|client_assertion|access_token|refresh_token|id_token|assertion|password|secret)"\s*:\s*")((?:[^"\\]|\\.)*)(")`)
	// An Authorization header value.
	bearerPattern = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}`)
	// A Microsoft Entra client secret value (e.g. "abc8Q~…", 40
	// characters), also when a log cut or mangled its first characters.
	entraSecretPattern = regexp.MustCompile(`[A-Za-z0-9_.-]{0,3}[0-9]Q~[A-Za-z0-9_.~-]{30,}`)
)

// Redact masks what looks like a credential in s: JWTs (access tokens,
// client assertions, federated tokens), bearer and basic authorization
// values, Entra client secret values, and the values of client_secret=,
// client_assertion=, access_token=, refresh_token=, password= and similar
// pairs (also in JSON). It is what every [Diagnostic] string goes through.
func Redact(s string) string {
	if s == "" {
		return s
	}
	// Each pattern runs only where its literal part appears: most fields
	// (catalog sentences) hold none, and the regexps cost far more than
	// the scans that rule them out.
	if strings.Contains(s, "eyJ") {
		s = jwtPattern.ReplaceAllString(s, Redacted)
	}
	lower := ""
	lowered := func() string {
		if lower == "" {
			lower = strings.ToLower(s)
		}
		return lower
	}
	if strings.Contains(lowered(), "bearer") || strings.Contains(lower, "basic") {
		s = bearerPattern.ReplaceAllString(s, "${1} "+Redacted)
		lower = ""
	}
	if strings.Contains(s, "Q~") { // every match has it; the scan is slow
		s = entraSecretPattern.ReplaceAllString(s, Redacted)
		lower = ""
	}
	if !kvCandidate(lowered()) {
		return s
	}
	s = jsonKVPattern.ReplaceAllString(s, "${1}"+Redacted+"${3}")
	s = kvPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := kvPattern.FindStringSubmatch(m)
		if sub[3] == Redacted || strings.HasPrefix(sub[3], "[REDACTED") {
			return m
		}
		return sub[1] + sub[2] + Redacted
	})
	return s
}

// kvKeys are the ends of the keys kvPattern and jsonKVPattern mask (every
// key of theirs ends with one of these).
var kvKeys = []string{"secret", "assertion", "token", "password", "passwd", "pwd", "sig"}

// kvCandidate reports whether lower holds a key of kvPattern or
// jsonKVPattern followed (after white space or a closing quote) by = or :,
// which every match of theirs has.
func kvCandidate(lower string) bool {
	for _, k := range kvKeys {
		for off := 0; ; {
			i := strings.Index(lower[off:], k)
			if i < 0 {
				break
			}
			off += i + len(k)
			j := off
			if j < len(lower) && lower[j] == '"' {
				j++
			}
			for j < len(lower) && (lower[j] == ' ' || lower[j] == '\t' || lower[j] == '\n' || lower[j] == '\r' || lower[j] == '\v' || lower[j] == '\f') {
				j++
			}
			if j < len(lower) && (lower[j] == '=' || lower[j] == ':') {
				return true
			}
		}
	}
	return false
}
