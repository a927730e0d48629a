// Package auth is a stub of go-autorest's azure/auth v0.5.13.
package auth

import (
	"github.com/Azure/go-autorest/autorest"
	"github.com/Azure/go-autorest/autorest/adal"
)

type EnvironmentSettings struct{ Values map[string]string }

func GetSettingsFromEnvironment() (EnvironmentSettings, error)          { return EnvironmentSettings{}, nil }
func (EnvironmentSettings) GetAuthorizer() (autorest.Authorizer, error) { return nil, nil }
func (EnvironmentSettings) GetClientCredentials() (ClientCredentialsConfig, error) {
	return ClientCredentialsConfig{}, nil
}
func (EnvironmentSettings) GetUsernamePassword() (UsernamePasswordConfig, error) {
	return UsernamePasswordConfig{}, nil
}
func (EnvironmentSettings) GetMSI() MSIConfig               { return MSIConfig{} }
func (EnvironmentSettings) GetDeviceFlow() DeviceFlowConfig { return DeviceFlowConfig{} }

func NewAuthorizerFromEnvironment() (autorest.Authorizer, error) { return nil, nil }
func NewAuthorizerFromEnvironmentWithResource(resource string) (autorest.Authorizer, error) {
	return nil, nil
}
func NewAuthorizerFromFile(resourceBaseURI string) (autorest.Authorizer, error)     { return nil, nil }
func NewAuthorizerFromCLI() (autorest.Authorizer, error)                            { return nil, nil }
func NewAuthorizerFromCLIWithResource(resource string) (autorest.Authorizer, error) { return nil, nil }

type ClientCredentialsConfig struct{ ClientID, ClientSecret, TenantID string }
type UsernamePasswordConfig struct{ ClientID, Username, Password, TenantID string }
type DeviceFlowConfig struct{ ClientID, TenantID string }
type MSIConfig struct{ Resource string }

func NewClientCredentialsConfig(clientID string, clientSecret string, tenantID string) ClientCredentialsConfig {
	return ClientCredentialsConfig{}
}
func NewUsernamePasswordConfig(username string, password string, clientID string, tenantID string) UsernamePasswordConfig {
	return UsernamePasswordConfig{}
}
func NewDeviceFlowConfig(clientID string, tenantID string) DeviceFlowConfig {
	return DeviceFlowConfig{}
}
func NewMSIConfig() MSIConfig { return MSIConfig{} }

func (ClientCredentialsConfig) Authorizer() (autorest.Authorizer, error) { return nil, nil }
func (UsernamePasswordConfig) Authorizer() (autorest.Authorizer, error)  { return nil, nil }
func (DeviceFlowConfig) Authorizer() (autorest.Authorizer, error)        { return nil, nil }
func (DeviceFlowConfig) ServicePrincipalToken() (*adal.ServicePrincipalToken, error) {
	return nil, nil
}
func (MSIConfig) Authorizer() (autorest.Authorizer, error) { return nil, nil }
