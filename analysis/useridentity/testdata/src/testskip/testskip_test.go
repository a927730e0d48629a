package testskip

import "github.com/Azure/azure-sdk-for-go/sdk/azidentity"

func refused() {
	azidentity.NewUsernamePasswordCredential("t", "c", "u", "p", nil)
	azidentity.NewDeviceCodeCredential(nil)
}
