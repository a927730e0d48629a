package entratest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
)

func TestOptionsValidation(t *testing.T) {
	t.Parallel()
	for _, o := range []entratest.Options{
		{Addr: "0.0.0.0:0"},
		{TLSAddr: "10.0.0.1:443"},
		{Addr: "localhost"},
		{IMDSAddr: "0.0.0.0:80"},
		{IMDSAddr: "169.254.169.253:80"},
		{IMDSAddr: "169.254.169.254"}, // refused before listening: no port
		{TokenLifetime: -time.Second},
	} {
		if srv, err := entratest.NewServer(&o); err == nil {
			srv.Close()
			t.Errorf("NewServer(%+v) accepted", o)
		}
	}
}

func postToken(t *testing.T, srv *entratest.Server, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := srv.Client().PostForm(tokenURL(srv), form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return resp.StatusCode, m
}

func TestTokenResponseShapeAndLifetime(t *testing.T) {
	t.Parallel()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {entratest.DefaultClientID},
		"client_secret": {entratest.DefaultClientSecret}, "scope": {armScope}}
	for _, tc := range []struct {
		name                 string
		opts                 entratest.Options
		expiresIn, refreshIn float64
	}{
		{"default", entratest.Options{}, 3600, 0},
		{"long lived gets refresh_in", entratest.Options{TokenLifetime: 24 * time.Hour}, 86400, 43200},
		{"configured", entratest.Options{TokenLifetime: 10 * time.Minute, RefreshIn: 2 * time.Minute}, 600, 120},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := entratest.Start(t, &tc.opts)
			status, m := postToken(t, srv, form)
			if status != 200 || m["token_type"] != "Bearer" || m["access_token"] == nil || m["ext_expires_in"] == nil {
				t.Fatalf("%d %v", status, m)
			}
			if in := m["expires_in"].(float64); in < tc.expiresIn-2 || in > tc.expiresIn {
				t.Errorf("expires_in %v, want %v", in, tc.expiresIn)
			}
			if ri, _ := m["refresh_in"].(float64); ri != tc.refreshIn {
				t.Errorf("refresh_in %v, want %v", ri, tc.refreshIn)
			}
		})
	}
}

// TestShortLifetimeForcesNewRequests: MSAL treats a token within five
// minutes of expiry as expired, so a two-minute lifetime makes every
// GetToken a token request (the way to test refresh paths quickly).
func TestShortLifetimeForcesNewRequests(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, &entratest.Options{TokenLifetime: 2 * time.Minute})
	cred := secretCred(t, srv, entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret)
	for i := 0; i < 3; i++ {
		if _, err := getToken(t, cred, armScope); err != nil {
			t.Fatal(err)
		}
	}
	if n := tokenRequests(srv); n != 3 {
		t.Errorf("%d token requests, want 3", n)
	}
	long := entratest.Start(t, nil)
	cred = secretCred(t, long, entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret)
	for i := 0; i < 3; i++ {
		if _, err := getToken(t, cred, armScope); err != nil {
			t.Fatal(err)
		}
	}
	if n := tokenRequests(long); n != 1 {
		t.Errorf("%d token requests with a cached token, want 1", n)
	}
}

func TestDiscoveryDocuments(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	get := func(path string) (int, string) {
		resp, err := srv.Client().Get(srv.AuthorityHost() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get(entratest.DefaultTenantID + "/v2.0/.well-known/openid-configuration")
	if code != 200 || !strings.Contains(body, `"token_endpoint":"`+tokenURL(srv)+`"`) ||
		!strings.Contains(body, `"issuer":"`+srv.AuthorityHost()+entratest.DefaultTenantID+`/v2.0"`) {
		t.Errorf("openid-configuration %d %s", code, body)
	}
	if code, body = get("7e570000-0000-4000-8000-0000000000ee/v2.0/.well-known/openid-configuration"); code != 400 || !strings.Contains(body, "AADSTS90002") {
		t.Errorf("unknown tenant %d %s", code, body)
	}
	if code, body = get("common/discovery/instance?api-version=1.1&authorization_endpoint=" + url.QueryEscape(srv.AuthorityHost()+"x/oauth2/v2.0/authorize")); code != 200 || !strings.Contains(body, "tenant_discovery_endpoint") {
		t.Errorf("instance discovery %d %s", code, body)
	}
	if code, body = get("common/UserRealm/" + url.PathEscape(entratest.MFAUsername) + "?api-version=1.0"); code != 200 || !strings.Contains(body, `"account_type":"Managed"`) {
		t.Errorf("user realm %d %s", code, body)
	}
	if code, body = get(entratest.DefaultTenantID + "/discovery/v2.0/keys"); code != 200 || !strings.Contains(body, `"kty":"RSA"`) {
		t.Errorf("keys %d %s", code, body)
	}
	if code, body = get("issuers/github/jwks"); code != 200 || !strings.Contains(body, `"kty":"RSA"`) {
		t.Errorf("issuer JWKS %d %s", code, body)
	}
}

// TestIMDSListener: Options.IMDSAddr serves IMDS, and only IMDS, to any
// client at that address (169.254.169.254:80 in a namespace; loopback here).
func TestIMDSListener(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, &entratest.Options{IMDSAddr: "127.0.0.1:0"})
	base := entratest.IMDSURL(srv)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("IMDS URL %q", base)
	}
	client := &http.Client{Transport: entratest.GuardTransport(t, nil)}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F", http.StatusOK},
		{"/requests", http.StatusNotFound},
		{"/msi/token", http.StatusNotFound},
	} {
		req, _ := http.NewRequest(http.MethodGet, base+tc.path, nil)
		req.Header.Set("Metadata", "true")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, resp.StatusCode, tc.status)
		}
	}
	if n := srv.EndpointRequests(entratest.IMDS); n != 1 {
		t.Errorf("%d IMDS requests logged, want 1", n)
	}
}
