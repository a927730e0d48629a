// Package allow holds findings suppressed by //autoidentity:allow.
package allow

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

func suppressed() {
	//autoidentity:allow the setup command asks a person once, on purpose
	azidentity.NewDeviceCodeCredential(nil)
	azidentity.NewInteractiveBrowserCredential(nil) //autoidentity:allow a local tool a person runs
}

func bare() {
	// want +1 `^//autoidentity:allow needs a reason, which is what makes it an audited exception: //autoidentity:allow <why this code may sign in as a person>$`
	//autoidentity:allow
	azidentity.NewAzureCLICredential(nil) // want `azidentity\.NewAzureCLICredential uses`
	x := 1                                //autoidentity:allowance is not the directive
	_ = x
}

func unused() {
	// want +1 `^//autoidentity:allow suppresses no finding on this line or the next; remove it$`
	//autoidentity:allow nothing here needs it
	azidentity.NewManagedIdentityCredential(nil)
	// want +1 `suppresses no finding`
	_, _ = azidentity.NewManagedIdentityCredential(nil) //autoidentity:allow a trailing comment covers its own line only
	azidentity.NewDeviceCodeCredential(nil)             // want `azidentity\.NewDeviceCodeCredential waits`
}

// developerTools is allowed, so it gets no Fact and its callers are not
// reported.
func developerTools() (azcore.TokenCredential, error) {
	return azidentity.NewAzureCLICredential(nil) //autoidentity:allow the caller opted in to developer tools
}

func useDeveloperTools() { developerTools() }

// chain's only user credential is allowed, so the chain is not reported.
func chain() {
	cli, _ := azidentity.NewAzureCLICredential(nil) //autoidentity:allow the caller opted in to developer tools
	azidentity.NewChainedTokenCredential([]azcore.TokenCredential{cli}, nil)
}
