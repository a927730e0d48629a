// Package confidential is a stub of MSAL Go's confidential client.
package confidential

type AuthResult struct{ AccessToken string }
type Credential struct{}
type AcquireOption interface{}

type Client struct{}

func NewCredFromSecret(secret string) (Credential, error) { return Credential{}, nil }
func New(authority, clientID string, cred Credential) (Client, error) {
	return Client{}, nil
}

func (Client) AcquireTokenByCredential(ctx any, scopes []string, opts ...AcquireOption) (AuthResult, error) {
	return AuthResult{}, nil
}
func (Client) AcquireTokenByUsernamePassword(ctx any, scopes []string, username, password string, opts ...AcquireOption) (AuthResult, error) {
	return AuthResult{}, nil
}
func (Client) AcquireTokenOnBehalfOf(ctx any, userAssertion string, scopes []string, opts ...AcquireOption) (AuthResult, error) {
	return AuthResult{}, nil
}
