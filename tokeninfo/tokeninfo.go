package tokeninfo

import (
	"slices"
	"strings"
	"time"

	"github.com/autoidentity/autoidentity/internal/claims"
)

// Claims are the public claims of an access token, named as Microsoft
// Entra ID documents them
// (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
// A string is empty, a slice nil and a time zero when its claim is absent.
// Claims are a copy: changing them changes nothing else.
type Claims struct {
	// Issuer (iss) is the security token service that issued the token.
	Issuer string `json:"iss,omitempty"`
	// Subject (sub) is the principal the token is about.
	Subject string `json:"sub,omitempty"`
	// Audience (aud) is the resource the token is for.
	Audience []string `json:"aud,omitempty"`
	// TenantID (tid) is the tenant that issued it.
	TenantID string `json:"tid,omitempty"`
	// ObjectID (oid) is the identity's object ID in that tenant.
	ObjectID string `json:"oid,omitempty"`
	// AppID is the application the token was issued to: appid in version
	// 1.0 tokens, azp in version 2.0 tokens.
	AppID string `json:"appid,omitempty"`
	// IdentityType (idtyp) is "app", "user" or "device" when the token
	// carries the optional claim.
	IdentityType string `json:"idtyp,omitempty"`
	// Roles (roles) are the application roles granted.
	Roles []string `json:"roles,omitempty"`
	// ManagedIdentityResourceID (xms_mirid) names the managed identity the
	// token was issued to.
	ManagedIdentityResourceID string `json:"xms_mirid,omitempty"`
	// Version (ver) is "1.0" or "2.0".
	Version string `json:"ver,omitempty"`
	// IssuedAt (iat), NotBefore (nbf) and Expiry (exp) bound the token's
	// validity.
	IssuedAt  time.Time `json:"iat,omitzero"`
	NotBefore time.Time `json:"nbf,omitzero"`
	Expiry    time.Time `json:"exp,omitzero"`
}

// Parse reads the public claims of token, a compact JWT; surrounding white
// space is ignored. It does not check the signature (see the package
// documentation). It returns an error, which never contains the token or
// any part of it, when token is not a readable JWT: opaque, encrypted or
// malformed.
func Parse(token string) (*Claims, error) {
	c, err := claims.Parse(token)
	if err != nil {
		return nil, &parseError{err}
	}
	app := c.AppID
	if app == "" {
		app = c.AuthorizedParty
	}
	return &Claims{
		Issuer: c.Issuer, Subject: c.Subject, Audience: slices.Clone(c.Audience),
		TenantID: c.TenantID, ObjectID: c.ObjectID, AppID: app,
		IdentityType: c.IdentityType, Roles: slices.Clone(c.Roles),
		ManagedIdentityResourceID: c.ManagedIdentityResourceID, Version: c.Version,
		IssuedAt: c.IssuedAt, NotBefore: c.NotBefore, Expiry: c.Expiry,
	}, nil
}

// parseError is every error Parse returns: the reason the token cannot be
// read, which describes its shape, never its content.
type parseError struct{ err error }

func (e *parseError) Error() string {
	return "tokeninfo: " + strings.TrimPrefix(e.err.Error(), "claims: ")
}

func (e *parseError) Unwrap() error { return e.err }
