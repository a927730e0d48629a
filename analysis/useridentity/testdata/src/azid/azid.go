// Package azid calls each reported azidentity constructor once, and the
// app-only ones, which are not reported.
package azid

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/credential"
)

func userFlows(getAssertion func(any) (string, error)) {
	azidentity.NewUsernamePasswordCredential("tenant", "client", "user", "pass", nil)                // want `^azidentity\.NewUsernamePasswordCredential signs in as a person with a password \(the ROPC grant\), which Microsoft Entra's mandatory MFA refuses \(AADSTS50076\) and which breaks when the password changes; use credential\.New from github\.com/autoidentity/autoidentity/credential, or a managed identity, workload identity or service principal$`
	azidentity.NewInteractiveBrowserCredential(nil)                                                  // want `azidentity\.NewInteractiveBrowserCredential opens a browser for a person to sign in and pass MFA`
	azidentity.NewDeviceCodeCredential(nil)                                                          // want `azidentity\.NewDeviceCodeCredential waits for a person to enter a code in a browser and pass MFA`
	azidentity.NewOnBehalfOfCredentialWithCertificate("t", "c", "assertion", nil, nil, nil)          // want `azidentity\.NewOnBehalfOfCredentialWithCertificate exchanges a signed-in person's token`
	azidentity.NewOnBehalfOfCredentialWithClientAssertions("t", "c", "assertion", getAssertion, nil) // want `azidentity\.NewOnBehalfOfCredentialWithClientAssertions exchanges`
	azidentity.NewOnBehalfOfCredentialWithSecret("t", "c", "assertion", "secret", nil)               // want `azidentity\.NewOnBehalfOfCredentialWithSecret exchanges`
}

func developerTools() {
	azidentity.NewAzureCLICredential(nil)          // want `azidentity\.NewAzureCLICredential uses a developer's own login \(az login, azd auth login, Connect-AzAccount\): a person's account, subject to MFA`
	azidentity.NewAzureDeveloperCLICredential(nil) // want `azidentity\.NewAzureDeveloperCLICredential uses a developer's own login`
	azidentity.NewAzurePowerShellCredential(nil)   // want `azidentity\.NewAzurePowerShellCredential uses a developer's own login`
}

func mayChoose() {
	azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{TenantID: "t"}) // want `azidentity\.NewDefaultAzureCredential may select a password or a developer login at run time`
	azidentity.NewEnvironmentCredential(&azidentity.EnvironmentCredentialOptions{})                // want `azidentity\.NewEnvironmentCredential may select a password or a developer login at run time`
}

// appOnly builds only credentials made for automation: nothing is reported.
func appOnly(getAssertion func(any) (string, error), certs []any, key any) {
	azidentity.NewClientSecretCredential("t", "c", "secret", nil)
	azidentity.NewClientCertificateCredential("t", "c", certs, key, nil)
	azidentity.NewClientAssertionCredential("t", "c", getAssertion, nil)
	azidentity.NewWorkloadIdentityCredential(nil)
	azidentity.NewAzurePipelinesCredential("t", "c", "connection", "token", nil)
	credential.New(nil)
	mi, _ := azidentity.NewManagedIdentityCredential(nil)
	sp, _ := azidentity.NewClientSecretCredential("t", "c", "secret", nil)
	azidentity.NewChainedTokenCredential([]azcore.TokenCredential{mi, sp}, nil)
	var _ *azidentity.DeviceCodeCredential // a type is not a sign-in
	credential.NewChain([]azcore.TokenCredential{mi, sp}, nil)
}
