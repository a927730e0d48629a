// Package credential is a stub of autoidentity's credential package.
package credential

import "github.com/Azure/azure-sdk-for-go/sdk/azcore"

type Options struct{ AllowDeveloperTools bool }
type ChainOptions struct{ AllowDeveloperTools bool }

type Credential struct{ upstream azcore.TokenCredential }

func (*Credential) GetToken(any, azcore.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, nil
}

func New(opts *Options) (*Credential, error) { return &Credential{}, nil }

func NewChain(creds []azcore.TokenCredential, opts *ChainOptions) (*Credential, error) {
	return &Credential{}, nil
}
