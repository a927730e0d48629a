package useridentity

import (
	"go/ast"
	"go/token"
	"go/types"
)

// relevant reports whether anything in the package refers to a reported
// API or to a function with a Fact; if nothing does, nothing in it can be
// reported.
func (s *state) relevant() bool {
	info := s.pass.TypesInfo
	for _, file := range s.files {
		for c := range file.Preorder((*ast.Ident)(nil), (*ast.CompositeLit)(nil)) {
			switch n := c.Node().(type) {
			case *ast.Ident:
				if obj := info.Uses[n]; s.source(obj) != "" || isCLIField(obj) {
					return true
				}
			case *ast.CompositeLit:
				if isAPI(typeKey(info.TypeOf(n))) {
					return true
				}
			}
		}
	}
	return false
}

// collect gathers the package's assignments, field writes and function
// bodies.
func (s *state) collect() {
	info := s.pass.TypesInfo
	byNode := map[ast.Node]*body{}
	for _, file := range s.files {
		for c := range file.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.RangeStmt)(nil),
			(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil), (*ast.KeyValueExpr)(nil)) {
			switch n := c.Node().(type) {
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok {
					s.writes[id] = n.Value
				}
			case *ast.AssignStmt:
				if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
					s.assigns = append(s.assigns, assign{n.Lhs, n.Rhs})
				}
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && len(n.Lhs) == len(n.Rhs) {
						s.writes[sel.Sel] = n.Rhs[i]
					}
				}
			case *ast.ValueSpec:
				lhs := make([]ast.Expr, len(n.Names))
				for i, id := range n.Names {
					lhs[i] = id
				}
				s.assigns = append(s.assigns, assign{lhs, n.Values})
			case *ast.RangeStmt:
				if n.Value != nil {
					s.assigns = append(s.assigns, assign{[]ast.Expr{n.Value}, []ast.Expr{n.X}})
				}
			case *ast.FuncDecl:
				if n.Body != nil {
					fn, _ := info.Defs[n.Name].(*types.Func)
					if fn != nil {
						byNode[n] = &body{node: n, fn: fn, results: fn.Signature().Results()}
					}
				}
			case *ast.FuncLit:
				if sig, ok := info.TypeOf(n).(*types.Signature); ok {
					byNode[n] = &body{node: n, results: sig.Results()}
				}
			case *ast.ReturnStmt:
				for enc := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
					if b := byNode[enc.Node()]; b != nil {
						b.returns = append(b.returns, n)
					}
					break
				}
			}
		}
	}
	for _, b := range byNode {
		s.bodies = append(s.bodies, *b)
	}
}
