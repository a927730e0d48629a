// Package azcore is a stub of the Azure SDK's core package: the types the
// analyzer's test data needs, with the real import path (contexts are any,
// as in every stub here).
package azcore

type AccessToken struct{ Token string }

type TokenRequestOptions struct{ Scopes []string }

type TokenCredential interface {
	GetToken(ctx any, opts TokenRequestOptions) (AccessToken, error)
}
