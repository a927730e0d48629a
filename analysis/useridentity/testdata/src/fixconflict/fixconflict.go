// Package fixconflict declares its own credential: the fix imports package
// credential as autocredential.
package fixconflict

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

var credential = "mine"

func single() (azcore.TokenCredential, error) { // want single:`returns a user credential from azidentity\.NewDefaultAzureCredential`
	return azidentity.NewDefaultAzureCredential(nil) // want `azidentity\.NewDefaultAzureCredential may select`
}
