package claims

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// names maps the case-folded form of each name a walk reads to its
// documented spelling.
type names map[string]string

func newNames(list ...string) names {
	m := make(names, len(list))
	for _, n := range list {
		m[fold(n)] = n
	}
	return m
}

// walkObject decodes data as exactly one JSON object and calls visit, in
// order, with each member whose name is known, passing the documented
// spelling and the raw value. It refuses anything but a single object (an
// array, null, a second value, trailing bytes), two member names equal after
// case folding, and a member whose name folds to a known name without being
// spelled exactly that way.
//
// The walk is ours rather than encoding/json's struct decoding because that
// matches names case-insensitively and lets the last duplicate win: a
// payload with "idtyp":"user" then "IDTYP":"app" decoded as app. Names are
// compared after JSON unescaping, so "\u0069dtyp" is idtyp.
func walkObject(data []byte, what string, known names, visit func(name string, raw []byte) error) error {
	invalid := func() error { return malformed("the " + what + " is not valid JSON") }
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return malformed("the " + what + " is not a JSON object")
	}
	seen := make(map[string]struct{}, 32)
	for dec.More() {
		t, err := dec.Token()
		key, ok := t.(string)
		if err != nil || !ok {
			return invalid()
		}
		folded := fold(key)
		canon, isKnown := known[folded]
		if _, dup := seen[folded]; dup {
			if isKnown {
				return malformed("the " + what + " names " + canon + " more than once (names are compared case-insensitively)")
			}
			return malformed("the " + what + " has two names that differ only in case")
		}
		seen[folded] = struct{}{}
		if isKnown && key != canon {
			return malformed("the " + what + " has a name spelled like " + canon + " but not exactly so (Entra spells it in lower case)")
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return invalid()
		}
		if isKnown {
			if err := visit(canon, raw); err != nil {
				return err
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return invalid()
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed("the " + what + " has data after its JSON object")
	}
	return nil
}

// fold maps s to a form shared by every string that differs from it only in
// case. It is stricter than Unicode simple case folding: each rune is
// closed under simple folding and under upper, lower and title case
// mappings, so "ſcp" (U+017F folds to s), "\u212Aid" (Kelvin sign) and
// "ıdtyp" (dotless i, which upper-cases to I as .NET's OrdinalIgnoreCase
// does) all collide with their ASCII spellings. Colliding more often only
// refuses more tokens; Entra's own claim names never collide.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Map(foldRune, s)
		}
	}
	return strings.ToUpper(s)
}

// foldRune returns the smallest rune in r's case closure; for any rune that
// is a case variant of an ASCII letter that is the upper-case ASCII letter.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		return unicode.ToUpper(r)
	}
	set := []rune{r}
	for i := 0; i < len(set); i++ {
		x := set[i]
		for _, y := range [...]rune{unicode.SimpleFold(x), unicode.ToUpper(x), unicode.ToLower(x), unicode.ToTitle(x)} {
			if !slices.Contains(set, y) {
				set = append(set, y)
			}
		}
	}
	return slices.Min(set)
}
