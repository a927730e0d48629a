// Package azidentity is a stub of azidentity v1.15.0's constructors, with
// the real import path and names. Parameter types are reduced (any for
// contexts, certificates and keys; one Options type) so that the tests
// type-check little of the standard library; the analyzer resolves
// package path and name, never a signature.
package azidentity

import "github.com/Azure/azure-sdk-for-go/sdk/azcore"

type cred struct{}

func (cred) GetToken(any, azcore.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, nil
}

type (
	AzureCLICredential            struct{ cred }
	AzureDeveloperCLICredential   struct{ cred }
	AzurePipelinesCredential      struct{ cred }
	AzurePowerShellCredential     struct{ cred }
	ChainedTokenCredential        struct{ cred }
	ClientAssertionCredential     struct{ cred }
	ClientCertificateCredential   struct{ cred }
	ClientSecretCredential        struct{ cred }
	DefaultAzureCredential        struct{ cred }
	DeviceCodeCredential          struct{ cred }
	EnvironmentCredential         struct{ cred }
	InteractiveBrowserCredential  struct{ cred }
	ManagedIdentityCredential     struct{ cred }
	OnBehalfOfCredential          struct{ cred }
	UsernamePasswordCredential    struct{ cred }
	WorkloadIdentityCredential    struct{ cred }
	AzureCLICredentialOptions     struct{ TenantID string }
	DefaultAzureCredentialOptions struct{ TenantID string }
	EnvironmentCredentialOptions  struct{}
	Options                       struct{}
)

func NewAzureCLICredential(*AzureCLICredentialOptions) (*AzureCLICredential, error) { return nil, nil }
func NewAzureDeveloperCLICredential(*Options) (*AzureDeveloperCLICredential, error) { return nil, nil }
func NewAzurePipelinesCredential(tenantID, clientID, serviceConnectionID, systemAccessToken string, options *Options) (*AzurePipelinesCredential, error) {
	return nil, nil
}
func NewAzurePowerShellCredential(*Options) (*AzurePowerShellCredential, error) { return nil, nil }
func NewChainedTokenCredential(sources []azcore.TokenCredential, options *Options) (*ChainedTokenCredential, error) {
	return nil, nil
}
func NewClientAssertionCredential(tenantID, clientID string, getAssertion func(any) (string, error), options *Options) (*ClientAssertionCredential, error) {
	return nil, nil
}
func NewClientCertificateCredential(tenantID string, clientID string, certs []any, key any, options *Options) (*ClientCertificateCredential, error) {
	return nil, nil
}
func NewClientSecretCredential(tenantID string, clientID string, clientSecret string, options *Options) (*ClientSecretCredential, error) {
	return nil, nil
}
func NewDefaultAzureCredential(*DefaultAzureCredentialOptions) (*DefaultAzureCredential, error) {
	return nil, nil
}
func NewDeviceCodeCredential(*Options) (*DeviceCodeCredential, error) { return nil, nil }
func NewEnvironmentCredential(*EnvironmentCredentialOptions) (*EnvironmentCredential, error) {
	return nil, nil
}
func NewInteractiveBrowserCredential(*Options) (*InteractiveBrowserCredential, error) {
	return nil, nil
}
func NewManagedIdentityCredential(*Options) (*ManagedIdentityCredential, error) { return nil, nil }
func NewOnBehalfOfCredentialWithCertificate(tenantID, clientID, userAssertion string, certs []any, key any, options *Options) (*OnBehalfOfCredential, error) {
	return nil, nil
}
func NewOnBehalfOfCredentialWithClientAssertions(tenantID, clientID, userAssertion string, getAssertion func(any) (string, error), options *Options) (*OnBehalfOfCredential, error) {
	return nil, nil
}
func NewOnBehalfOfCredentialWithSecret(tenantID, clientID, userAssertion, clientSecret string, options *Options) (*OnBehalfOfCredential, error) {
	return nil, nil
}
func NewUsernamePasswordCredential(tenantID string, clientID string, username string, password string, options *Options) (*UsernamePasswordCredential, error) {
	return nil, nil
}
func NewWorkloadIdentityCredential(*Options) (*WorkloadIdentityCredential, error) { return nil, nil }
