package useridentity

import (
	"go/ast"
	"go/token"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// directivePrefix starts an allow comment; a reason must follow.
const directivePrefix = "//autoidentity:allow"

// allowIndex holds a package's //autoidentity:allow comments by the line
// each applies to.
type allowIndex struct {
	byLine map[lineKey]*directive
	all    []*directive
}

type lineKey struct {
	file *token.File
	line int
}

type directive struct {
	pos    token.Pos
	reason string
	used   bool
}

// scan records the allow comments of f. A comment that ends a line of
// code applies to that line; one on a line of its own applies to the next
// line. A comment without a reason is reported and allows nothing.
func (x *allowIndex) scan(pass *analysis.Pass, f *ast.File) {
	var src []byte
	for _, group := range f.Comments {
		for _, c := range group.List {
			rest, ok := strings.CutPrefix(c.Text, directivePrefix)
			if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				continue
			}
			reason := strings.TrimSpace(rest)
			if reason == "" {
				pass.Reportf(c.Pos(), "%s needs a reason, which is what makes it an audited exception: %s <why this code may sign in as a person>", directivePrefix, directivePrefix)
				continue
			}
			if src == nil {
				src = read(pass, f)
			}
			tf, line := at(pass.Fset, c.Pos())
			if !trailing(src, tf, c.Pos()) {
				line++
			}
			d := &directive{pos: c.Pos(), reason: reason}
			if x.byLine == nil {
				x.byLine = map[lineKey]*directive{}
			}
			x.byLine[lineKey{tf, line}] = d
			x.all = append(x.all, d)
		}
	}
}

// read returns the source of f, or nil if the driver cannot give it.
func read(pass *analysis.Pass, f *ast.File) []byte {
	name := pass.Fset.File(f.FileStart).Name()
	readFile := pass.ReadFile
	if readFile == nil {
		readFile = os.ReadFile
	}
	src, err := readFile(name)
	if err != nil {
		return nil
	}
	return src
}

// trailing reports whether code precedes pos on its line. Without the
// source it answers true, so that a comment allows at most its own line.
func trailing(src []byte, tf *token.File, pos token.Pos) bool {
	start, end := tf.Offset(tf.LineStart(tf.Line(pos))), tf.Offset(pos)
	if src == nil || end > len(src) {
		return true
	}
	return strings.TrimSpace(string(src[start:end])) != ""
}

// allowed returns the directive that applies to pos, or nil.
func (x *allowIndex) allowed(fset *token.FileSet, pos token.Pos) *directive {
	tf, line := at(fset, pos)
	return x.byLine[lineKey{tf, line}]
}

// reportUnused reports allow comments that suppressed nothing, so that an
// exception does not outlive the code it excused.
func (x *allowIndex) reportUnused(pass *analysis.Pass) {
	for _, d := range x.all {
		if !d.used {
			pass.Reportf(d.pos, "%s suppresses no finding on this line or the next; remove it", directivePrefix)
		}
	}
}
