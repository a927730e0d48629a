package useridentity

import (
	"go/ast"
	"go/types"
)

// isCLIField reports whether obj is hashicorp/go-azure-sdk's
// auth.Credentials.EnableAuthenticatingUsingAzureCLI.
func isCLIField(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && v.IsField() && v.Name() == "EnableAuthenticatingUsingAzureCLI" && pkgPath(v.Pkg()) == hashicorpAuth
}

// cliLiteral is cliField if the auth.Credentials literal lit turns on Azure
// CLI sign-in on a line that is not allowed, else "".
func (s *state) cliLiteral(lit *ast.CompositeLit) string {
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && s.cliValue(id) != nil {
				return cliField
			}
		}
	}
	return ""
}

// cliWrite returns cliField and the struct written if the assignment
// target l turns on Azure CLI sign-in (c.EnableAuthenticatingUsingAzureCLI
// = true) on a line that is not allowed; else "" and l.
func (s *state) cliWrite(l ast.Expr) (string, ast.Expr) {
	if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok && s.cliValue(sel.Sel) != nil {
		return cliField, sel.X
	}
	return "", l
}

// cliValue returns the value id, a use of the field, is set to, if it is
// set by a composite literal key or an assignment, is set to anything but
// the constant false, and is not on an allowed line; else nil.
func (s *state) cliValue(id *ast.Ident) ast.Expr {
	if !isCLIField(s.pass.TypesInfo.Uses[id]) || s.allow.allowed(s.pass.Fset, id.Pos()) != nil {
		return nil
	}
	v := s.writes[id]
	if v == nil || !s.notFalse(v) {
		return nil
	}
	return v
}
