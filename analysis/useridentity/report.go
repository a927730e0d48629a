package useridentity

import (
	"fmt"
	"go/ast"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// export records a Fact on each of this package's functions that returns
// a user credential, so that packages importing it report their calls.
func (s *state) export() {
	for fn, o := range s.local {
		s.pass.ExportObjectFact(fn, &Fact{API: o})
	}
}

// report reports every reference to a reported API or to a function with
// a Fact, every chain of user credentials, every composite literal of a
// reported type, and every write that turns on Azure CLI sign-in.
func (s *state) report() {
	info := s.pass.TypesInfo
	for _, file := range s.files {
		for c := range file.Preorder((*ast.Ident)(nil), (*ast.CallExpr)(nil), (*ast.CompositeLit)(nil)) {
			switch n := c.Node().(type) {
			case *ast.Ident:
				obj := info.Uses[n]
				if obj == nil {
					continue
				}
				var at ast.Expr = n
				if p, ok := c.Parent().Node().(*ast.SelectorExpr); ok && p.Sel == n {
					at = p
				}
				if isCLIField(obj) {
					if v := s.writes[n]; v != nil && s.notFalse(v) {
						s.emit(at, message(cliField, ""), nil)
					}
					continue
				}
				switch o, k := s.source(obj), key(obj); {
				case o == "":
				case isAPI(k):
					s.emit(at, message(k, ""), s.fix(c, at, k))
				default:
					s.emit(at, message(o, display(k)), nil)
				}
			case *ast.CallExpr:
				if fn := typeutil.StaticCallee(info, n); fn != nil && key(fn) == chainKey && len(n.Args) > 0 {
					if o := s.origin(n.Args[0]); o != "" {
						s.emit(n.Fun, fmt.Sprintf("%s chains %s, which %s; %s", display(chainKey), display(o), why[apis[o]], remedy), nil)
					}
				}
			case *ast.CompositeLit:
				if k := typeKey(info.TypeOf(n)); isAPI(k) {
					s.emit(n, message(k, ""), nil)
				}
			}
		}
	}
}

// message explains the API k, used directly or, if via is set, through
// the function via that returns its credential.
func message(k, via string) string {
	if via == "" {
		return fmt.Sprintf("%s %s; %s", display(k), why[apis[k]], remedy)
	}
	return fmt.Sprintf("%s returns a credential that signs in as a person: it uses %s, which %s; %s", via, display(k), why[apis[k]], remedy)
}

// emit reports a finding at n, unless an allow comment applies to its
// line; with -show-allowed, an allowed finding is reported with the
// comment's reason.
func (s *state) emit(n ast.Node, msg string, fixes []analysis.SuggestedFix) {
	if d := s.allow.allowed(s.pass.Fset, n.Pos()); d != nil {
		d.used = true
		if s.cfg.showAllowed {
			s.pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Category: "allowed", Message: "allowed (" + d.reason + "): " + msg})
		}
		return
	}
	s.pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Category: "user-identity", Message: msg, SuggestedFixes: fixes})
}
