// Package hashicorp turns on hashicorp/go-azure-sdk's Azure CLI sign-in.
package hashicorp

import "github.com/hashicorp/go-azure-sdk/sdk/auth"

func literals(ctx any, useCLI bool) {
	auth.NewAuthorizerFromCredentials(ctx, auth.Credentials{EnableAuthenticatingUsingAzureCLI: true}, nil)   // want `^auth\.Credentials\.EnableAuthenticatingUsingAzureCLI turns on Azure CLI sign-in, which uses a developer's own login \(az login\)`
	auth.NewAuthorizerFromCredentials(ctx, auth.Credentials{EnableAuthenticatingUsingAzureCLI: useCLI}, nil) // want `auth\.Credentials\.EnableAuthenticatingUsingAzureCLI turns on`
	auth.NewAuthorizerFromCredentials(ctx, auth.Credentials{
		EnableAuthenticatingUsingAzureCLI:        false,
		EnableAuthenticatingUsingManagedIdentity: true,
	}, nil)
	_ = &auth.Credentials{EnableAuthenticatingUsingClientSecret: true}
}

func assignments(ctx any) bool {
	var c auth.Credentials
	c.EnableAuthenticatingUsingAzureCLI = true                        // want `auth\.Credentials\.EnableAuthenticatingUsingAzureCLI turns on`
	c.EnableAuthenticatingUsingAzureCLI = false                       // turning it off is fine
	auth.NewAzureCliAuthorizer(ctx, auth.AzureCliAuthorizerOptions{}) // want `auth\.NewAzureCliAuthorizer uses a developer's own login`
	return c.EnableAuthenticatingUsingAzureCLI                        // reading it is fine
}

func provider(ctx any) (auth.Authorizer, error) { // want provider:`returns a user credential from auth\.Credentials\.EnableAuthenticatingUsingAzureCLI`
	creds := auth.Credentials{TenantID: "t"}
	creds.EnableAuthenticatingUsingAzureCLI = true // want `EnableAuthenticatingUsingAzureCLI turns on`
	a, err := auth.NewAuthorizerFromCredentials(ctx, creds, nil)
	if err != nil {
		return nil, err
	}
	return auth.NewCachedAuthorizer(a)
}

func servicePrincipal(ctx any) (auth.Authorizer, error) {
	return auth.NewAuthorizerFromCredentials(ctx, auth.Credentials{EnableAuthenticatingUsingClientSecret: true}, nil)
}
