package autherrors_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

const (
	tenantID     = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	clientID     = "00001111-aaaa-2222-bbbb-3333cccc4444"
	canarySecret = "canary-Zq8~client-secret-value-do-not-print"
	traceID      = "0000aaaa-11bb-cccc-dd33-eeeeee333333"
)

// entraError starts a loopback TLS server that speaks Entra's OIDC
// discovery and answers every token request with status and an Entra-shaped
// error body, and returns an azidentity ClientSecretCredential aimed at it.
func entraError(t *testing.T, status int, code int, description string) *azidentity.ClientSecretCredential {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/openid-configuration") {
			base := srv.URL + "/" + tenantID
			fmt.Fprintf(w, `{"token_endpoint":%q,"authorization_endpoint":%q,"issuer":%q,"tenant_region_scope":"NA"}`,
				base+"/oauth2/v2.0/token", base+"/oauth2/v2.0/authorize", "https://login.microsoftonline.com/"+tenantID+"/v2.0")
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("client_secret") != canarySecret {
			t.Errorf("token request without the expected client_secret")
		}
		w.WriteHeader(status)
		desc := fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd Timestamp: 2024-05-01 10:00:00Z", code, description, traceID)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"error": "invalid_client", "error_description": desc, "error_codes": []int{code},
			"trace_id": traceID, "correlation_id": "aaaa0000-bb11-2222-33cc-444444dddddd",
		})
	}))
	t.Cleanup(srv.Close)
	cred, err := azidentity.NewClientSecretCredential(tenantID, clientID, canarySecret, &azidentity.ClientSecretCredentialOptions{
		DisableInstanceDiscovery: true,
		ClientOptions: policy.ClientOptions{
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: srv.URL + "/"},
			Transport: srv.Client(),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

func TestClassifyAzidentity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		code   int
		desc   string
		want   autherrors.Code
	}{
		{"wrong secret", 401, 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + clientID + "'.", autherrors.ErrInvalidClientSecret},
		{"expired secret", 401, 7000222, "The provided client secret keys for app '" + clientID + "' are expired.", autherrors.ErrClientSecretExpired},
		{"mfa", 400, 50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'x'.", autherrors.ErrMFARequired},
		{"device", 400, 50097, "Device authentication is required.", autherrors.ErrDeviceComplianceRequired},
		{"app not found", 400, 700016, "Application with identifier '" + clientID + "' was not found in the directory 'Contoso'.", autherrors.ErrApplicationNotFound},
		{"echoed secret is masked", 401, 7000215, "Invalid client secret provided: client_secret=" + canarySecret + " eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", autherrors.ErrInvalidClientSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cred := entraError(t, tc.status, tc.code, tc.desc)
			_, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
			if err == nil {
				t.Fatal("GetToken succeeded against an error response")
			}
			d := autherrors.Classify(err)
			if d.Code != tc.want {
				t.Fatalf("Classify = %s, want %s; cause:\n%v", d.Code, tc.want, err)
			}
			if want := fmt.Sprintf("AADSTS%d", tc.code); d.AADSTS != want {
				t.Errorf("AADSTS = %q, want %q", d.AADSTS, want)
			}
			// The kind is the caller's to name (Environment.Kind); Classify
			// does not guess it from azidentity's type name.
			if d.StatusCode != tc.status || d.TraceID != traceID || d.Kind != "" {
				t.Errorf("status %d trace %q kind %q", d.StatusCode, d.TraceID, d.Kind)
			}
			var afe *azidentity.AuthenticationFailedError
			if !errors.As(d, &afe) || afe.RawResponse == nil || afe.RawResponse.StatusCode != tc.status {
				t.Error("errors.As(d, *azidentity.AuthenticationFailedError) lost the cause")
			}
			if !errors.Is(d, tc.want) || errors.Is(d, autherrors.ErrUnknown) {
				t.Error("errors.Is by code is wrong")
			}
			wrapped := fmt.Errorf("calling ARM: %w", d)
			if !errors.Is(wrapped, tc.want) {
				t.Error("errors.Is through a wrap failed")
			}
			js, _ := json.Marshal(d)
			for _, out := range []string{d.Error(), string(js), fmt.Sprintf("%+v", d), fmt.Sprintf("%#v", d), fmt.Sprint(wrapped)} {
				if strings.Contains(out, canarySecret) || strings.Contains(out, "eyJhbGci") {
					t.Errorf("secret leaked: %s", out)
				}
			}
		})
	}
}

func TestClassifyGoErrors(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		err  error
		want autherrors.Code
	}{
		{"nil", nil, ""},
		{"deadline", fmt.Errorf("get token: %w", context.DeadlineExceeded), autherrors.ErrTimeout},
		{"canceled", ctx.Err(), autherrors.ErrTimeout},
		{"dns", &url.Error{Op: "Post", URL: "https://login.microsoftonline.com/x", Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: "login.microsoftonline.com", IsNotFound: true}}}, autherrors.ErrNetwork}, // a constructed error value; nothing is dialled
		{"imds unreachable", &url.Error{Op: "Get", URL: "http://169.254.169.254/metadata/identity/oauth2/token", Err: &net.OpError{Op: "dial", Net: "tcp",
			Addr: &net.TCPAddr{IP: net.IPv4(169, 254, 169, 254), Port: 80}, Err: errors.New("connect: network is unreachable")}}, autherrors.ErrManagedIdentityUnavailable},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}, Err: errors.New("connect: connection refused")}, autherrors.ErrNetwork},
		{"existing diagnostic", fmt.Errorf("x: %w", autherrors.New(autherrors.ErrNoIdentity, "", "", nil)), autherrors.ErrNoIdentity},
		{"plain", errors.New("something odd"), autherrors.ErrUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := autherrors.Classify(tc.err)
			if tc.err == nil {
				if d != nil {
					t.Fatal("Classify(nil) != nil")
				}
				return
			}
			if d.Code != tc.want {
				t.Fatalf("Classify = %s (%s), want %s", d.Code, d.Summary, tc.want)
			}
			if !errors.Is(d, tc.err) && !errors.Is(tc.err, d) {
				t.Error("cause not reachable")
			}
		})
	}
}
