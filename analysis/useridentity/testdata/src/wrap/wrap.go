// Package wrap exports functions that return user credentials: each gets
// a Fact, so other packages' calls are reported.
package wrap

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

type Config struct{ Interactive bool }

// Credential chooses behind a field.
func (c Config) Credential() (azcore.TokenCredential, error) { // want Credential:`returns a user credential from azidentity\.NewInteractiveBrowserCredential`
	if c.Interactive {
		return azidentity.NewInteractiveBrowserCredential(nil) // want `azidentity\.NewInteractiveBrowserCredential opens`
	}
	return azidentity.NewManagedIdentityCredential(nil)
}

// Token returns a user's token.
func Token(ctx any) (string, error) { // want Token:`returns a user credential from public\.Client\.AcquireTokenByUsernamePassword`
	c, _ := public.New("client")
	res, err := c.AcquireTokenByUsernamePassword(ctx, nil, "u", "p") // want `public\.Client\.AcquireTokenByUsernamePassword signs in`
	return res.AccessToken, err
}

// Named uses named results and a bare return.
func Named() (cred azcore.TokenCredential, err error) { // want Named:`returns a user credential from azidentity\.NewUsernamePasswordCredential`
	cred, err = azidentity.NewUsernamePasswordCredential("t", "c", "u", "p", nil) // want `azidentity\.NewUsernamePasswordCredential signs in`
	return
}

// AppOnly returns a managed identity: no Fact.
func AppOnly() (azcore.TokenCredential, error) { return azidentity.NewManagedIdentityCredential(nil) }
