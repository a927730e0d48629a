// Package adal is a stub of go-autorest's adal v0.9.24.
package adal

type OAuthConfig struct{}
type OAuthTokenProvider interface{ OAuthToken() string }
type Sender interface {
	Do(req any) (any, error)
}
type DeviceCode struct{}
type Token struct{ AccessToken string }
type ServicePrincipalToken struct{}
type TokenRefreshCallback func(Token) error

func (*ServicePrincipalToken) OAuthToken() string { return "" }

func NewOAuthConfig(activeDirectoryEndpoint, tenantID string) (*OAuthConfig, error) { return nil, nil }
func NewServicePrincipalToken(oauthConfig OAuthConfig, clientID string, secret string, resource string, callbacks ...TokenRefreshCallback) (*ServicePrincipalToken, error) {
	return nil, nil
}
func NewServicePrincipalTokenFromUsernamePassword(oauthConfig OAuthConfig, clientID string, username string, password string, resource string, callbacks ...TokenRefreshCallback) (*ServicePrincipalToken, error) {
	return nil, nil
}
func NewServicePrincipalTokenFromAuthorizationCode(oauthConfig OAuthConfig, clientID string, clientSecret string, authorizationCode string, redirectURI string, resource string, callbacks ...TokenRefreshCallback) (*ServicePrincipalToken, error) {
	return nil, nil
}
func NewServicePrincipalTokenFromMSI(msiEndpoint, resource string, callbacks ...TokenRefreshCallback) (*ServicePrincipalToken, error) {
	return nil, nil
}
func InitiateDeviceAuth(sender Sender, oauthConfig OAuthConfig, clientID, resource string) (*DeviceCode, error) {
	return nil, nil
}
func InitiateDeviceAuthWithContext(ctx any, sender Sender, oauthConfig OAuthConfig, clientID, resource string) (*DeviceCode, error) {
	return nil, nil
}
func CheckForUserCompletion(sender Sender, code *DeviceCode) (*Token, error) { return nil, nil }
func CheckForUserCompletionWithContext(ctx any, sender Sender, code *DeviceCode) (*Token, error) {
	return nil, nil
}
func WaitForUserCompletion(sender Sender, code *DeviceCode) (*Token, error) { return nil, nil }
func WaitForUserCompletionWithContext(ctx any, sender Sender, code *DeviceCode) (*Token, error) {
	return nil, nil
}
