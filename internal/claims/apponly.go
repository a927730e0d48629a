package claims

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotAppOnly reports that a token is not proven app-only: it may act for
// a signed-in person, or it lacks what proves it does not. Errors from
// [Claims.AppOnly] wrap it and say why in plain words.
var ErrNotAppOnly = errors.New("not proven app-only")

// userClaims are the claims that describe a signed-in user, with what each
// is. Entra documents scp as "only included for user tokens", the names and
// amr as describing the user and how they signed in (client credential
// tokens are "on behalf of applications that don't have names"), and the
// optional claims as user attributes (the user's sign-in session, account
// status, network, password, language). wids and groups are absent: app
// tokens carry them too.
var userClaims = map[string]string{
	"scp": "a delegated scope", "upn": "a user principal name", "unique_name": "a user name",
	"preferred_username": "a user name", "name": "a display name", "given_name": "a first name",
	"family_name": "a surname", "nickname": "a nickname", "email": "an email address",
	"verified_primary_email": "an email address", "verified_secondary_email": "an email address",
	"xms_edov": "an email domain check", "amr": "how a user signed in",
	"acr": "a user authentication class", "auth_time": "a user sign-in time",
	"sid": "a sign-in session", "login_hint": "a login hint", "acct": "a user account status",
	"ctry": "a user's country", "xms_pl": "a user's language", "ipaddr": "a user's IP address",
	"in_corp": "a user's network location", "onprem_sid": "a user's on-premises SID",
	"pwd_exp": "a password expiry", "pwd_url": "a password change page",
	"hasgroups": "a user's group overage",
}

// AppOnly returns nil only when the token is positively proven app-only,
// and otherwise an error wrapping [ErrNotAppOnly] that lists every reason.
// The rule, from Microsoft's documentation, strictest reading:
//
//   - no user claim is present (scp, upn, unique_name, preferred_username,
//     name, given_name, family_name, email, amr, acr, sid, login_hint, acct,
//     ipaddr and the other user attributes): scp is "only included for user
//     tokens" and app tokens have no names
//     (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference,
//     https://learn.microsoft.com/entra/identity-platform/optional-claims-reference);
//   - idtyp, if present, is exactly "app": Entra emits it as "app" for
//     app-only tokens and "user" or "device" otherwise, and calls it the most
//     accurate way to tell (optional claims reference);
//   - appidacr or azpacr, if present, is "1" (secret) or "2" (certificate
//     or federated assertion): "0" is a public client, which can only sign a
//     user in (access token claims reference);
//   - appid or azp names the client, as every Entra access token does;
//   - oid and sub are present, oid is a GUID and sub equals it: in an
//     app-only token sub is the service principal's object ID, while a
//     user's sub is a pairwise identifier unique to each application
//     (https://learn.microsoft.com/entra/identity-platform/scenario-protected-web-api-verification-scope-app-roles,
//     "Accepting app-only tokens": isAppOnly = oid != null && sub != null &&
//     oid == sub).
//
// idtyp is never trusted over the other claims: an idtyp of "app" beside
// scp and upn is refused. Errors name claims and documented values only,
// never a value taken from the token.
func (c *Claims) AppOnly() error {
	if c == nil {
		return fmt.Errorf("claims: %w: there are no claims", ErrNotAppOnly)
	}
	var why []string
	if len(c.userClaims) > 0 {
		list := make([]string, len(c.userClaims))
		for i, n := range c.userClaims {
			list[i] = n + " (" + userClaims[n] + ")"
		}
		why = append(why, "it carries user claims: "+strings.Join(list, ", "))
	}
	if c.has("idtyp") && c.IdentityType != "app" {
		why = append(why, "idtyp is "+documented(c.IdentityType, "user", "device")+", not \"app\"")
	}
	for _, acr := range [...]struct{ name, v string }{{"appidacr", c.AppIDACR}, {"azpacr", c.AzpACR}} {
		switch {
		case !c.has(acr.name) || acr.v == "1" || acr.v == "2":
		case acr.v == "0":
			why = append(why, acr.name+" is \"0\", a public client, which only signs users in")
		default:
			why = append(why, acr.name+" is "+documented(acr.v)+", not \"1\" or \"2\"")
		}
	}
	if c.AppID == "" && c.AuthorizedParty == "" {
		why = append(why, "it names no client application (appid or azp)")
	}
	switch {
	case c.ObjectID == "" || c.Subject == "":
		why = append(why, "it lacks oid or sub, which an app-only token carries with the same value")
	case c.Subject != c.ObjectID:
		why = append(why, "sub and oid differ, as in a user token (an app-only token's sub is its own object ID)")
	case !isGUID(c.ObjectID):
		why = append(why, "oid is not a GUID")
	}
	if why != nil {
		return fmt.Errorf("claims: %w: %s", ErrNotAppOnly, strings.Join(why, "; "))
	}
	return nil
}

// IsUser reports whether the token carries any sign of acting for a person:
// a user claim (see [Claims.AppOnly]), an idtyp other than "app" (such as
// "user" or "device"), or a public client ("0" in appidacr or azpacr). It is
// weaker than AppOnly: false proves nothing, so a decision to serve a token
// must rest on AppOnly. IsUser is for explaining a token.
func (c *Claims) IsUser() bool {
	if c == nil {
		return false
	}
	return len(c.userClaims) > 0 || c.has("idtyp") && c.IdentityType != "app" ||
		c.AppIDACR == "0" || c.AzpACR == "0"
}

// has reports whether a claim Parse reads was present, whatever its value.
func (c *Claims) has(name string) bool {
	switch name {
	case "idtyp":
		return c.IdentityType != "" || c.present&presentIdtyp != 0
	case "appidacr":
		return c.AppIDACR != "" || c.present&presentAppIDACR != 0
	case "azpacr":
		return c.AzpACR != "" || c.present&presentAzpACR != 0
	}
	return false
}

// documented quotes v if it is empty or one of the documented values, and
// otherwise describes it without repeating it: it came from the token.
func documented(v string, values ...string) string {
	if v == "" {
		return "empty"
	}
	for _, d := range values {
		if v == d {
			return `"` + v + `"`
		}
	}
	return "an undocumented value"
}

// isGUID reports whether s is a GUID in its 8-4-4-4-12 hex form.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'):
			return false
		}
	}
	return true
}
