// Package signin signs in as a person with the real azidentity: the
// command's tests run autoidentity-vet on it, alone and under go vet.
package signin

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

func Login() (*azidentity.DeviceCodeCredential, error) {
	return azidentity.NewDeviceCodeCredential(nil)
}

func Default() (azcore.TokenCredential, error) {
	return azidentity.NewDefaultAzureCredential(nil)
}

func App() (azcore.TokenCredential, error) {
	return azidentity.NewManagedIdentityCredential(nil)
}
