package fix

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	autoid "github.com/autoidentity/autoidentity/credential"
)

// hasImport already imports package credential, under another name.
func hasImport() (azcore.TokenCredential, error) { // want hasImport:`returns a user credential from azidentity\.NewDefaultAzureCredential`
	if _, err := autoid.New(nil); err != nil {
		return nil, err
	}
	_, _ = azidentity.NewManagedIdentityCredential(nil)
	return azidentity.NewDefaultAzureCredential(nil) // want `azidentity\.NewDefaultAzureCredential may select`
}
