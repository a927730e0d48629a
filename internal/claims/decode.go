package claims

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"time"
)

// Types Parse enforces, from Microsoft Entra's access token claims reference
// (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference)
// and optional claims reference
// (https://learn.microsoft.com/entra/identity-platform/optional-claims-reference).
// A claim not listed here is ignored whatever its type.
var (
	// stringClaims are JSON strings. sid and login_hint are checked but
	// not kept.
	stringClaims = []string{
		"iss", "sub", "ver", "tid", "oid", "appid", "azp", "appidacr", "azpacr", "idtyp",
		"scp", "upn", "unique_name", "preferred_username", "name", "given_name",
		"family_name", "email", "xms_mirid", "sid", "login_hint",
	}
	// listClaims are JSON arrays of strings.
	listClaims = []string{"roles", "groups", "wids", "amr"}
	// dateClaims are NumericDates (RFC 7519 section 2): JSON numbers of
	// seconds, possibly fractional, here bounded to [0, 2^40].
	dateClaims = []string{"exp", "nbf", "iat"}
	// presenceClaims are user claims (see userClaims) whose type the docs
	// leave open or real tokens contradict (in_corp is documented as a
	// boolean and issued as the string "true"; acct is issued as a number):
	// their presence alone matters.
	presenceClaims = []string{
		"acct", "acr", "auth_time", "ctry", "hasgroups", "in_corp", "ipaddr", "nickname",
		"onprem_sid", "pwd_exp", "pwd_url", "verified_primary_email",
		"verified_secondary_email", "xms_edov", "xms_pl",
	}
	payloadNames = newNames(append(append(append(append([]string{"aud"},
		stringClaims...), listClaims...), dateClaims...), presenceClaims...)...)
)

// maxDate bounds NumericDates: 2^40 seconds is year 36812, far past any
// real token and far inside time.Time's range.
const maxDate = 1 << 40

// decodePayload reads the claims of one payload.
func decodePayload(p []byte) (*Claims, error) {
	c := new(Claims)
	err := walkObject(p, "payload", payloadNames, func(name string, raw []byte) error {
		if _, ok := userClaims[name]; ok {
			c.userClaims = append(c.userClaims, name)
		}
		switch name {
		case "idtyp":
			c.present |= presentIdtyp
		case "appidacr":
			c.present |= presentAppIDACR
		case "azpacr":
			c.present |= presentAzpACR
		}
		return c.set(name, raw)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// set checks the type of one known claim and keeps its value.
func (c *Claims) set(name string, raw []byte) (err error) {
	switch name {
	case "aud":
		c.Audience, err = audience(raw)
	case "exp":
		c.Expiry, err = date(name, raw)
	case "nbf":
		c.NotBefore, err = date(name, raw)
	case "iat":
		c.IssuedAt, err = date(name, raw)
	case "roles":
		c.Roles, err = strs(name, raw)
	case "groups":
		c.Groups, err = strs(name, raw)
	case "wids":
		c.WIDs, err = strs(name, raw)
	case "amr":
		c.AMR, err = strs(name, raw)
	default:
		if p, ok := c.stringField(name); ok {
			var v string
			if v, err = str(name, raw); p != nil {
				*p = v
			}
		}
	}
	return err
}

// stringField returns where a string claim is kept, nil for one checked
// but not kept; ok is false for a claim that is not a string claim.
func (c *Claims) stringField(name string) (p *string, ok bool) {
	switch name {
	case "iss":
		return &c.Issuer, true
	case "sub":
		return &c.Subject, true
	case "ver":
		return &c.Version, true
	case "tid":
		return &c.TenantID, true
	case "oid":
		return &c.ObjectID, true
	case "appid":
		return &c.AppID, true
	case "azp":
		return &c.AuthorizedParty, true
	case "appidacr":
		return &c.AppIDACR, true
	case "azpacr":
		return &c.AzpACR, true
	case "idtyp":
		return &c.IdentityType, true
	case "scp":
		return &c.Scopes, true
	case "upn":
		return &c.UPN, true
	case "unique_name":
		return &c.UniqueName, true
	case "preferred_username":
		return &c.PreferredUsername, true
	case "name":
		return &c.Name, true
	case "given_name":
		return &c.GivenName, true
	case "family_name":
		return &c.FamilyName, true
	case "email":
		return &c.Email, true
	case "xms_mirid":
		return &c.ManagedIdentityResourceID, true
	case "sid", "login_hint":
		return nil, true
	}
	return nil, false
}

// str reads a JSON string; null or any other type is refused.
func str(name string, raw []byte) (string, error) {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", malformed(name + " is not a string")
	}
	return s, nil
}

// strs reads a JSON array of strings. encoding/json would read null
// elements as "" without complaint; each element is checked instead.
func strs(name string, raw []byte) ([]string, error) {
	var elems []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &elems) != nil {
		return nil, malformed(name + " is not an array of strings")
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		s, err := str(name, e)
		if err != nil {
			return nil, malformed(name + " is not an array of strings")
		}
		out[i] = s
	}
	return out, nil
}

// audience accepts the two forms RFC 7519 section 4.1.3 allows: a string
// or an array of strings.
func audience(raw []byte) ([]string, error) {
	if len(raw) > 0 && raw[0] == '"' {
		s, err := str("aud", raw)
		return []string{s}, err
	}
	if a, err := strs("aud", raw); err == nil {
		return a, nil
	}
	return nil, malformed("aud is neither a string nor an array of strings")
}

var errNotNumber = errors.New("not a JSON number")

// date converts a NumericDate to a UTC time.
func date(name string, raw []byte) (time.Time, error) {
	var f float64
	err := errNotNumber
	if len(raw) > 0 && (raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9') {
		f, err = strconv.ParseFloat(string(raw), 64)
	}
	if err != nil || math.IsNaN(f) || f < 0 || f > maxDate {
		return time.Time{}, malformed(name + " is not a NumericDate (a JSON number of seconds from 0 to 2^40)")
	}
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC(), nil
}
