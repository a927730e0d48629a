// Package auth is a stub of hashicorp/go-azure-sdk's sdk/auth.
package auth

type Authorizer interface{ Token() (string, error) }
type Api interface{}

type Credentials struct {
	ClientID                                   string
	TenantID                                   string
	EnableAuthenticatingUsingAzureCLI          bool
	EnableAuthenticatingUsingClientCertificate bool
	EnableAuthenticatingUsingClientSecret      bool
	EnableAuthenticatingUsingManagedIdentity   bool
	EnableAuthenticationUsingOIDC              bool
}

type AzureCliAuthorizerOptions struct{ TenantID string }

// NewAuthorizerFromCredentials returns a CLI authorizer only when c asks
// for one, as the real one does.
func NewAuthorizerFromCredentials(ctx any, c Credentials, api Api) (Authorizer, error) {
	if c.EnableAuthenticatingUsingAzureCLI {
		return NewAzureCliAuthorizer(ctx, AzureCliAuthorizerOptions{TenantID: c.TenantID})
	}
	return nil, nil
}
func NewAzureCliAuthorizer(ctx any, options AzureCliAuthorizerOptions) (Authorizer, error) {
	return nil, nil
}
func NewCachedAuthorizer(src Authorizer) (Authorizer, error) { return src, nil }
