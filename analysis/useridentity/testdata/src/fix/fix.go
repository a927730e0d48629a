// Package fix has DefaultAzureCredential and EnvironmentCredential calls
// that credential.New can replace, and some it cannot.
package fix

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

type client struct{ cred azcore.TokenCredential }

func use(azcore.TokenCredential)       {}
func useAll(...azcore.TokenCredential) {}
func show(any)                         {}

func assigned(ctx any) error {
	cred, err := azidentity.NewDefaultAzureCredential(nil) // want `azidentity\.NewDefaultAzureCredential may select`
	if err != nil || cred == nil {
		return err
	}
	use(cred)
	useAll(cred, cred)
	_ = client{cred: cred}
	_ = []azcore.TokenCredential{cred}
	show(cred)
	_, err = cred.GetToken(ctx, azcore.TokenRequestOptions{})
	return err
}

func returned() (azcore.TokenCredential, error) { // want returned:`returns a user credential from azidentity\.NewEnvironmentCredential`
	return azidentity.NewEnvironmentCredential(nil) // want `azidentity\.NewEnvironmentCredential may select`
}

func toInterface() (err error) {
	var cred azcore.TokenCredential
	cred, err = azidentity.NewDefaultAzureCredential(nil) // want `azidentity\.NewDefaultAzureCredential may select`
	use(cred)
	return err
}

func discarded() error {
	_, err := azidentity.NewEnvironmentCredential(nil) // want `azidentity\.NewEnvironmentCredential may select`
	return err
}

// The rest keep azidentity: no fix is suggested.

func concrete() *azidentity.DefaultAzureCredential { // want concrete:`returns a user credential from azidentity\.NewDefaultAzureCredential`
	cred, _ := azidentity.NewDefaultAzureCredential(nil) // want `azidentity\.NewDefaultAzureCredential may select`
	return cred
}

func withOptions() {
	azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{TenantID: "t"}) // want `azidentity\.NewDefaultAzureCredential may select`
}

func reassigned() {
	cred, _ := azidentity.NewDefaultAzureCredential(nil) // want `azidentity\.NewDefaultAzureCredential may select`
	cred, _ = azidentity.NewDefaultAzureCredential(nil)  // want `azidentity\.NewDefaultAzureCredential may select`
	use(cred)
}

func notAToken() {
	cred, _ := azidentity.NewEnvironmentCredential(nil) // want `azidentity\.NewEnvironmentCredential may select`
	show(*cred)
}
