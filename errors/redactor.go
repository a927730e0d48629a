package autherrors

import (
	"cmp"
	"slices"
	"strings"
	"sync"
)

// A redactor masks known secret values as well as what [Redact] masks: the
// secrets registered with [Environment.AddSecrets], so that no diagnostic
// can echo them, whether verbatim or in one of the encodings Add lists. A
// redactor is safe for concurrent use; the zero value is ready, and a nil
// *redactor masks only what Redact masks. It is unexported: callers hand
// secret values to an Environment, never a masking object around.
type redactor struct {
	mu sync.RWMutex
	// forms holds every registered value and encoding of one, distinct,
	// longest first, none shorter than minSecretLen.
	forms []string
}

// minSecretLen is the shortest value, and the shortest encoding of one, a
// redactor masks: shorter strings would mask ordinary words.
const minSecretLen = 6

// Add registers secret values to mask. Each value is trimmed of surrounding
// white space; values shorter than 6 bytes are ignored. Besides the value
// itself, Add registers the forms in which a service, a proxy or a log may
// echo it:
//
//   - standard and URL-safe base64, padded and raw, and the cores of the
//     base64 of the value at each of the three byte alignments, so that
//     the value is masked inside a longer base64 string too (a Basic
//     authorization header encodes "client-id:secret");
//   - url.QueryEscape and url.PathEscape;
//   - the JSON string escaping of the value, with and without the HTML
//     escapes json.Marshal adds (without the quotes);
//   - lower- and upper-case hex, as debug dumps and %x print bytes.
//
// Encodings shorter than 6 bytes are not registered.
func (r *redactor) Add(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := make(map[string]bool, len(r.forms))
	for _, f := range r.forms {
		seen[f] = true
	}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < minSecretLen {
			continue
		}
		for _, f := range secretForms(v) {
			if len(f) >= minSecretLen && !seen[f] {
				seen[f] = true
				r.forms = append(r.forms, f)
			}
		}
	}
	slices.SortStableFunc(r.forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
}

// Redact masks every occurrence of the registered values and their
// encodings, then applies [Redact]. Occurrences that overlap (two values,
// or a value and an encoding of another) are masked as one span, so no
// part of either is left. It reads s once per registered form: its cost is
// linear in len(s) times the number of forms.
func (r *redactor) Redact(s string) string {
	return Redact(r.mask(s))
}

// span is a byte range [start, end) of a string to mask.
type span struct{ start, end int }

// mask replaces the union of all occurrences of the registered forms.
func (r *redactor) mask(s string) string {
	if r == nil || len(s) < minSecretLen {
		return s
	}
	r.mu.RLock()
	var spans []span
	for _, f := range r.forms {
		for off := 0; off+len(f) <= len(s); {
			i := strings.Index(s[off:], f)
			if i < 0 {
				break
			}
			off += i
			spans = append(spans, span{off, off + len(f)})
			off++ // overlapping occurrences of f are masked too
		}
	}
	r.mu.RUnlock()
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	var b strings.Builder
	b.Grow(len(s))
	done := 0 // s[:done] is written or masked
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start <= end; i++ {
			end = max(end, spans[i].end)
		}
		b.WriteString(s[done:start])
		b.WriteString(Redacted)
		done = end
	}
	b.WriteString(s[done:])
	return b.String()
}

// trimPartial drops the longest tail of s that begins a registered form,
// until none does. It runs where a field is cut: a form that straddled the
// cut left its beginning in s, which masking cannot recognise.
func (r *redactor) trimPartial(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for len(s) > 0 {
		k := 0
		for _, f := range r.forms {
			k = max(k, overlap(s, f))
		}
		if k == 0 {
			break
		}
		s = s[:len(s)-k]
	}
	return s
}

// overlap returns the length of the longest suffix of s that is a prefix
// of f, in time linear in min(len(s), len(f)) (Knuth-Morris-Pratt).
func overlap(s, f string) int {
	n := min(len(s), len(f))
	if n == 0 || strings.IndexByte(s[len(s)-n:], f[0]) < 0 {
		return 0
	}
	s, f = s[len(s)-n:], f[:n]  // no longer overlap exists
	fail := make([]int, len(f)) // fail[i]: longest proper border of f[:i+1]
	for i, k := 1, 0; i < len(f); i++ {
		for k > 0 && f[i] != f[k] {
			k = fail[k-1]
		}
		if f[i] == f[k] {
			k++
		}
		fail[i] = k
	}
	k := 0
	for i := 0; i < len(s); i++ {
		if k == len(f) {
			k = fail[k-1]
		}
		for k > 0 && s[i] != f[k] {
			k = fail[k-1]
		}
		if s[i] == f[k] {
			k++
		}
	}
	return k
}
