package testreport

import "github.com/Azure/azure-sdk-for-go/sdk/azidentity"

func refused() {
	azidentity.NewUsernamePasswordCredential("t", "c", "u", "p", nil) // want `azidentity\.NewUsernamePasswordCredential signs in`
	//autoidentity:allow proves the refusal
	azidentity.NewDeviceCodeCredential(nil)
}
