package entratest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/autoidentity/autoidentity/entratest"
)

func TestWorkloadIdentityCredentialRotation(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	env, err := srv.WorkloadIdentityEnv()
	if err != nil {
		t.Fatal(err)
	}
	cred, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
		ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true,
		TenantID: env["AZURE_TENANT_ID"], ClientID: env["AZURE_CLIENT_ID"], TokenFilePath: env["AZURE_FEDERATED_TOKEN_FILE"],
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := getToken(t, cred, armScope); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(env["AZURE_FEDERATED_TOKEN_FILE"])
	if err := srv.WriteServiceAccountToken("", time.Hour); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(env["AZURE_FEDERATED_TOKEN_FILE"])
	if string(first) == string(second) {
		t.Fatal("rotation did not change the token file")
	}
	if c := claims(t, string(second)); c["iss"] != string(entratest.AKSIssuer) || c["sub"] != entratest.DefaultAKSSubject || c["aud"] != entratest.FederatedAudience {
		t.Errorf("service account token claims %v", c)
	}
	if got := srv.Count(func(r entratest.Request) bool { return r.Identity == entratest.DefaultAKSSubject && r.Status == 200 }); got != 1 {
		t.Errorf("%d successful federated exchanges logged for the AKS subject, want 1", got)
	}
}

func TestAzurePipelinesCredential(t *testing.T) {
	srv := entratest.Start(t, nil)
	env := srv.AzurePipelinesEnv()
	t.Setenv("SYSTEM_OIDCREQUESTURI", env["SYSTEM_OIDCREQUESTURI"])
	for _, tc := range []struct {
		name, connection, token string
		wantErr                 string
	}{
		{"ok", entratest.DefaultServiceConnectionID, entratest.SystemAccessToken, ""},
		{"wrong service connection", "7e570000-0000-4000-8000-0000000000c1", entratest.SystemAccessToken, "404"},
		{"wrong system access token", entratest.DefaultServiceConnectionID, "nope", "401"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cred, err := azidentity.NewAzurePipelinesCredential(entratest.DefaultTenantID, entratest.DefaultClientID, tc.connection, tc.token,
				&azidentity.AzurePipelinesCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
			if err != nil {
				t.Fatal(err)
			}
			_, err = getToken(t, cred, armScope)
			if tc.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tc.wantErr != "" && (err == nil || !contains(err.Error(), tc.wantErr)) {
				t.Fatalf("want %s, got %v", tc.wantErr, err)
			}
			if err != nil && contains(err.Error(), entratest.SystemAccessToken) {
				t.Error("error text contains SYSTEM_ACCESSTOKEN")
			}
		})
	}
}

func TestGitHubOIDCEndpoint(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	env := srv.GitHubActionsEnv()
	fetch := func(bearer, audience string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, env["ACTIONS_ID_TOKEN_REQUEST_URL"]+"&audience="+url.QueryEscape(audience), nil)
		req.Header.Set("Authorization", "Bearer "+bearer)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v struct{ Value string }
		b, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(b, &v)
		return resp.StatusCode, v.Value
	}
	if code, _ := fetch("wrong", entratest.FederatedAudience); code != http.StatusUnauthorized {
		t.Errorf("wrong bearer: %d", code)
	}
	code, tok := fetch(env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], entratest.FederatedAudience)
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	c := claims(t, tok)
	if c["iss"] != string(entratest.GitHubIssuer) || c["sub"] != entratest.DefaultGitHubSubject || c["aud"] != entratest.FederatedAudience {
		t.Fatalf("claims %v", c)
	}
	// The token is exchangeable at Entra, as on a real runner.
	cred := assertionCred(t, srv, entratest.DefaultClientID, func() (string, error) { return tok, nil })
	if _, err := getToken(t, cred, armScope); err != nil {
		t.Fatal(err)
	}
	// A subject change (e.g. a different branch) breaks the federation.
	srv.SetSubject(entratest.GitHubIssuer, "repo:autoidentity/demo:ref:refs/heads/feature")
	_, tok = fetch(env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], entratest.FederatedAudience)
	cred = assertionCred(t, srv, entratest.DefaultClientID, func() (string, error) { return tok, nil })
	_, err := getToken(t, cred, armScope)
	wantAADSTS(t, err, entratest.CodeFederationSubjectMismatch)
}
