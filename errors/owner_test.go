package autherrors

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// This file holds the house rule "one owner per decision" to account for
// this package: the classifier reads what other programs print (azidentity,
// MSAL, the Azure CLI, Entra ID), never the message text of another package
// of this module, and it never spells package detect's kind or source
// names. Another package's error is matched with errors.Is where it is
// handled (credential maps tokencache.ErrExpiredToken and ErrClosed); a
// kind is a string the caller passes in Environment.Kind.

// moduleRoot is the repository root, seen from this package's directory.
const moduleRoot = ".."

// message is an error text another package of the module writes.
type message struct {
	pkg, pos, text string // text lower-cased, a fixed fragment of it
}

// verb matches a fmt verb, which splits a format into fixed fragments.
var verb = regexp.MustCompile(`%[-+# 0-9.*\[\]]*[a-zA-Z%]`)

// parseDir parses the non-test Go files of dir.
func parseDir(t *testing.T, fset *token.FileSet, dir string) []*ast.File {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, m := range matches {
		if strings.HasSuffix(m, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, m, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// stringLits returns the values of the string literals under n, with the
// position of each.
func stringLits(fset *token.FileSet, n ast.Node) (vals, poss []string) {
	ast.Inspect(n, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if v, err := strconv.Unquote(lit.Value); err == nil {
				vals, poss = append(vals, v), append(poss, fset.Position(lit.Pos()).String())
			}
		}
		return true
	})
	return vals, poss
}

// otherMessages collects the fixed text of every errors.New and fmt.Errorf
// call in the module's non-test Go files outside this package and outside
// entratest (an emulator whose messages copy Microsoft's, which the
// classifier is meant to read).
func otherMessages(t *testing.T) []message {
	t.Helper()
	fset := token.NewFileSet()
	var msgs []message
	err := filepath.WalkDir(moduleRoot, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			return nil
		}
		name := e.Name()
		rel, _ := filepath.Rel(moduleRoot, path)
		switch {
		case rel == ".":
		case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor":
			return filepath.SkipDir
		case rel == "errors" || rel == "entratest":
			return filepath.SkipDir
		}
		for _, f := range parseDir(t, fset, path) {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pkg, ok := sel.X.(*ast.Ident)
				if !ok || !(pkg.Name == "errors" && sel.Sel.Name == "New" || pkg.Name == "fmt" && sel.Sel.Name == "Errorf") {
					return true
				}
				vals, poss := stringLits(fset, call.Args[0])
				for i, v := range vals {
					for _, frag := range verb.Split(v, -1) {
						if strings.TrimSpace(frag) != "" {
							msgs = append(msgs, message{pkg: filepath.ToSlash(rel), pos: poss[i], text: asciiLower(frag)})
						}
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// classifierPhrases are the lower-case substrings the classifier looks
// for in an error's text.
func classifierPhrases() []string {
	var p []string
	for _, f := range forms {
		p = append(p, f.any...)
		p = append(p, f.none...)
	}
	p = append(p, mfaPhrases...)
	p = append(p, serverErrors...)
	for _, e := range catalog {
		for _, v := range e.variants {
			p = append(p, v.contains)
		}
	}
	p = append(p, subjectKey, asciiLower("ClientCertificateCredential"))
	slices.Sort(p)
	return slices.Compact(p)
}

// TestNoPhraseMatchesAnotherPackagesMessage fails when a phrase the
// classifier matches occurs in an error message another package of this
// module writes: that package's error must be matched by type where it is
// handled, and the phrase removed here.
func TestNoPhraseMatchesAnotherPackagesMessage(t *testing.T) {
	t.Parallel()
	msgs := otherMessages(t)
	// The scan must see the packages whose errors are matched by type;
	// without them this test would pass for the wrong reason.
	for _, known := range []string{
		"tokencache: upstream returned an expired token",                        // internal/tokencache.ErrExpiredToken
		"tokencache: gettoken after close: the cache no longer requests tokens", // internal/tokencache.ErrClosed
		"not proven app-only", // internal/claims.ErrNotAppOnly
	} {
		if !slices.ContainsFunc(msgs, func(m message) bool { return m.text == known }) {
			t.Errorf("the scan of %s found no message %q: it no longer sees the module's sentinel errors", moduleRoot, known)
		}
	}
	if len(msgs) < 50 {
		t.Fatalf("the scan found %d messages; want the module's (more than 50)", len(msgs))
	}
	phrases := classifierPhrases()
	if len(phrases) < 50 {
		t.Fatalf("found %d classifier phrases, want the forms' and catalog's", len(phrases))
	}
	for _, p := range phrases {
		for _, m := range msgs {
			if strings.Contains(m.text, p) {
				t.Errorf("the classifier phrase %q matches the message of package %s at %s (%q): match that error with errors.Is where it is handled, and drop the phrase",
					p, m.pkg, m.pos, m.text)
			}
		}
	}
	for _, m := range msgs {
		if ownPattern.MatchString(m.text) {
			t.Errorf("package %s writes %q at %s, which Parse would read as one of this package's diagnostics: return autherrors.New instead", m.pkg, m.text, m.pos)
		}
	}
}

// detectNames returns the values of package detect's Kind and Source
// constants, and of the detect.Kind constants other packages declare
// (credential's "custom"), exported or not.
func detectNames(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	var names []string
	for _, dir := range []string{"detect", "credential"} {
		for _, f := range parseDir(t, fset, filepath.Join(moduleRoot, dir)) {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					typ := ""
					switch x := vs.Type.(type) {
					case *ast.Ident:
						if dir == "detect" {
							typ = x.Name
						}
					case *ast.SelectorExpr:
						if p, ok := x.X.(*ast.Ident); ok && p.Name == "detect" {
							typ = x.Sel.Name
						}
					}
					if typ != "Kind" && typ != "Source" {
						continue
					}
					for _, v := range vs.Values {
						if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, _ := strconv.Unquote(lit.Value)
							names = append(names, s)
						}
					}
				}
			}
		}
	}
	return names
}

// TestNoDetectVocabularyHere fails when this package spells one of
// detect's kind or source names: the kinds are detect's to define, and a
// copy here drifts. A hyphenated name is refused anywhere in a literal; a
// one-word name ("none", "custom", "imds") when it is the whole literal,
// unless that literal is a phrase the classifier looks for in azidentity's
// and MSAL's text ("imds" is their word too).
func TestNoDetectVocabularyHere(t *testing.T) {
	t.Parallel()
	names := detectNames(t)
	for _, want := range []string{"service-principal-secret", "managed-identity", "user-password", "custom", "app-service"} {
		if !slices.Contains(names, want) {
			t.Fatalf("found detect names %q, which lack %q: the scan no longer sees them", names, want)
		}
	}
	phrases := classifierPhrases()
	fset := token.NewFileSet()
	for _, f := range parseDir(t, fset, ".") {
		vals, poss := stringLits(fset, f)
		for i, v := range vals {
			for _, n := range names {
				if strings.Contains(n, "-") && containsToken(v, n) || v == n && !slices.Contains(phrases, v) {
					t.Errorf("%s: the literal %q spells detect's %q; take the kind from the caller (Environment.Kind)", poss[i], v, n)
				}
			}
		}
	}
}

// containsToken reports whether name occurs in s not as part of a longer
// word of letters, digits and hyphens.
func containsToken(s, name string) bool {
	word := func(c byte) bool {
		return c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	for off := 0; ; {
		i := strings.Index(s[off:], name)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(name)
		if (i == 0 || !word(s[i-1])) && (j == len(s) || !word(s[j])) {
			return true
		}
		off = i + 1
	}
}
