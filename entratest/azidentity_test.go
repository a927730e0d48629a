package entratest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/autoidentity/autoidentity/entratest"
)

const armScope = "https://management.azure.com/.default"

func getToken(t *testing.T, cred azcore.TokenCredential, scope string) (azcore.AccessToken, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
}

// claims decodes a JWT's payload without verifying it.
func claims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token is not a JWT: %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// wantAADSTS asserts err is an azidentity AuthenticationFailedError carrying
// the AADSTS code.
func wantAADSTS(t *testing.T, err error, code int) {
	t.Helper()
	if err == nil {
		t.Fatalf("got a token, want AADSTS%d", code)
	}
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) {
		t.Fatalf("error is %T, want *azidentity.AuthenticationFailedError: %v", err, err)
	}
	if !strings.Contains(err.Error(), "AADSTS"+itoa(code)+":") {
		t.Fatalf("error does not carry AADSTS%d:\n%v", code, err)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func secretCred(t *testing.T, srv *entratest.Server, tenant, client, secret string) *azidentity.ClientSecretCredential {
	t.Helper()
	cred, err := azidentity.NewClientSecretCredential(tenant, client, secret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

func TestClientSecretCredential(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	for _, tc := range []struct {
		name, tenant, client, secret, scope string
		code                                int
	}{
		{"ok", entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret, armScope, 0},
		{"domain tenant", entratest.DefaultTenantDomain, entratest.DefaultClientID, entratest.DefaultClientSecret, armScope, 0},
		{"unknown tenant", "7e570000-0000-4000-8000-0000000000ee", entratest.DefaultClientID, entratest.DefaultClientSecret, armScope, entratest.CodeTenantNotFound},
		{"unknown app", entratest.DefaultTenantID, "7e570000-0000-4000-8000-0000000000ef", entratest.DefaultClientSecret, armScope, entratest.CodeAppNotFound},
		{"wrong secret", entratest.DefaultTenantID, entratest.DefaultClientID, "not-the-secret", armScope, entratest.CodeInvalidClientSecret},
		{"expired secret", entratest.DefaultTenantID, entratest.DefaultClientID, entratest.ExpiredClientSecret, armScope, entratest.CodeClientSecretExpired},
		{"unknown resource", entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret, "https://nowhere.example/.default", entratest.CodeResourceNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tok, err := getToken(t, secretCred(t, srv, tc.tenant, tc.client, tc.secret), tc.scope)
			if tc.code != 0 {
				wantAADSTS(t, err, tc.code)
				if strings.Contains(err.Error(), entratest.DefaultClientSecret) {
					t.Error("error text contains the client secret")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := claims(t, tok.Token)
			if c["aud"] != "https://management.azure.com" || c["tid"] != entratest.DefaultTenantID ||
				c["appid"] != entratest.DefaultClientID || c["idtyp"] != "app" || c["oid"] != entratest.DefaultObjectID {
				t.Errorf("unexpected claims %v", c)
			}
			if d := time.Until(tok.ExpiresOn); d < 50*time.Minute || d > 61*time.Minute {
				t.Errorf("ExpiresOn in %v, want about an hour", d)
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
