package claims

import (
	"encoding/base64"
	"slices"
	"testing"
	"time"
)

// enc is base64url without padding, the only encoding Parse accepts.
func enc(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// header is a typical Entra v1 access token header.
const header = `{"typ":"JWT","alg":"RS256","x5t":"fakeThumbprint0000000000000","kid":"fakeThumbprint0000000000000"}`

// jwt encodes payload as a compact JWS with a fake signature; Parse does not
// check signatures.
func jwt(payload string) string {
	return enc(header) + "." + enc(payload) + "." + enc("signature")
}

// appPayload is a managed identity v1 token for ARM, the shape AppOnly
// accepts; tests vary it.
const appPayload = `{"aud":"https://management.azure.com/","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",` +
	`"iat":1748779200,"nbf":1748779200,"exp":1748865900,"aio":"opaque","appid":"9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b","appidacr":"2",` +
	`"idp":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","idtyp":"app","oid":"11111111-2222-3333-4444-555555555555",` +
	`"rh":"opaque","sub":"11111111-2222-3333-4444-555555555555","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","uti":"opaque","ver":"1.0",` +
	`"xms_mirid":"/subscriptions/x/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id","xms_tcdt":1600000000}`

func TestParse(t *testing.T) {
	t.Parallel()
	c, err := Parse(jwt(appPayload) + "\n")
	if err != nil {
		t.Fatal(err)
	}
	want := Claims{
		Issuer: "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/", Subject: "11111111-2222-3333-4444-555555555555",
		Audience: []string{"https://management.azure.com/"}, Expiry: time.Unix(1748865900, 0).UTC(),
		NotBefore: time.Unix(1748779200, 0).UTC(), IssuedAt: time.Unix(1748779200, 0).UTC(), Version: "1.0",
		TenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47", ObjectID: "11111111-2222-3333-4444-555555555555",
		AppID: "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b", AppIDACR: "2", IdentityType: "app",
		ManagedIdentityResourceID: "/subscriptions/x/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id",
		present:                   presentIdtyp | presentAppIDACR,
	}
	if !equal(c, &want) {
		t.Errorf("claims = %+v\nwant     %+v", c, want)
	}
	if c.IsUser() {
		t.Error("IsUser = true for a managed identity token")
	}
	if err := c.AppOnly(); err != nil {
		t.Errorf("AppOnly: %v", err)
	}
}

// equal compares Claims field by field; time.Time needs Equal.
func equal(a, b *Claims) bool {
	return a.Issuer == b.Issuer && a.Subject == b.Subject && slices.Equal(a.Audience, b.Audience) &&
		a.Expiry.Equal(b.Expiry) && a.NotBefore.Equal(b.NotBefore) && a.IssuedAt.Equal(b.IssuedAt) &&
		a.Version == b.Version && a.TenantID == b.TenantID && a.ObjectID == b.ObjectID && a.AppID == b.AppID &&
		a.AuthorizedParty == b.AuthorizedParty && a.AppIDACR == b.AppIDACR && a.AzpACR == b.AzpACR &&
		a.IdentityType == b.IdentityType && a.Scopes == b.Scopes && slices.Equal(a.Roles, b.Roles) &&
		slices.Equal(a.Groups, b.Groups) && slices.Equal(a.WIDs, b.WIDs) && a.UPN == b.UPN &&
		a.UniqueName == b.UniqueName && a.PreferredUsername == b.PreferredUsername && a.Name == b.Name &&
		a.GivenName == b.GivenName && a.FamilyName == b.FamilyName && a.Email == b.Email &&
		slices.Equal(a.AMR, b.AMR) && a.ManagedIdentityResourceID == b.ManagedIdentityResourceID &&
		slices.Equal(a.userClaims, b.userClaims) && a.present == b.present
}

func TestParseReadsEveryClaim(t *testing.T) {
	t.Parallel()
	c, err := Parse(jwt(`{"aud":["api://x","api://y"],"azp":"a","azpacr":"0","scp":"User.Read","roles":["R"],"groups":["g"],` +
		`"wids":["w"],"upn":"u@example.com","unique_name":"un","preferred_username":"pu","name":"N","given_name":"G",` +
		`"family_name":"F","email":"e@example.com","amr":["pwd","mfa"],"sid":"s","login_hint":"h","acct":0,` +
		`"exp":1.7488659e9,"nbf":0,"iat":1700000000.25,"in_corp":"true","idtyp":""}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Claims{
		Audience: []string{"api://x", "api://y"}, AuthorizedParty: "a", AzpACR: "0", Scopes: "User.Read",
		Roles: []string{"R"}, Groups: []string{"g"}, WIDs: []string{"w"}, UPN: "u@example.com", UniqueName: "un",
		PreferredUsername: "pu", Name: "N", GivenName: "G", FamilyName: "F", Email: "e@example.com",
		AMR: []string{"pwd", "mfa"}, Expiry: time.Unix(1748865900, 0), NotBefore: time.Unix(0, 0),
		IssuedAt: time.Unix(1700000000, 250_000_000),
		userClaims: []string{"scp", "upn", "unique_name", "preferred_username", "name", "given_name",
			"family_name", "email", "amr", "sid", "login_hint", "acct", "in_corp"},
		present: presentIdtyp | presentAzpACR,
	}
	if !equal(c, &want) {
		t.Errorf("claims = %+v\nwant     %+v", c, want)
	}
	if c.IssuedAt.Location() != time.UTC {
		t.Errorf("times are in %v, want UTC", c.IssuedAt.Location())
	}
}

func TestExpired(t *testing.T) {
	t.Parallel()
	c := &Claims{Expiry: time.Unix(1748865900, 0)}
	if !c.Expired(time.Unix(1748865900, 0)) || c.Expired(time.Unix(1748865899, 0)) {
		t.Error("Expired is wrong at the boundary")
	}
	if (&Claims{}).Expired(time.Now()) {
		t.Error("a token without exp expired")
	}
}

func TestIsUser(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, payload string
		user          bool
	}{
		{"delegated v2", `{"aud":"api://x","scp":"User.Read","azp":"a"}`, true},
		{"upn without idtyp", `{"upn":"alice@contoso.example","roles":["Reader"]}`, true},
		{"unique_name", `{"unique_name":"live.com#alice@outlook.example"}`, true},
		{"idtyp user", `{"idtyp":"user"}`, true},
		{"idtyp device", `{"idtyp":"device"}`, true},
		{"idtyp User", `{"idtyp":"User"}`, true},
		{"idtyp app beside scp", `{"idtyp":"app","scp":"x"}`, true},
		{"public client", `{"appidacr":"0"}`, true},
		{"preferred_username only", `{"preferred_username":"alice@contoso.example"}`, true},
		{"app roles only", `{"roles":["Data.Read"],"idtyp":"app"}`, false},
		{"nothing", `{}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse(jwt(tc.payload))
			if err != nil {
				t.Fatal(err)
			}
			if c.IsUser() != tc.user {
				t.Errorf("IsUser = %v, want %v", c.IsUser(), tc.user)
			}
		})
	}
}
