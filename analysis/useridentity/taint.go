package useridentity

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// state is one package's analysis. Values are tracked flow-insensitively
// across the package: a variable is tainted if any assignment in the
// package stores a user credential (or a function returning one) in it,
// and a function returns one if any of its return statements does. Each
// taint remembers its origin: the key of the reported API it comes from.
type state struct {
	pass    *analysis.Pass
	cfg     *config
	files   []inspector.Cursor
	allow   allowIndex
	tainted map[*types.Var]string
	funcs   map[ast.Node]string // this package's *ast.FuncDecl and *ast.FuncLit that return a user credential
	local   map[*types.Func]string
	assigns []assign
	bodies  []body
	writes  map[*ast.Ident]ast.Expr // struct fields set by a composite literal key or an assignment, to their values
}

// assign stores rhs in lhs: pairwise, or one call's results into all.
type assign struct{ lhs, rhs []ast.Expr }

// body is a function declaration or literal with its return statements.
type body struct {
	node    ast.Node
	fn      *types.Func // nil for a literal
	results *types.Tuple
	returns []*ast.ReturnStmt
}

// source returns the origin of a reference to obj: a reported API's key,
// or the origin in a function's Fact. It is "" for anything else,
// including everything in package credential, which refuses user
// identities at run time, and the rest of the libraries the table names
// (hashicorp's NewAuthorizerFromCredentials returns a CLI authorizer only
// when asked to: the request is what is reported).
func (s *state) source(obj types.Object) string {
	fn, ok := obj.(*types.Func)
	if !ok {
		return ""
	}
	fn = fn.Origin()
	path := pkgPath(fn.Pkg())
	switch path {
	case "", credentialPath:
		return ""
	case azidentityPath, msalPublic, msalConfid, adalPath, autorestAuth, autorestCLI, hashicorpAuth:
		if k := key(fn); isAPI(k) {
			return k
		}
		return "" // the table alone decides for these libraries
	}
	if fn.Pkg() == s.pass.Pkg {
		return s.local[fn]
	}
	var f Fact
	if s.pass.ImportObjectFact(fn, &f) {
		return f.API
	}
	return ""
}

// isAPI reports whether k is in the table.
func isAPI(k string) bool {
	_, ok := apis[k]
	return ok
}

// typeKey returns the key of the named type t or *t points to, if it is
// declared in a package whose types the table names; else "".
func typeKey(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		if p := pkgPath(n.Obj().Pkg()); p == autorestAuth || p == hashicorpAuth {
			return key(n.Obj())
		}
	}
	return ""
}

// solve taints variables and functions until nothing changes.
func (s *state) solve() {
	for changed := true; changed; {
		changed = false
		for _, a := range s.assigns {
			for i, l := range a.lhs {
				var o string
				switch {
				case len(a.lhs) == len(a.rhs):
					o = s.origin(a.rhs[i])
				case len(a.rhs) == 1:
					o = s.origin(a.rhs[0])
				}
				target := l
				if o == "" {
					o, target = s.cliWrite(l) // c.EnableAuthenticatingUsingAzureCLI = true taints c
				}
				if v := s.root(target); o != "" && v != nil && s.tainted[v] == "" && carrier(v.Type()) {
					s.tainted[v] = o
					changed = true
				}
			}
		}
		if s.pass.Pkg.Path() == credentialPath {
			continue
		}
		for _, b := range s.bodies {
			if s.funcs[b.node] == "" {
				if o := s.returns(b); o != "" {
					s.funcs[b.node] = o
					if b.fn != nil {
						if s.local == nil {
							s.local = map[*types.Func]string{}
						}
						s.local[b.fn] = o
					}
					changed = true
				}
			}
		}
	}
}

// carrier reports whether a value of type t can hold a credential, a token
// or a function returning one: anything but an error or a bool.
func carrier(t types.Type) bool {
	if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Bool {
		return false
	}
	return !types.Identical(t, types.Universe.Lookup("error").Type())
}

// returns is the origin of what b returns, or "".
func (s *state) returns(b body) string {
	for _, r := range b.returns {
		if len(r.Results) == 0 && b.results != nil { // a bare return of named results
			for i := range b.results.Len() {
				if o := s.tainted[b.results.At(i)]; o != "" {
					return o
				}
			}
		}
		for _, e := range r.Results {
			if o := s.origin(e); o != "" && carrier(s.pass.TypesInfo.TypeOf(e)) {
				return o
			}
		}
	}
	return ""
}

// root is the variable an assignment to e stores into: v for v, v[i] and
// *v; nil for anything else, struct fields included (a struct holding a
// credential is not followed).
func (s *state) root(e ast.Expr) *types.Var {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, _ := s.pass.TypesInfo.ObjectOf(e).(*types.Var)
		if v != nil && !v.IsField() {
			return v
		}
	case *ast.IndexExpr:
		return s.root(e.X)
	case *ast.StarExpr:
		return s.root(e.X)
	}
	return nil
}

// origin returns the origin of the user credential e may evaluate to, or
// "" if e is not known to hold one.
func (s *state) origin(e ast.Expr) string {
	info := s.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return s.ref(e, e)
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() != types.MethodExpr {
			if o := s.ref(e.Sel, e); o != "" { // a reported method, or one with a Fact
				return o
			}
			return s.origin(e.X) // a field or method of a user credential
		}
		return s.ref(e.Sel, e)
	case *ast.CallExpr:
		return s.call(e)
	case *ast.CompositeLit:
		switch k := typeKey(info.TypeOf(e)); {
		case k == hashicorpAuth+".Credentials":
			return s.cliLiteral(e)
		case isAPI(k) && s.allow.allowed(s.pass.Fset, e.Pos()) == nil:
			return k // auth.DeviceFlowConfig{...}
		}
		if _, ok := info.TypeOf(e).Underlying().(*types.Struct); ok {
			return "" // a struct holding a credential is not followed
		}
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if o := s.origin(elt); o != "" {
				return o
			}
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return s.origin(e.X)
		}
	case *ast.StarExpr:
		return s.origin(e.X)
	case *ast.TypeAssertExpr:
		return s.origin(e.X)
	case *ast.IndexExpr:
		return s.origin(e.X)
	case *ast.IndexListExpr:
		return s.origin(e.X)
	case *ast.SliceExpr:
		return s.origin(e.X)
	case *ast.FuncLit:
		return s.funcs[e]
	}
	return ""
}

// ref is the origin of id, a use of an object in expression e: a reported
// API or a function with a Fact (unless e is on an allowed line), or a
// tainted variable.
func (s *state) ref(id *ast.Ident, e ast.Expr) string {
	obj := s.pass.TypesInfo.Uses[id]
	if v, ok := obj.(*types.Var); ok {
		return s.tainted[v]
	}
	o := s.source(obj)
	if o != "" && s.allow.allowed(s.pass.Fset, e.Pos()) != nil {
		return ""
	}
	return o
}
