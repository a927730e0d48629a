package autherrors

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// Limits on the text a [Diagnostic] repeats. A field longer than its limit
// is cut and ends with [Truncated]; the limits include the marker.
const (
	// MaxSubjectLen is the most bytes of [Diagnostic.Subject], the one
	// field copied from the failed response's text. Real subjects (GitHub
	// Actions, Azure Pipelines, Kubernetes service accounts) are far
	// shorter.
	MaxSubjectLen = 256
	// MaxFieldLen is the most bytes of every other string field. It bounds
	// what a Diagnostic quotes from its cause (a host name, a resolver
	// message) and remedies that repeat the subject.
	MaxFieldLen = 4096
)

// Truncated ends a field that was cut: longer than its limit, or, for
// [Diagnostic.Subject], at the first character no subject has (white
// space, a control character, a quote, anything outside letters, digits
// and :/._@~+=-). A field is cut, never dropped.
const Truncated = "[TRUNCATED]"

// maxQuoted bounds text quoted from a cause (the subject, a host name, a
// resolver message) before it is redacted: Redact's patterns take a good
// part of a second over a megabyte. It is far above the field limits, so
// the field cut, made after redaction, falls well before it and removes
// the marker this bound leaves. A value that starts in the kept part of a
// field and runs past the bound is masked by neither full match nor
// pattern; a registered one still loses its kept beginning to the field
// cut (see cut), so only an unregistered token over 16 KiB could show a
// prefix.
const maxQuoted = 16 << 10

// quote bounds s, text a Diagnostic repeats from its cause.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	return s[:maxQuoted] + Truncated
}

// redactDiagnostic redacts, then caps, every string field of d but Code.
// Code is never redacted: it is the contract, and no text reaches it (Parse
// accepts only catalog codes; New's callers pass constants).
//
// The patterns of [Redact] run once per field: a field that holds what an
// earlier pass (New, or a previous For) left, or a catalog sentence, is
// only masked with r's registered secrets, which that pass may not have
// known. Every field is still redacted when it leaves.
func (r *redactor) redactDiagnostic(d *Diagnostic) {
	d.Subject = r.subject(d.Subject)
	for _, p := range []*string{&d.AADSTS, &d.Kind, &d.Summary, &d.Remedy, &d.Docs, &d.TraceID, &d.CorrelationID} {
		*p = r.fieldClean(*p, d.redacted(*p))
	}
	d.clean = [2]string{d.Summary, d.Remedy}
}

// field redacts s and caps it at MaxFieldLen.
func (r *redactor) field(s string) string {
	return r.fieldClean(s, false)
}

// fieldClean is field for an s that, when clean, already went through
// Redact's patterns (which find nothing more in their own output): it is
// masked with the registered secrets, and its patterns run again only if
// that masked something.
func (r *redactor) fieldClean(s string, clean bool) string {
	m := r.mask(s)
	if !clean || m != s {
		m = Redact(m)
	}
	return r.cut(m, len(m), MaxFieldLen)
}

// redacted reports whether s is a field value Redact's patterns already
// ran on: one d's last redaction left, or a constant of the package
// (catalog and code sentences, which hold nothing they mask; a test keeps
// it so).
func (d *Diagnostic) redacted(s string) bool {
	return s == "" || s == d.clean[0] || s == d.clean[1] || constantText()[s]
}

// constantText is the set of the package's own sentences: catalog
// summaries and remedies, code summaries, remedies and links, and the
// forms' summaries and remedies.
var constantText = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, e := range catalog {
		m[e.summary], m[e.remedy] = true, true
		for _, v := range e.variants {
			m[v.summary], m[v.remedy] = true, true
		}
	}
	for _, c := range codeTable {
		m[c.summary], m[c.remedy], m[c.docs] = true, true, true
	}
	for _, f := range forms {
		m[f.summary], m[f.remedy] = true, true
	}
	delete(m, "")
	for s := range m {
		if Redact(s) != s { // a sentence the patterns touch is redacted each time
			delete(m, s)
		}
	}
	return m
})

// subject redacts s, then cuts it at the first byte no subject has and
// caps it at MaxSubjectLen. A masked value ([Redacted]) is kept, so the
// reader sees where it was.
func (r *redactor) subject(s string) string {
	s = r.Redact(s)
	at := len(s)
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], Redacted) {
			i += len(Redacted)
			continue
		}
		if !subjectByte(s[i]) {
			at = i
			break
		}
		i++
	}
	// Clone: s may share the memory of a megabyte of response text.
	return strings.Clone(r.cut(s, at, MaxSubjectLen))
}

// cut returns s[:at] followed by [Truncated] when at < len(s), when s is
// longer than limit, or when s already ends with the marker (cut by an
// earlier pass, perhaps with fewer secrets known). The kept text ends on a
// rune boundary and loses any tail that begins a registered secret form,
// so a secret that straddled the cut leaves no prefix behind.
func (r *redactor) cut(s string, at, limit int) string {
	if at >= len(s) && len(s) <= limit && !strings.HasSuffix(s, Truncated) {
		return s
	}
	at = min(at, limit-len(Truncated))
	if strings.HasSuffix(s, Truncated) {
		at = min(at, len(s)-len(Truncated))
	}
	for at > 0 && at < len(s) && !utf8.RuneStart(s[at]) {
		at--
	}
	return r.trimPartial(s[:at]) + Truncated
}

// subjectByte reports whether c may appear in a subject: letters, digits
// and :/._@~+=-.
func subjectByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte(":/._@~+=-", c) >= 0
}
