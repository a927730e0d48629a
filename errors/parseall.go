package autherrors

import "strings"

// Limits of [ParseAll]: it reads at most maxParseAll bytes of a log and
// diagnoses it in blocks of at most maxBlock bytes, so its time is linear
// in the log's size whatever the log holds.
const (
	maxParseAll = 64 << 20
	maxBlock    = 16 << 10
	maxBlockLen = 40 // lines
)

// ParseAll diagnoses every distinct failure in a whole log: it cuts the
// log into blocks (runs of non-blank lines of at most 40 lines and 16
// KiB, read whole so that a multi-line error keeps its context) and lines
// (so that a failure a block's diagnosis outranked is still seen),
// diagnoses each with [Parse]'s rules and returns one Diagnostic per distinct code and AADSTS
// code, in the order they first appear. Blocks nothing recognises are left
// out; when no block is recognised it returns Parse(text) alone (which
// quotes the text's own words), and nil for blank text. It reads at most
// 64 MiB, in time linear in the text's length.
func ParseAll(text string) []*Diagnostic {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	if len(text) > maxParseAll {
		text = text[:maxParseAll]
	}
	var out []*Diagnostic
	seen := map[string]bool{}
	add := func(block string) {
		if strings.TrimSpace(block) == "" {
			return
		}
		if len(block) > maxBlock {
			block = block[:maxBlock]
		}
		d := diagnose(block)
		key := string(d.Code) + "/" + d.AADSTS
		if d.Code == ErrUnknown || seen[key] {
			return
		}
		seen[key] = true
		out = append(out, d.For(nil))
	}
	for _, para := range paragraphs(text) {
		if len(para) <= maxBlock && strings.Count(para, "\n") < maxBlockLen {
			add(para) // a multi-line error read whole
		}
		if strings.Contains(para, "\n") {
			for line := range strings.Lines(para) {
				add(line) // failures the block's diagnosis outranked
			}
		}
	}
	if len(out) == 0 {
		return []*Diagnostic{Parse(text)}
	}
	return out
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []string {
	var out []string
	start := 0
	for off := 0; off < len(text); {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			break
		}
		lineEnd := off + i
		next := lineEnd + 1
		j := next
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
			j++
		}
		if j < len(text) && text[j] == '\n' { // a blank line
			out = append(out, text[start:lineEnd])
			start = j + 1
			next = j + 1
		}
		off = next
	}
	return append(out, text[start:])
}
