package testreport_test

import "github.com/Azure/azure-sdk-for-go/sdk/azidentity"

func external() {
	azidentity.NewAzureCLICredential(nil) // want `azidentity\.NewAzureCLICredential uses`
}
