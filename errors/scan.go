package autherrors

import "strings"

// scan is one pass over a text: the text with its JSON string escapes
// undone and its white space collapsed (norm), the same in lower case
// (lower, which shares norm's byte offsets), and the set of byte pairs
// lower holds (grams), which lets a phrase that cannot appear be skipped
// without reading the text again. Every rule reads a scan; none reads the
// raw text, so a body escaped several levels deep in a log reads like the
// body itself.
type scan struct {
	norm, lower string
	grams       grams
}

// grams is a bit set of the byte pairs (bigrams) of a text.
type grams [1024]uint64

func (g *grams) add(a, b byte) {
	k := uint16(a)<<8 | uint16(b)
	g[k>>6] |= 1 << (k & 63)
}

func (g *grams) has(k uint16) bool { return g[k>>6]&(1<<(k&63)) != 0 }

// newScan normalizes text in one pass:
//
//   - a run of backslashes before ", ' or / is dropped (JSON escaping at
//     any depth: \", \\\", \\\\\\\" all read as ");
//   - \n, \r and \t escapes, at any depth, read as white space;
//   - \uXXXX escapes of printable ASCII read as the character;
//   - runs of white space become one space, so that a phrase broken
//     across lines still matches.
func newScan(text string) *scan {
	s := &scan{}
	g := &s.grams
	norm := make([]byte, len(text)+1)
	lower := make([]byte, len(text)+1)
	n := 0
	prev := byte(' ')
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\\' {
			var skipTo int
			c, skipTo = unescape(text, i)
			i = skipTo
		}
		if c <= ' ' && isSpace(c) {
			if prev == ' ' {
				continue
			}
			c = ' '
		}
		l := lowerASCII[c]
		norm[n], lower[n] = c, l
		n++
		k := uint16(prev)<<8 | uint16(l)
		g[k>>6] |= 1 << (k & 63)
		prev = l
	}
	g.add(prev, ' ')
	s.norm, s.lower = string(norm[:n]), string(lower[:n])
	return s
}

// unescape reads the escape at text[i] (a backslash): it returns the byte
// it stands for and the index of its last byte.
func unescape(text string, i int) (byte, int) {
	j := i
	for j < len(text) && text[j] == '\\' {
		j++
	}
	if j == len(text) {
		return '\\', j - 1
	}
	switch n := text[j]; n {
	case '"', '\'', '/':
		return n, j
	case 'n', 'r', 't':
		return ' ', j
	case 'u':
		if r, ok := asciiEscape(text[j+1:]); ok {
			return r, j + 4
		}
	}
	return '\\', j - 1
}

// lowerASCII maps ASCII upper-case letters to lower case, and every other
// byte to itself.
var lowerASCII = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] = byte(i + 'a' - 'A')
		}
	}
	return t
}()

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'
}

// asciiEscape decodes the XXXX of a \uXXXX escape of printable ASCII.
func asciiEscape(s string) (byte, bool) {
	if len(s) < 4 || s[0] != '0' || s[1] != '0' {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[2:4]) {
		switch {
		case '0' <= c && c <= '9':
			v = v*16 + int(c-'0')
		case 'a' <= c && c <= 'f':
			v = v*16 + int(c-'a'+10)
		case 'A' <= c && c <= 'F':
			v = v*16 + int(c-'A'+10)
		default:
			return 0, false
		}
	}
	if v < 0x20 || v > 0x7e {
		return 0, false
	}
	return byte(v), true
}

// phrase is a lower-case substring a rule looks for, with the byte pairs
// it holds: a text missing one of them cannot hold the phrase.
type phrase struct {
	s    string
	keys []uint16
}

func compilePhrase(s string) phrase {
	p := phrase{s: s}
	seen := map[uint16]bool{}
	for i := 0; i+1 < len(s); i++ {
		k := uint16(s[i])<<8 | uint16(s[i+1])
		if !seen[k] {
			seen[k] = true
			p.keys = append(p.keys, k)
		}
	}
	// The rarest pairs first, so that an absent phrase is rejected early.
	rank := func(k uint16) int { return pairRank(byte(k>>8)) + pairRank(byte(k)) }
	for i := 1; i < len(p.keys); i++ {
		for j := i; j > 0 && rank(p.keys[j]) > rank(p.keys[j-1]); j-- {
			p.keys[j], p.keys[j-1] = p.keys[j-1], p.keys[j]
		}
	}
	if len(p.keys) > 6 {
		p.keys = p.keys[:6]
	}
	return p
}

// pairRank is how rare a byte is in English log text (higher is rarer).
func pairRank(c byte) int {
	switch {
	case strings.IndexByte("etaoinsr ", c) >= 0:
		return 0
	case strings.IndexByte("hldcum", c) >= 0:
		return 1
	case 'a' <= c && c <= 'z':
		return 2
	}
	return 3
}

func compilePhrases(ss []string) []phrase {
	ps := make([]phrase, len(ss))
	for i, s := range ss {
		ps[i] = compilePhrase(s)
	}
	return ps
}

// has reports whether the text holds p.
func (s *scan) has(p phrase) bool {
	for _, k := range p.keys {
		if !s.grams.has(k) {
			return false
		}
	}
	return strings.Contains(s.lower, p.s)
}

// hasAny reports whether the text holds one of ps.
func (s *scan) hasAny(ps []phrase) bool {
	for _, p := range ps {
		if s.has(p) {
			return true
		}
	}
	return false
}

// extend appends extra (decoded text the raw text held encoded, such as a
// claims challenge) to the scan, after a space; the offsets of what was
// there do not change.
func (s *scan) extend(extra string) {
	if extra == "" {
		return
	}
	extra = " " + extra
	prev := byte(' ')
	if len(s.lower) > 0 {
		prev = s.lower[len(s.lower)-1]
	}
	for i := 0; i < len(extra); i++ {
		l := extra[i]
		if 'A' <= l && l <= 'Z' {
			l += 'a' - 'A'
		}
		s.grams.add(prev, l)
		prev = l
	}
	s.grams.add(prev, ' ')
	s.norm += extra
	s.lower += asciiLower(extra)
}
