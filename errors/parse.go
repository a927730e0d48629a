package autherrors

import (
	"regexp"
	"strconv"
	"strings"
)

// maxParse bounds the text Parse reads; longer text is truncated.
const maxParse = 1 << 20

var (
	aadstsPattern    = regexp.MustCompile(`AADSTS(\d{5,8})`)
	errorCodesPatten = regexp.MustCompile(`"error_codes"\s*:\s*\[\s*(\d{5,8})`)
	guid             = `([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`
	// These run on a short window after a literal found by strings.Index
	// in the lower-cased text, which keeps Parse linear and fast.
	tracePattern  = regexp.MustCompile(`^trace[ _]?id"?\s*[:=]\s*"?` + guid)
	corrPattern   = regexp.MustCompile(`^correlation[ _]?id"?\s*[:=]\s*"?` + guid)
	statusPattern = regexp.MustCompile(`^(?:response|status(?:\s*code)?:?|http(?:/\d(?:\.\d)?)?)\s*\(?([1-5]\d\d)\b`)
	ownPattern    = regexp.MustCompile(`autoidentity: ([a-z-]{4,40}): `)
)

// subjectKey introduces the subject Entra quotes when no federated identity
// credential matches (AADSTS700213, 70021).
const subjectKey = "assertion subject '"

// quotedSubject returns the text between the first subjectKey and the next
// quote, raw: [Diagnostic.For] redacts it before it cuts it to
// [MaxSubjectLen] (a cut first could leave part of a secret that redaction
// no longer recognises). A subject with no closing quote (the text was
// cut) ends with [Truncated], and so does one over maxQuoted bytes.
func quotedSubject(text, lower string) string {
	i := strings.Index(lower, subjectKey)
	if i < 0 {
		return ""
	}
	s := text[i+len(subjectKey):]
	if j := strings.IndexByte(s, '\''); j >= 0 {
		return quote(s[:j])
	}
	if len(s) > maxQuoted {
		return quote(s)
	}
	return s + Truncated
}

// Parse diagnoses raw text pasted from a log: azidentity's multi-line
// errors, Azure CLI and Azure PowerShell output, MSAL errors, IMDS and App
// Service managed identity messages, ARM errors. It returns nil for blank
// text and a Diagnostic with [ErrUnknown] when nothing matches.
//
// The rules, in order: an AADSTS code in the text decides over any phrase;
// when several appear the more specific (inner) one wins; then known error
// forms (keychain, authorization, managed identity, throttling, timeouts,
// network); then the interaction phrases, which alone mean
// [ErrMFARequired]. See the package documentation. Parse(text).For(env)
// writes the remedy for where the program runs.
func Parse(text string) *Diagnostic {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	if len(text) > maxParse {
		text = text[:maxParse]
	}
	return diagnose(text, asciiLower(text)).For(nil)
}

// diagnose fills a Diagnostic from text; lower is text in lower case.
func diagnose(text, lower string) *Diagnostic {
	d := &Diagnostic{
		// azidentity names the credential type in its messages; the
		// credential kind is the caller's to name (see Environment.Kind).
		certificate:   strings.Contains(text, "ClientCertificateCredential"),
		TraceID:       findAfter(lower, lower, tracePattern, 100, "trace"),
		CorrelationID: findAfter(lower, lower, corrPattern, 100, "correlation"),
	}
	if s := findAfter(lower, lower, statusPattern, 40, "response", "status", "http"); s != "" {
		d.StatusCode, _ = strconv.Atoi(s)
	}
	d.Subject = quotedSubject(text, lower)
	if e, num := pickAADSTS(text); num != 0 {
		d.AADSTS = "AADSTS" + strconv.Itoa(num)
		if e == nil {
			fill(d, ErrUnknown, "Microsoft Entra returned "+d.AADSTS+", which the catalog does not know.", "")
			d.Docs = "https://login.microsoftonline.com/error?code=" + strconv.Itoa(num)
			return d
		}
		code, summary, remedy := e.code, e.summary, e.remedy
		for _, v := range e.variants {
			if strings.Contains(lower, v.contains) {
				code, summary, remedy = v.code, v.summary, v.remedy
				break
			}
		}
		fill(d, code, summary, remedy)
		return d
	}
	if m := ownPattern.FindStringSubmatch(text); m != nil {
		if _, ok := codeIndex[Code(m[1])]; ok {
			fill(d, Code(m[1]), "", "")
			return d
		}
	}
	for _, f := range forms {
		if f.match(lower) {
			fill(d, f.code, f.summary, f.remedy)
			return d
		}
	}
	fill(d, ErrUnknown, "", "")
	return d
}

func fill(d *Diagnostic, code Code, summary, remedy string) {
	info := lookupCode(code)
	d.Code = code
	d.Summary, d.Remedy, d.Docs = summary, remedy, info.docs
	if d.Summary == "" {
		d.Summary = info.summary
	}
	if d.Remedy == "" {
		d.Remedy = info.remedy
	}
}

// pickAADSTS returns the deciding catalog entry and its number. A
// non-generic code beats a generic wrapper; among equals the later (inner)
// one wins. An unknown code is returned with a nil entry only when no known
// code appears.
func pickAADSTS(text string) (*aadstsEntry, int) {
	var best *aadstsEntry
	unknown := 0
	consider := func(num int) {
		e, ok := catalogIndex[num]
		if !ok {
			if unknown == 0 {
				unknown = num
			}
			return
		}
		if best == nil || !e.generic || best.generic {
			best = e
		}
	}
	for _, m := range aadstsPattern.FindAllStringSubmatch(text, 64) {
		n, _ := strconv.Atoi(m[1])
		consider(n)
	}
	if best == nil && unknown == 0 {
		for _, m := range errorCodesPatten.FindAllStringSubmatch(text, 8) {
			n, _ := strconv.Atoi(m[1])
			consider(n)
		}
	}
	if best != nil {
		return best, best.num
	}
	return nil, unknown
}

// findAfter looks for each key in lower and matches re (anchored) against
// src in a window starting there; src is text or lower, which share byte
// offsets (asciiLower). It returns the first submatch found.
func findAfter(lower, src string, re *regexp.Regexp, window int, keys ...string) string {
	for _, key := range keys {
		for off, n := 0, 0; n < 16; n++ {
			i := strings.Index(lower[off:], key)
			if i < 0 {
				break
			}
			i += off
			end := min(i+window, len(src))
			if m := re.FindStringSubmatch(src[i:end]); m != nil {
				return m[1]
			}
			off = i + len(key)
		}
	}
	return ""
}

// asciiLower lower-cases ASCII letters only, so byte offsets match text.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
