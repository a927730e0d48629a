package fix

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// onlyUse is this file's only use of azidentity: the fix rewrites the
// import.
func onlyUse() (azcore.TokenCredential, error) { // want onlyUse:`returns a user credential from azidentity\.NewDefaultAzureCredential`
	return azidentity.NewDefaultAzureCredential(nil) // want `azidentity\.NewDefaultAzureCredential may select`
}
