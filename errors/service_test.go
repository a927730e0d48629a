package autherrors_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// F3 and F4 (RELIABILITY.md): failures the service or the path to it
// caused get a code, not unknown. Each case is azidentity's real error
// against a loopback token endpoint that answers as a failing Entra ID or a
// proxy in front of it would.
func TestClassifyServiceFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		ctype  string
		body   string
		want   autherrors.Code
	}{
		{"503 after retries", 503, "application/json", `{"error":"temporarily_unavailable","error_description":"try later"}`, autherrors.ErrServiceUnavailable},
		{"500 with an empty body", 500, "text/plain", "", autherrors.ErrServiceUnavailable},
		{"502 from a gateway", 502, "text/html", "<html><body>502 Bad Gateway</body></html>", autherrors.ErrServiceUnavailable},
		{"captive portal page", 200, "text/html", "<html><body>Sign in to the guest network</body></html>", autherrors.ErrServiceUnavailable},
		{"truncated token JSON", 200, "application/json", `{"token_type":"Bearer","expires_in":3600,"access_token":"eyJ`, autherrors.ErrServiceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cred := tokenEndpoint(t, tc.status, tc.ctype, tc.body)
			_, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
			if err == nil {
				t.Fatal("GetToken succeeded")
			}
			d := autherrors.Classify(err)
			if d.Code != tc.want {
				t.Fatalf("Classify = %s (%s); want %s\ncause: %v", d.Code, d.Summary, tc.want, err)
			}
			if !strings.Contains(d.Remedy, "Retry later") || !strings.Contains(d.Remedy, "HTTPS_PROXY") {
				t.Errorf("remedy = %q", d.Remedy)
			}
			if strings.Contains(d.Error(), "eyJ") || strings.Contains(d.Error(), canarySecret) {
				t.Errorf("the diagnostic repeats the body: %s", d)
			}
		})
	}
}

func TestClassifyTransport(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want autherrors.Code
	}{
		{"reset on every try, connection closed", errors.New("ClientSecretCredential: server response error:\n Post \"https://login.microsoftonline.com/t/oauth2/v2.0/token\": use of closed network connection. To troubleshoot, visit https://aka.ms/azsdk/go/identity/troubleshoot#client-secret"), autherrors.ErrNetwork},
		{"bare MSAL server response error", errors.New("WorkloadIdentityCredential: server response error:\n "), autherrors.ErrNetwork},
		{"MSAL server response error at the deadline", errors.New("ClientSecretCredential: server response error:\n Post \"https://login.microsoftonline.com/t/oauth2/v2.0/token\": context deadline exceeded"), autherrors.ErrTimeout},
		{"federated token that is not a JWT", errors.New("WorkloadIdentityCredential authentication failed. AADSTS50027: JWT token is invalid or malformed. Trace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333"), autherrors.ErrInvalidConfiguration},
		{"a 404 from IMDS is not a service failure", errors.New("ManagedIdentityCredential authentication failed.(status code 404). More details: IMDS: Failed to retrieve IMDS token after 3 retries."), autherrors.ErrManagedIdentityUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := autherrors.Classify(tc.err)
			if d.Code != tc.want {
				t.Fatalf("Classify = %s (%s); want %s", d.Code, d.Summary, tc.want)
			}
			if !errors.Is(d, tc.err) {
				t.Error("the cause is not reachable")
			}
		})
	}
}

// tokenEndpoint starts a loopback TLS server that speaks Entra's OIDC
// discovery and answers token requests with status, content type and body,
// and returns a ClientSecretCredential aimed at it that retries once.
func tokenEndpoint(t *testing.T, status int, ctype, body string) *azidentity.ClientSecretCredential {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/openid-configuration") {
			w.Header().Set("Content-Type", "application/json")
			base := srv.URL + "/" + tenantID
			fmt.Fprintf(w, `{"token_endpoint":%q,"authorization_endpoint":%q,"issuer":%q,"tenant_region_scope":"NA"}`,
				base+"/oauth2/v2.0/token", base+"/oauth2/v2.0/authorize", "https://login.microsoftonline.com/"+tenantID+"/v2.0")
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	cred, err := azidentity.NewClientSecretCredential(tenantID, clientID, canarySecret, &azidentity.ClientSecretCredentialOptions{
		DisableInstanceDiscovery: true,
		ClientOptions: policy.ClientOptions{
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: srv.URL + "/"},
			Transport: srv.Client(),
			Retry:     policy.RetryOptions{MaxRetries: 1, RetryDelay: time.Millisecond, MaxRetryDelay: time.Millisecond},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}
