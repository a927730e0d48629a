// Package public is a stub of MSAL Go's public client.
package public

type AuthResult struct{ AccessToken string }
type DeviceCode struct{ Message string }
type Option func()
type AcquireOption interface{}

type Client struct{}

func New(clientID string, options ...Option) (Client, error) { return Client{}, nil }

func (Client) AcquireTokenSilent(ctx any, scopes []string, opts ...AcquireOption) (AuthResult, error) {
	return AuthResult{}, nil
}
func (Client) AcquireTokenByUsernamePassword(ctx any, scopes []string, username, password string, opts ...AcquireOption) (AuthResult, error) {
	return AuthResult{}, nil
}
func (Client) AcquireTokenByDeviceCode(ctx any, scopes []string, opts ...AcquireOption) (DeviceCode, error) {
	return DeviceCode{}, nil
}
func (Client) AcquireTokenInteractive(ctx any, scopes []string, opts ...AcquireOption) (AuthResult, error) {
	return AuthResult{}, nil
}
