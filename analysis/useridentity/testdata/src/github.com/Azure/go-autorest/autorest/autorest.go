// Package autorest is a stub of go-autorest's Authorizer.
package autorest

import "github.com/Azure/go-autorest/autorest/adal"

type Authorizer interface{ WithAuthorization() }

type BearerAuthorizer struct{ tp adal.OAuthTokenProvider }

func (*BearerAuthorizer) WithAuthorization() {}

func NewBearerAuthorizer(tp adal.OAuthTokenProvider) *BearerAuthorizer { return &BearerAuthorizer{tp} }
