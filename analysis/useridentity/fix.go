package useridentity

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// fix suggests replacing azidentity.NewDefaultAzureCredential(nil) or
// NewEnvironmentCredential(nil), referred to by at (whose identifier is at
// cursor c), with credential.New(nil), where the result is only used as an
// azcore.TokenCredential: credential.New returns a *credential.Credential.
func (s *state) fix(c inspector.Cursor, at ast.Expr, k string) []analysis.SuggestedFix {
	if k != defaultKey && k != envKey {
		return nil
	}
	if at != c.Node() {
		c = c.Parent()
	}
	call, ok := c.Parent().Node().(*ast.CallExpr)
	if !ok || call.Fun != at || len(call.Args) != 1 || !s.pass.TypesInfo.Types[call.Args[0]].IsNil() || !s.linesUp(c.Parent()) {
		return nil
	}
	var file *ast.File
	for f := range c.Enclosing((*ast.File)(nil)) {
		file = f.Node().(*ast.File)
	}
	name, edits := s.importEdits(file, at)
	if name == "" {
		return nil
	}
	edits = append(edits, analysis.TextEdit{Pos: at.Pos(), End: at.End(), NewText: []byte(name + ".New")})
	return []analysis.SuggestedFix{{Message: "Replace with credential.New(nil), which never signs in as a person", TextEdits: edits}}
}

// linesUp reports whether the call's first result is only used as an
// azcore.TokenCredential: assigned to one, returned as one, or held in a
// new variable that is.
func (s *state) linesUp(call inspector.Cursor) bool {
	info := s.pass.TypesInfo
	switch p := call.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) != 1 || p.Rhs[0] != call.Node() || len(p.Lhs) != 2 {
			return false
		}
		if id, ok := p.Lhs[0].(*ast.Ident); ok && (id.Name == "_" || info.Defs[id] != nil) {
			return id.Name == "_" || s.usedAsToken(call, info.Defs[id])
		}
		return tokenLike(info.TypeOf(p.Lhs[0]))
	case *ast.ReturnStmt:
		return len(p.Results) == 1 && p.Results[0] == call.Node() && s.resultTokenLike(call, 0)
	}
	return false
}

// usedAsToken reports whether every use of v, in the function enclosing
// c, treats it as an azcore.TokenCredential.
func (s *state) usedAsToken(c inspector.Cursor, v types.Object) bool {
	info := s.pass.TypesInfo
	for fn := range c.Enclosing((*ast.FuncDecl)(nil)) {
		for u := range fn.Preorder((*ast.Ident)(nil)) {
			if id := u.Node().(*ast.Ident); info.Uses[id] == v && !s.tokenUse(u, id) {
				return false
			}
		}
		return true
	}
	return false
}

// tokenUse reports whether the use id (at cursor u) needs no more than an
// azcore.TokenCredential.
func (s *state) tokenUse(u inspector.Cursor, id *ast.Ident) bool {
	info := s.pass.TypesInfo
	switch p := u.Parent().Node().(type) {
	case *ast.SelectorExpr:
		return p.X == id && p.Sel.Name == "GetToken"
	case *ast.BinaryExpr:
		return (p.Op == token.EQL || p.Op == token.NEQ) && (info.Types[p.X].IsNil() || info.Types[p.Y].IsNil())
	case *ast.CallExpr:
		sig, ok := info.TypeOf(p.Fun).(*types.Signature)
		if !ok || p.Fun == id {
			return false
		}
		i := u.ParentEdgeIndex()
		params := sig.Params()
		if sig.Variadic() && i >= params.Len()-1 {
			return !p.Ellipsis.IsValid() && tokenLike(params.At(params.Len()-1).Type().(*types.Slice).Elem())
		}
		return i < params.Len() && tokenLike(params.At(i).Type())
	case *ast.AssignStmt:
		for i, r := range p.Rhs {
			if r == id && len(p.Lhs) == len(p.Rhs) {
				return tokenLike(info.TypeOf(p.Lhs[i]))
			}
		}
	case *ast.ReturnStmt:
		return s.resultTokenLike(u, u.ParentEdgeIndex())
	case *ast.KeyValueExpr:
		field, ok := p.Key.(*ast.Ident)
		return ok && p.Value == id && info.Uses[field] != nil && tokenLike(info.TypeOf(field))
	case *ast.CompositeLit:
		switch t := info.TypeOf(p).Underlying().(type) {
		case *types.Slice:
			return tokenLike(t.Elem())
		case *types.Array:
			return tokenLike(t.Elem())
		}
	}
	return false
}

// resultTokenLike reports whether the i'th result of the function
// enclosing c is an interface an azcore.TokenCredential satisfies.
func (s *state) resultTokenLike(c inspector.Cursor, i int) bool {
	for fn := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var t types.Type
		switch n := fn.Node().(type) {
		case *ast.FuncDecl:
			t = s.pass.TypesInfo.TypeOf(n.Name)
		case *ast.FuncLit:
			t = s.pass.TypesInfo.TypeOf(n)
		}
		sig, ok := t.(*types.Signature)
		return ok && i < sig.Results().Len() && tokenLike(sig.Results().At(i).Type())
	}
	return false
}

// tokenLike reports whether t is an interface whose only method, if any,
// is GetToken: any azcore.TokenCredential, *credential.Credential too,
// satisfies it.
func tokenLike(t types.Type) bool {
	if t == nil {
		return false
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for m := range iface.Methods() {
		if m.Name() != "GetToken" {
			return false
		}
	}
	return true
}

// importEdits returns the name under which file can refer to package
// credential at the call at, and the edits to import it: the existing
// import; else the azidentity import rewritten, if at is its only use;
// else a new import. The name is "credential", or "autocredential" if
// that is taken at the call; "" if neither is free.
func (s *state) importEdits(file *ast.File, at ast.Expr) (string, []analysis.TextEdit) {
	info := s.pass.TypesInfo
	for _, spec := range file.Imports {
		if path, _ := strconv.Unquote(spec.Path.Value); path == credentialPath {
			if spec.Name == nil {
				return "credential", nil
			}
			if spec.Name.Name == "_" || spec.Name.Name == "." {
				return "", nil
			}
			return spec.Name.Name, nil
		}
	}
	scope := s.pass.Pkg.Scope().Innermost(at.Pos())
	name := ""
	for _, n := range []string{"credential", "autocredential"} {
		if scope != nil {
			if _, obj := scope.LookupParent(n, at.Pos()); obj == nil {
				name = n
				break
			}
		}
	}
	if name == "" {
		return "", nil
	}
	spec := strconv.Quote(credentialPath)
	if name != "credential" {
		spec = name + " " + spec
	}
	if sel, ok := at.(*ast.SelectorExpr); ok {
		if x, ok := sel.X.(*ast.Ident); ok {
			if pn, ok := info.Uses[x].(*types.PkgName); ok && s.usesIn(file, pn) == 1 {
				for _, imp := range file.Imports {
					if info.PkgNameOf(imp) == pn {
						return name, []analysis.TextEdit{{Pos: imp.Pos(), End: imp.End(), NewText: []byte(spec)}}
					}
				}
			}
		}
	}
	pos, text := file.Name.End(), "\n\nimport "+spec
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			pos, text = g.End(), "\nimport "+spec
			if g.Lparen.IsValid() && len(g.Specs) > 0 {
				pos, text = g.Specs[len(g.Specs)-1].End(), "\n\t"+spec
			}
		}
	}
	return name, []analysis.TextEdit{{Pos: pos, End: pos, NewText: []byte(text)}}
}

// usesIn counts the uses of the imported package pn in file.
func (s *state) usesIn(file *ast.File, pn *types.PkgName) int {
	n := 0
	ast.Inspect(file, func(node ast.Node) bool {
		if id, ok := node.(*ast.Ident); ok && s.pass.TypesInfo.Uses[id] == pn {
			n++
		}
		return true
	})
	return n
}
