package useridentity

import (
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// call is the origin of a call's result.
func (s *state) call(call *ast.CallExpr) string {
	info := s.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
		return s.origin(call.Args[0]) // a conversion
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "append" {
			return s.anyArg(call)
		}
	}
	if fn := typeutil.StaticCallee(info, call); fn != nil {
		switch k := key(fn); {
		case k == chainKey:
			return s.chain(call)
		case propagators[k]:
			return s.anyArg(call)
		case fn.Pkg() != nil && fn.Pkg().Path() == credentialPath:
			return ""
		}
	}
	return s.origin(call.Fun)
}

// chain is the origin of a NewChainedTokenCredential call's sources, or ""
// if none is a user credential or the call is on an allowed line.
func (s *state) chain(call *ast.CallExpr) string {
	if len(call.Args) == 0 || s.allow.allowed(s.pass.Fset, call.Fun.Pos()) != nil {
		return ""
	}
	return s.origin(call.Args[0])
}

func (s *state) anyArg(call *ast.CallExpr) string {
	for _, a := range call.Args {
		if o := s.origin(a); o != "" {
			return o
		}
	}
	return ""
}

// notFalse reports whether e is anything but the constant false.
func (s *state) notFalse(e ast.Expr) bool {
	tv := s.pass.TypesInfo.Types[e]
	return tv.Value == nil || tv.Value.Kind() != constant.Bool || constant.BoolVal(tv.Value)
}
