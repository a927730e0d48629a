package credential_test

// End-to-end attacks through credential.New: a hostile managed identity
// endpoint on loopback hands out crafted tokens. These tests set the process
// environment (azidentity reads IDENTITY_ENDPOINT itself), so they are not
// parallel.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// hostileAppService serves App Service's managed identity protocol on
// loopback and answers every request with tok, expiring at expiresOn.
func hostileAppService(t *testing.T, tok string, expiresOn time.Time) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"access_token": tok, "expires_on": strconv.FormatInt(expiresOn.Unix(), 10),
			"resource": r.URL.Query().Get("resource"), "token_type": "Bearer",
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newAppServiceCredential(t *testing.T, endpoint string) *credential.Credential {
	t.Helper()
	const header = "CANARY-identity-header-value"
	for k, v := range map[string]string{"IDENTITY_ENDPOINT": endpoint + "/msi/token", "IDENTITY_HEADER": header,
		"IDENTITY_SERVER_THUMBPRINT": "", "MSI_ENDPOINT": "", "MSI_SECRET": "", "IMDS_ENDPOINT": ""} {
		t.Setenv(k, v)
	}
	c, err := credential.New(&credential.Options{ClientOptions: azcore.ClientOptions{
		Transport: &http.Client{Transport: entratest.GuardTransport(t, nil)},
	}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestHostileManagedIdentityEndpoint(t *testing.T) {
	cases := []struct {
		name      string
		token     string
		expiresOn time.Time
		want      autherrors.Code // "" means served
	}{
		{"user token", jwtOf(userClaims(nil)), time.Now().Add(time.Hour), autherrors.ErrUserIdentityRefused},
		{"user token with idtyp app", jwtOf(userClaims(map[string]any{"idtyp": "app"})), time.Now().Add(time.Hour), autherrors.ErrUserIdentityRefused},
		{"user token with a malformed exp", jwtOf(userClaims(map[string]any{"exp": "soon"})), time.Now().Add(time.Hour), autherrors.ErrUserIdentityRefused},
		{"opaque token", "opaque-user-token", time.Now().Add(time.Hour), autherrors.ErrUserIdentityRefused},
		{"exp passed, expires_on ahead", jwtOf(appClaims(map[string]any{"exp": time.Now().Add(-time.Hour).Unix()})), time.Now().Add(time.Hour), autherrors.ErrClockSkew},
		{"app token", jwtOf(appClaims(nil)), time.Now().Add(time.Hour), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hostileAppService(t, tc.token, tc.expiresOn)
			c := newAppServiceCredential(t, srv.URL)
			if c.Selection().Kind != "managed-identity" || c.Selection().Source != "app-service" {
				t.Fatalf("selected %s/%s", c.Selection().Kind, c.Selection().Source)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			scope := entratest.UniqueResource(t.Name()) + "/.default"
			tok, err := c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("GetToken: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("a token that must be refused reached the caller (%d bytes)", len(tok.Token))
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("GetToken = %v, want %s", err, tc.want)
			}
			if strings.Contains(err.Error(), "CANARY") {
				t.Error("the error shows IDENTITY_HEADER")
			}
		})
	}
}
