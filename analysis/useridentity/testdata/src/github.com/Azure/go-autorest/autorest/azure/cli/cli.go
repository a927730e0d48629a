// Package cli is a stub of go-autorest's azure/cli v0.4.7.
package cli

type Token struct{ AccessToken string }
type GetAccessTokenParams struct{ Resource string }

func GetTokenFromCLI(resource string) (*Token, error)                       { return nil, nil }
func GetTokenFromCLIWithParams(params GetAccessTokenParams) (*Token, error) { return nil, nil }
func LoadTokens(path string) ([]Token, error)                               { return nil, nil }
func ProfilePath() (string, error)                                          { return "", nil }
