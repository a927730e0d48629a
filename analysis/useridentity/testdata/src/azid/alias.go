package azid

import (
	. "github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	id "github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

func aliased() {
	id.NewUsernamePasswordCredential("t", "c", "u", "p", nil) // want `azidentity\.NewUsernamePasswordCredential signs in as a person with a password`
	id.NewClientSecretCredential("t", "c", "s", nil)
}

func dotImported() {
	NewInteractiveBrowserCredential(nil) // want `azidentity\.NewInteractiveBrowserCredential opens a browser`
	NewWorkloadIdentityCredential(nil)
}
