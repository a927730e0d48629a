package claims

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc([]byte(payload)) + "." + enc([]byte("signature"))
}

func TestParse(t *testing.T) {
	t.Parallel()
	mi := `{"aud":"https://management.azure.com/","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","iat":1748779200,"nbf":1748779200,"exp":1748865900,` +
		`"appid":"9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b","idtyp":"app","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555",` +
		`"tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","xms_mirid":"/subscriptions/x/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"}`
	c, err := Parse(jwt(mi) + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer != "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/" || len(c.Audience) != 1 || c.Audience[0] != "https://management.azure.com/" ||
		!c.Expiry.Equal(time.Unix(1748865900, 0)) || !c.NotBefore.Equal(time.Unix(1748779200, 0)) || c.TenantID == "" || c.AppID == "" ||
		c.IdentityType != "app" || c.ManagedIdentityResourceID == "" || c.IsUser() {
		t.Errorf("claims = %+v", c)
	}
	if !c.Expired(time.Unix(1748865900, 0)) || c.Expired(time.Unix(1748865899, 0)) {
		t.Error("Expired")
	}

	cases := []struct {
		name, payload string
		user          bool
		aud           []string
	}{
		{"delegated v2", `{"aud":["api://x","api://y"],"scp":"User.Read","azp":"a","exp":1.7488659e9}`, true, []string{"api://x", "api://y"}},
		{"upn without idtyp", `{"upn":"alice@contoso.com","roles":["Reader"]}`, true, nil},
		{"unique_name", `{"unique_name":"live.com#alice@outlook.com"}`, true, nil},
		{"idtyp user", `{"idtyp":"user"}`, true, nil},
		{"app roles only", `{"roles":["Data.Read"],"aud":null}`, false, nil},
	}
	for _, tc := range cases {
		c, err := Parse(jwt(tc.payload))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if c.IsUser() != tc.user || strings.Join(c.Audience, ",") != strings.Join(tc.aud, ",") {
			t.Errorf("%s: %+v", tc.name, c)
		}
	}
}

func TestParseNotJWT(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-CANARY"
	cases := map[string]string{
		"empty":        "  \n",
		"one part":     secret,
		"two parts":    secret + "." + secret,
		"four parts":   "a.b.c.d",
		"JWE":          "a.b.c.d.e",
		"not base64":   "a." + secret + "!.c",
		"not JSON":     "a." + base64.RawURLEncoding.EncodeToString([]byte(secret)) + ".c",
		"JSON array":   jwt(`["` + secret + `"]`),
		"bad aud":      jwt(`{"aud":42}`),
		"bad exp":      jwt(`{"exp":"soon"}`),
		"negative exp": jwt(`{"exp":-1}`),
		"huge":         strings.Repeat("a", maxLen+1),
	}
	for name, in := range cases {
		_, err := Parse(in)
		if !errors.Is(err, ErrNotJWT) {
			t.Errorf("%s: err = %v", name, err)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: error quotes the input: %v", name, err)
		}
		if name == "JWE" && !strings.Contains(err.Error(), "encrypted") {
			t.Errorf("JWE: %v", err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	tok := jwt(`{"aud":"api://AzureADTokenExchange","iss":"https://token.actions.githubusercontent.com","sub":"repo:contoso/api:ref:refs/heads/main","exp":1748865900,"iat":1748779200,"nbf":1748779200}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(tok); err != nil {
			b.Fatal(err)
		}
	}
}
