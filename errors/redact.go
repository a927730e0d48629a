package autherrors

import (
	"regexp"
	"sort"
	"strings"
	"sync"
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
	s = entraSecretPattern.ReplaceAllString(s, Redacted)
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

// A Redactor masks known secret values as well as what [Redact] masks. The
// credential package registers the secrets it holds (a client secret, a
// certificate password, an OIDC request token) so that no diagnostic can
// echo them. A Redactor is safe for concurrent use; the zero value is ready.
type Redactor struct {
	mu     sync.RWMutex
	values []string
}

// minSecretLen is the shortest value a Redactor masks: shorter values would
// mask ordinary words.
const minSecretLen = 6

// Add registers secret values to mask. Values shorter than 6 characters
// are ignored.
func (r *Redactor) Add(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) >= minSecretLen {
			r.values = append(r.values, v)
		}
	}
	// Longest first, so a value containing another is masked whole.
	sort.Slice(r.values, func(i, j int) bool { return len(r.values[i]) > len(r.values[j]) })
}

// Redact masks the registered values, then applies [Redact].
func (r *Redactor) Redact(s string) string {
	if r != nil {
		r.mu.RLock()
		for _, v := range r.values {
			s = strings.ReplaceAll(s, v, Redacted)
		}
		r.mu.RUnlock()
	}
	return Redact(s)
}

// redactDiagnostic applies r to every string field of d.
func (r *Redactor) redactDiagnostic(d *Diagnostic) {
	for _, p := range []*string{&d.AADSTS, &d.Kind, &d.Summary, &d.Remedy, &d.Docs, &d.TraceID, &d.CorrelationID, &d.Subject} {
		*p = r.Redact(*p)
	}
}
