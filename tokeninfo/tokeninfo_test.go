package tokeninfo_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/tokeninfo"
)

var b64 = base64.RawURLEncoding.EncodeToString

func jwt(payload string) string {
	return b64([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + b64([]byte(payload)) + "." + b64([]byte("signature"))
}

func TestParse(t *testing.T) {
	t.Parallel()
	v1 := jwt(`{"aud":"https://management.azure.com","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",` +
		`"iat":1767225600,"nbf":1767225600,"exp":1767229200,"appid":"9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b","idtyp":"app",` +
		`"oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47",` +
		`"roles":["Reader"],"xms_mirid":"/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id","ver":"1.0"}`)
	c, err := tokeninfo.Parse(" " + v1 + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.AppID != "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b" || c.IdentityType != "app" || c.TenantID != "72f988bf-86f1-41af-91ab-2d7cd011db47" ||
		len(c.Audience) != 1 || c.Audience[0] != "https://management.azure.com" || len(c.Roles) != 1 || c.Version != "1.0" ||
		!c.Expiry.Equal(time.Unix(1767229200, 0)) || !strings.HasSuffix(c.ManagedIdentityResourceID, "/id") {
		t.Errorf("claims = %+v", c)
	}
	// A copy: changing it changes nothing the next Parse sees.
	c.Audience[0] = "changed"
	if again, _ := tokeninfo.Parse(v1); again.Audience[0] != "https://management.azure.com" {
		t.Error("Parse shares the audience slice")
	}

	v2, err := tokeninfo.Parse(jwt(`{"aud":"api://x","azp":"00001111-aaaa-2222-bbbb-3333cccc4444","ver":"2.0"}`))
	if err != nil || v2.AppID != "00001111-aaaa-2222-bbbb-3333cccc4444" {
		t.Errorf("v2: AppID = %v (%v), want azp", v2, err)
	}
}

// Anything that is not a readable JWT is an error that repeats no part of
// the input.
func TestParseRefuses(t *testing.T) {
	t.Parallel()
	const canary = "CANARYsecretCANARY"
	for name, tok := range map[string]string{
		"opaque":              canary,
		"two parts":           b64([]byte(canary)) + "." + b64([]byte(canary)),
		"payload not JSON":    b64([]byte(`{"alg":"RS256"}`)) + "." + b64([]byte(canary)) + ".sig",
		"duplicate claim":     jwt(`{"aud":"a","AUD":"` + canary + `"}`),
		"claim of wrong type": jwt(`{"exp":"` + canary + `"}`),
		"empty":               "",
		"too large":           jwt(`{"x":"` + strings.Repeat(canary, 5000) + `"}`),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := tokeninfo.Parse(tok)
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", c)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "tokeninfo: ") || strings.Contains(msg, canary) || strings.Contains(msg, "Q0FOQVJZ") {
				t.Errorf("error = %q", msg)
			}
		})
	}
}
