package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	"github.com/autoidentity/autoidentity/tokeninfo"
)

const testSubscriptionID = "7e570000-0000-4000-8000-0000000000ff"

// armServer is a loopback ARM-shaped endpoint: GET
// /subscriptions?api-version=2022-12-01 answers one page of subscriptions
// if the bearer token is a JWT for ARM from tenant, for an app, and
// unexpired; otherwise 401 InvalidAuthenticationToken, as ARM does. It does
// not check signatures. calls counts the requests it accepted.
func armServer(t *testing.T, tenant string, calls *atomic.Int32) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/subscriptions" || r.URL.Query().Get("api-version") != subscriptionsAPIVersion {
			http.Error(w, `{"error":{"code":"InvalidResourceType","message":"unexpected request"}}`, http.StatusBadRequest)
			return
		}
		if why := checkBearer(r.Header.Get("Authorization"), tenant); why != "" {
			w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="https://login.windows.net/", error="invalid_token"`)
			w.Header().Set("x-ms-failure-cause", "gateway")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": "InvalidAuthenticationToken", "message": why}})
			return
		}
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"value": []subscription{{
			ID: "/subscriptions/" + testSubscriptionID, SubscriptionID: testSubscriptionID,
			DisplayName: "entratest subscription", State: "Enabled", TenantID: tenant,
		}}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// checkBearer says what is wrong with an Authorization header, or "".
func checkBearer(h, tenant string) string {
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.Count(tok, ".") != 2 {
		return "the Authorization header is not a bearer JWT"
	}
	c, err := tokeninfo.Parse(tok)
	switch {
	case err != nil:
		return "the token's claims cannot be read"
	case len(c.Audience) != 1 || strings.TrimSuffix(c.Audience[0], "/") != "https://management.azure.com":
		return "the token's audience is not ARM"
	case c.TenantID != tenant:
		return "the token is from tenant " + c.TenantID + ", not " + tenant
	case c.IdentityType != "app":
		return "the token is not an app's"
	case !time.Now().Before(c.Expiry):
		return "the token has expired"
	}
	return ""
}

func TestSDKClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, scenario, armTenant string
		code                      int
		wantOut, wantErr          []string
		armCalls                  int32
	}{
		{name: "secret", scenario: "service-principal-secret", armTenant: entratest.DefaultTenantID, armCalls: 1,
			wantOut: []string{"credential  autoidentity credential: service-principal-secret", ": 1 subscription(s)\n",
				"  " + testSubscriptionID + "  Enabled   entratest subscription\n"}},
		{name: "github", scenario: "github-actions-oidc", armTenant: entratest.DefaultTenantID, armCalls: 1,
			wantOut: []string{"autoidentity credential: github-actions-oidc", ": 1 subscription(s)\n"}},
		{name: "ARM refuses the tenant", scenario: "service-principal-secret", armTenant: "7e570000-0000-4000-8000-0000000000aa", code: 1,
			wantErr: []string{"sdkclient: Azure Resource Manager answered HTTP 401 InvalidAuthenticationToken Unauthorized"}},
		{name: "expired secret", scenario: "expired-secret", armTenant: entratest.DefaultTenantID, code: 1,
			wantErr: []string{"autoidentity: client-secret-expired: ", "AADSTS7000222"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := entratest.Start(t, nil)
			var calls atomic.Int32
			arm := armServer(t, tt.armTenant, &calls)
			env, err := srv.Scenario(tt.scenario)
			if err != nil {
				t.Fatal(err)
			}
			opts := &credential.Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()}
			armClient := &http.Client{Transport: entratest.GuardTransport(t, arm.Client().Transport)}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"--endpoint", arm.URL}, opts, armClient, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("run = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			if got := calls.Load(); got != tt.armCalls {
				t.Errorf("ARM accepted %d requests, want %d", got, tt.armCalls)
			}
			all := stdout.String() + stderr.String()
			for _, c := range []string{entratest.DefaultClientSecret, entratest.ExpiredClientSecret, entratest.ActionsRequestToken, "eyJ"} {
				if strings.Contains(all, c) {
					t.Errorf("output contains %q", c)
				}
			}
		})
	}
}

// An http:// endpoint is refused by azcore's bearer token policy before the
// token leaves the process.
func TestSDKClientRefusesPlainHTTP(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	var hits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer plain.Close()
	env, err := srv.Scenario("service-principal-secret")
	if err != nil {
		t.Fatal(err)
	}
	opts := &credential.Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()}
	var stdout, stderr bytes.Buffer
	client := &http.Client{Transport: entratest.GuardTransport(t, plain.Client().Transport)}
	if code := run(context.Background(), []string{"--endpoint", plain.URL}, opts, client, &stdout, &stderr); code != 1 {
		t.Fatalf("run = %d, want 1", code)
	}
	if hits.Load() != 0 {
		t.Errorf("the plain HTTP server received %d requests, want 0", hits.Load())
	}
	if !strings.Contains(stderr.String(), "TLS") {
		t.Errorf("stderr does not explain the refusal: %s", stderr.String())
	}
}
