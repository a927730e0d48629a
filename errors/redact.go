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
	// A Microsoft Entra client secret value (e.g. "abc8Q~…", 40 characters).
	entraSecretPattern = regexp.MustCompile(`[A-Za-z0-9_.-]{3}[0-9]Q~[A-Za-z0-9_.~-]{30,}`)
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
	s = jwtPattern.ReplaceAllString(s, Redacted)
	s = bearerPattern.ReplaceAllString(s, "${1} "+Redacted)
	if strings.Contains(s, "Q~") { // every match has it; the scan is slow
		s = entraSecretPattern.ReplaceAllString(s, Redacted)
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
