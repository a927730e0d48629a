// Package claims decodes the public claims of a JSON Web Token without
// verifying its signature. It is for explaining a token (which tenant, which
// audience, app or user, when it expires), never for trusting one.
//
// Errors never contain the token or any part of it: a token is a bearer
// credential.
package claims

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotJWT reports that the input is not a compact-serialized JWS (three
// base64url parts separated by dots, the middle one a JSON object).
var ErrNotJWT = errors.New("not a JWT")

// maxLen bounds the input: real access tokens are a few KB; anything larger
// is not a token and is refused before decoding.
const maxLen = 64 << 10

// Claims are the public claims autoidentity reads. Times are zero when the
// claim is absent.
type Claims struct {
	Issuer    string    `json:"iss,omitempty"`
	Subject   string    `json:"sub,omitempty"`
	Audience  []string  `json:"aud,omitempty"`
	Expiry    time.Time `json:"exp,omitzero"`
	NotBefore time.Time `json:"nbf,omitzero"`
	IssuedAt  time.Time `json:"iat,omitzero"`
	// TenantID (tid), ObjectID (oid) and AppID (appid, v1 tokens) or
	// AuthorizedParty (azp, v2 tokens) identify who the token is for.
	TenantID        string `json:"tid,omitempty"`
	ObjectID        string `json:"oid,omitempty"`
	AppID           string `json:"appid,omitempty"`
	AuthorizedParty string `json:"azp,omitempty"`
	// IdentityType is the optional idtyp claim: "app", "user" or "device".
	IdentityType string `json:"idtyp,omitempty"`
	// Scopes (scp, space separated) appear only in delegated (user) tokens;
	// Roles in app-only and user tokens alike.
	Scopes     string   `json:"scp,omitempty"`
	Roles      []string `json:"roles,omitempty"`
	UPN        string   `json:"upn,omitempty"`
	UniqueName string   `json:"unique_name,omitempty"`
	// ManagedIdentityResourceID (xms_mirid) names the managed identity that
	// was issued the token.
	ManagedIdentityResourceID string `json:"xms_mirid,omitempty"`
}

// wire mirrors Claims as the token spells it.
type wire struct {
	Iss      string          `json:"iss"`
	Sub      string          `json:"sub"`
	Aud      json.RawMessage `json:"aud"`
	Exp      json.Number     `json:"exp"`
	Nbf      json.Number     `json:"nbf"`
	Iat      json.Number     `json:"iat"`
	Tid      string          `json:"tid"`
	Oid      string          `json:"oid"`
	AppID    string          `json:"appid"`
	Azp      string          `json:"azp"`
	Idtyp    string          `json:"idtyp"`
	Scp      string          `json:"scp"`
	Roles    []string        `json:"roles"`
	UPN      string          `json:"upn"`
	Unique   string          `json:"unique_name"`
	XMSMirID string          `json:"xms_mirid"`
}

// Parse decodes the payload of a compact JWT. Surrounding whitespace (a
// trailing newline in a token file) is ignored. The signature is not
// checked. Errors wrap [ErrNotJWT] and describe the shape, never the content.
func Parse(token string) (*Claims, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, fmt.Errorf("claims: %w: the input is empty", ErrNotJWT)
	}
	if len(token) > maxLen {
		return nil, fmt.Errorf("claims: %w: %d bytes is larger than any token (limit %d)", ErrNotJWT, len(token), maxLen)
	}
	first := strings.IndexByte(token, '.')
	if first < 0 {
		return nil, fmt.Errorf("claims: %w: expected three dot-separated parts, found one", ErrNotJWT)
	}
	rest := token[first+1:]
	second := strings.IndexByte(rest, '.')
	if second < 0 {
		return nil, fmt.Errorf("claims: %w: expected three dot-separated parts, found two", ErrNotJWT)
	}
	if n := strings.Count(rest[second+1:], ".") + 3; n != 3 {
		if n == 5 {
			return nil, fmt.Errorf("claims: %w: five parts is an encrypted token (JWE), whose claims cannot be read", ErrNotJWT)
		}
		return nil, fmt.Errorf("claims: %w: expected three dot-separated parts, found %d", ErrNotJWT, n)
	}
	payload := strings.TrimRight(rest[:second], "=")
	buf := make([]byte, base64.RawURLEncoding.DecodedLen(len(payload)))
	n, err := base64.RawURLEncoding.Decode(buf, []byte(payload))
	if err != nil {
		return nil, fmt.Errorf("claims: %w: the payload is not base64url", ErrNotJWT)
	}
	var w wire
	if err := json.Unmarshal(buf[:n], &w); err != nil {
		return nil, fmt.Errorf("claims: %w: the payload is not a JSON object", ErrNotJWT)
	}
	c := &Claims{
		Issuer: w.Iss, Subject: w.Sub, TenantID: w.Tid, ObjectID: w.Oid,
		AppID: w.AppID, AuthorizedParty: w.Azp, IdentityType: w.Idtyp,
		Scopes: w.Scp, Roles: w.Roles, UPN: w.UPN, UniqueName: w.Unique,
		ManagedIdentityResourceID: w.XMSMirID,
	}
	if c.Audience, err = audience(w.Aud); err != nil {
		return nil, err
	}
	for _, t := range [...]struct {
		name string
		n    json.Number
		dst  *time.Time
	}{{"exp", w.Exp, &c.Expiry}, {"nbf", w.Nbf, &c.NotBefore}, {"iat", w.Iat, &c.IssuedAt}} {
		if *t.dst, err = numericDate(t.name, t.n); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// audience accepts the two forms RFC 7519 allows: a string or an array.
func audience(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("claims: %w: aud is malformed", ErrNotJWT)
		}
		return []string{s}, nil
	}
	var a []string
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("claims: %w: aud is neither a string nor an array of strings", ErrNotJWT)
	}
	return a, nil
}

// numericDate converts seconds since the epoch (possibly fractional) to a
// UTC time.
func numericDate(name string, n json.Number) (time.Time, error) {
	if n == "" {
		return time.Time{}, nil
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > 1<<40 {
		return time.Time{}, fmt.Errorf("claims: %w: %s is not a NumericDate", ErrNotJWT, name)
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), nil
}

// IsUser reports whether the token acts for a signed-in user rather than an
// application: idtyp is "user", or (when idtyp is absent) it carries a
// delegated scope (scp) or a user name (upn, unique_name). Managed identity,
// service principal and federated tokens are app-only.
func (c *Claims) IsUser() bool {
	switch c.IdentityType {
	case "user":
		return true
	case "app", "device":
		return false
	}
	return c.Scopes != "" || c.UPN != "" || c.UniqueName != ""
}

// Expired reports whether the token's exp is at or before now. A token
// without exp never expires by this test.
func (c *Claims) Expired(now time.Time) bool {
	return !c.Expiry.IsZero() && !now.Before(c.Expiry)
}
