// Package showallowed is analysed with -show-allowed.
package showallowed

import "github.com/Azure/azure-sdk-for-go/sdk/azidentity"

func setup() {
	//autoidentity:allow a person runs this setup step once
	azidentity.NewDeviceCodeCredential(nil) // want `^allowed \(a person runs this setup step once\): azidentity\.NewDeviceCodeCredential waits for a person`
	azidentity.NewAzureCLICredential(nil)   // want `^azidentity\.NewAzureCLICredential uses`
}
