package entratest_test

import (
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/autoidentity/autoidentity/entratest"
)

// TestRequestLogHasNoSecrets: the log (in Go and over the admin API) says
// what crossed the wire and never a secret.
func TestRequestLogHasNoSecrets(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	if _, err := getToken(t, secretCred(t, srv, entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret), armScope); err != nil {
		t.Fatal(err)
	}
	if _, err := getToken(t, secretCred(t, srv, entratest.DefaultTenantID, entratest.DefaultClientID, "wrong-secret-canary"), armScope); err == nil {
		t.Fatal("wrong secret accepted")
	}
	resp, err := srv.Client().Get(srv.AdminURL() + "/requests")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, secret := range []string{entratest.DefaultClientSecret, "wrong-secret-canary"} {
		if strings.Contains(string(b), secret) {
			t.Fatalf("request log contains a secret: %s", b)
		}
	}
	var reqs []entratest.Request
	if err := json.Unmarshal(b, &reqs); err != nil {
		t.Fatal(err)
	}
	var grants []entratest.Request
	for _, r := range reqs {
		if r.Endpoint == entratest.TokenEndpoint {
			grants = append(grants, r)
		}
	}
	if len(grants) != 2 || grants[0].GrantType != "client_credentials" || grants[0].ClientID != entratest.DefaultClientID ||
		grants[0].Status != 200 || grants[1].Status != 401 || grants[1].Code != entratest.CodeInvalidClientSecret {
		t.Fatalf("token requests logged: %+v", grants)
	}
	if tokenRequests(srv) != 2 || passwordGrants(srv) != 0 {
		t.Errorf("token requests %d, password grants %d", tokenRequests(srv), passwordGrants(srv))
	}
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := entratest.Start(t, &entratest.Options{Dir: dir})
	for _, sc := range entratest.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			env, err := srv.Scenario(sc.Name)
			if err != nil {
				t.Fatal(err)
			}
			if env["SSL_CERT_FILE"] != srv.CAFile() {
				t.Errorf("SSL_CERT_FILE %q", env["SSL_CERT_FILE"])
			}
			for _, k := range []string{"AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE"} {
				if p, ok := env[k]; ok {
					if !strings.HasPrefix(p, dir) {
						t.Errorf("%s=%s is not in Options.Dir", k, p)
					}
					if _, err := os.Stat(p); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	if _, err := srv.Scenario("nope"); err == nil {
		t.Error("unknown scenario accepted")
	}
}
