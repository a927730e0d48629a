package autherrors

import (
	"regexp"
	"strconv"
	"strings"
)

// maxParse bounds the text Parse reads; longer text is truncated.
const maxParse = 1 << 20

var (
	guid = `([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`
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
// errors, Azure CLI and Azure PowerShell output, MSAL errors (Go, .NET,
// Python, JavaScript, Java), IMDS and App Service managed identity
// messages, ARM, Storage and Graph errors. It returns nil for blank text
// and a Diagnostic with [ErrUnknown] when nothing matches; that one quotes
// the service's own words (redacted), never a guess.
//
// The rules are layered, structure before words. The text is normalized
// once (JSON escapes at any depth undone, white space collapsed). Then an
// Entra code in it decides over any phrase: an AADSTS number, Entra's
// error_codes array, MSAL's "invalid_client: 7000215" prefix, or an
// "Error Code: 530033" the catalog knows; when several appear the more
// specific (inner) one wins. Then the families of error forms (token
// caches, claims challenges, authorization, password flows, certificates,
// configuration, managed identity, throttling, timeouts, network), then
// the interaction phrases, which alone mean [ErrMFARequired]. See the
// package documentation. Parse(text).For(env) writes the remedy for where
// the program runs.
func Parse(text string) *Diagnostic {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	if len(text) > maxParse {
		text = text[:maxParse]
	}
	return diagnose(text).For(nil)
}

// diagnose fills a Diagnostic from text.
func diagnose(text string) *Diagnostic {
	s := newScan(text)
	norm, lower := s.norm, s.lower
	d := &Diagnostic{
		// azidentity names the credential type in its messages; the
		// credential kind is the caller's to name (see Environment.Kind).
		certificate:   strings.Contains(norm, "ClientCertificateCredential"),
		TraceID:       findAfter(lower, lower, tracePattern, 100, "trace"),
		CorrelationID: findAfter(lower, lower, corrPattern, 100, "correlation"),
	}
	if st := findAfter(lower, lower, statusPattern, 40, "response", "status", "http"); st != "" {
		d.StatusCode, _ = strconv.Atoi(st)
	}
	d.Subject = quotedSubject(norm, lower)
	if e, num := pickAADSTS(s.entraCodes()); num != 0 {
		d.AADSTS = "AADSTS" + strconv.Itoa(num)
		if e == nil || e.code == ErrUnknown {
			unknownCode(d, s, e, num)
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
	if strings.Contains(norm, "autoidentity: ") {
		if m := ownPattern.FindStringSubmatch(norm); m != nil {
			if _, ok := codeIndex[Code(m[1])]; ok {
				fill(d, Code(m[1]), "", "")
				return d
			}
		}
	}
	s.extend(s.decodedClaims())
	for i := range forms {
		if f := &forms[i]; f.match(s) {
			fill(d, f.code, f.summary, f.remedy)
			return d
		}
	}
	unknownText(d, s, text)
	return d
}

// remedyUnknown is the remedy of a failure no rule recognises: it sends the
// reader to the service's own words, which the summary quotes.
const remedyUnknown = "Read the service's own words above and the full error text: this is not an identity failure autoidentity recognises, so it prescribes no fix."

// unknownCode diagnoses an Entra code the catalog does not know (e nil)
// or maps to no fix (e.code is ErrUnknown). The summary is Microsoft's
// meaning of a catalogued code, else Entra's own words; the remedy quotes
// Entra's words and links Microsoft's page for the code.
func unknownCode(d *Diagnostic, s *scan, e *aadstsEntry, num int) {
	words := s.description(num)
	docs := "https://login.microsoftonline.com/error?code=" + strconv.Itoa(num)
	summary := "Microsoft Entra returned " + d.AADSTS + " without a description."
	if words != "" {
		summary = "Microsoft Entra returned " + d.AADSTS + ": " + words
	}
	remedy := "Entra's words above say what failed. It is not an identity failure autoidentity recognises, so it prescribes no fix; Microsoft describes the code at " + docs + "."
	if e != nil {
		summary = e.summary
		if words != "" {
			remedy = "Entra said: \"" + words + "\" " + remedy[len("Entra's words above say what failed. "):]
		}
		if e.remedy != "" {
			remedy = e.remedy
		}
	}
	fill(d, ErrUnknown, summary, remedy)
	d.Docs = docs
}

// unknownText diagnoses a text no rule recognises and that names no Entra
// code: it quotes the service's error_description or message, or else the
// text's first line, and says so.
func unknownText(d *Diagnostic, s *scan, text string) {
	summary := "Not an identity failure we recognise."
	if words := s.description(0); words != "" {
		summary += " The service said: " + words
	} else if line := firstLine(text, 300); line != "" {
		summary += " The text said: " + line
	}
	fill(d, ErrUnknown, summary, remedyUnknown)
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

// pickAADSTS returns the deciding catalog entry and its number among the
// codes a text names. A non-generic code beats a generic wrapper; among
// equals the later (inner) one wins. An unknown code is returned with a
// nil entry only when no known code appears.
func pickAADSTS(codes []int) (*aadstsEntry, int) {
	var best *aadstsEntry
	unknown := 0
	for _, num := range codes {
		e, ok := catalogIndex[num]
		if !ok {
			if unknown == 0 {
				unknown = num
			}
			continue
		}
		if best == nil || !e.generic || best.generic {
			best = e
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
			off = i + len(key)
			if off < len(lower) && 'a' <= lower[off] && lower[off] <= 'z' && key == "http" {
				continue // https://…, httpclient: not a status
			}
			end := min(i+window, len(src))
			if m := re.FindStringSubmatch(src[i:end]); m != nil {
				return m[1]
			}
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
