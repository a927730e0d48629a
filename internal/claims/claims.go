package claims

import (
	"errors"
	"time"
)

// ErrNotJWT reports that the input is not a compact-serialized JWS (three
// base64url parts separated by dots, the header and payload JSON objects)
// that [Parse] can read. Every error Parse returns wraps it.
var ErrNotJWT = errors.New("not a JWT")

// ErrOpaque reports that the input is a token whose claims cannot be read:
// it has no dot at all (an opaque reference token) or it is an encrypted
// five-part JWE. It is always wrapped together with [ErrNotJWT]. A malformed
// JWT (wrong part count, bad base64, bad JSON, wrong claim types, duplicate
// claims) is not opaque.
var ErrOpaque = errors.New("opaque token, its claims cannot be read")

// parseError is every error [Parse] returns. Its reason describes the shape
// of the input, never its content.
type parseError struct {
	opaque bool
	reason string
}

func (e *parseError) Error() string {
	if e.opaque {
		return "claims: not a JWT: " + ErrOpaque.Error() + ": " + e.reason
	}
	return "claims: not a JWT: " + e.reason
}

// Is reports ErrNotJWT always and ErrOpaque for opaque input.
func (e *parseError) Is(target error) bool {
	return target == ErrNotJWT || (e.opaque && target == ErrOpaque)
}

func malformed(reason string) error { return &parseError{reason: reason} }

// Claims are the public claims autoidentity reads, named as Entra documents
// them (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
// Strings are empty and times zero when the claim is absent.
type Claims struct {
	Issuer    string    `json:"iss,omitempty"`
	Subject   string    `json:"sub,omitempty"`
	Audience  []string  `json:"aud,omitempty"`
	Expiry    time.Time `json:"exp,omitzero"`
	NotBefore time.Time `json:"nbf,omitzero"`
	IssuedAt  time.Time `json:"iat,omitzero"`
	// Version is ver: "1.0" or "2.0".
	Version string `json:"ver,omitempty"`
	// TenantID (tid), ObjectID (oid) and AppID (appid, v1 tokens) or
	// AuthorizedParty (azp, v2 tokens) identify who the token is for.
	TenantID        string `json:"tid,omitempty"`
	ObjectID        string `json:"oid,omitempty"`
	AppID           string `json:"appid,omitempty"`
	AuthorizedParty string `json:"azp,omitempty"`
	// AppIDACR (appidacr, v1) and AzpACR (azpacr, v2) say how the client
	// authenticated: "0" public client, "1" secret, "2" certificate or
	// federated assertion.
	AppIDACR string `json:"appidacr,omitempty"`
	AzpACR   string `json:"azpacr,omitempty"`
	// IdentityType is the optional idtyp claim: "app", "user" or "device".
	IdentityType string `json:"idtyp,omitempty"`
	// Scopes (scp, space separated) appear only in delegated (user) tokens;
	// Roles in app-only and user tokens alike.
	Scopes string   `json:"scp,omitempty"`
	Roles  []string `json:"roles,omitempty"`
	// Groups and WIDs (directory role templates) appear in app-only and user
	// tokens alike.
	Groups []string `json:"groups,omitempty"`
	WIDs   []string `json:"wids,omitempty"`
	// The user claims: a token carrying any of them is not app-only.
	UPN               string   `json:"upn,omitempty"`
	UniqueName        string   `json:"unique_name,omitempty"`
	PreferredUsername string   `json:"preferred_username,omitempty"`
	Name              string   `json:"name,omitempty"`
	GivenName         string   `json:"given_name,omitempty"`
	FamilyName        string   `json:"family_name,omitempty"`
	Email             string   `json:"email,omitempty"`
	AMR               []string `json:"amr,omitempty"`
	// ManagedIdentityResourceID (xms_mirid) names the managed identity that
	// was issued the token.
	ManagedIdentityResourceID string `json:"xms_mirid,omitempty"`

	// userClaims lists the user-only claims present, in token order and
	// spelled as documented, whatever their value (sid, login_hint and
	// acct, whose values are session details, are recorded only here).
	userClaims []string
	// present records claims present even with an empty value.
	present presence
}

// presence is a set of claims whose empty value differs from their absence.
type presence uint8

const (
	presentIdtyp presence = 1 << iota
	presentAppIDACR
	presentAzpACR
)

// Expired reports whether the token's exp is at or before now. A token
// without exp never expires by this test.
func (c *Claims) Expired(now time.Time) bool {
	return !c.Expiry.IsZero() && !now.Before(c.Expiry)
}
