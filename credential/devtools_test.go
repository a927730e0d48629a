package credential

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// userToken asks the emulator's Cloud Shell endpoint for the signed-in
// user's token: a real delegated token (idtyp=user, scp, upn).
func userToken(t *testing.T, srv *entratest.Server) (string, int64) {
	t.Helper()
	env, err := srv.ManagedIdentityEnv(entratest.CloudShell)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, env["MSI_ENDPOINT"], strings.NewReader(url.Values{"resource": {"https://management.azure.com"}}.Encode()))
	req.Header.Set("Metadata", "true")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresOn   string `json:"expires_on"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("Cloud Shell token: %v (HTTP %d)", err, res.StatusCode)
	}
	return body.AccessToken, time.Now().Add(time.Hour).Unix()
}

// installAz puts an `az` on PATH that prints tok the way
// `az account get-access-token -o json` does, so azidentity's real
// AzureCLICredential runs it.
func installAz(t *testing.T, tok string, expires int64) {
	t.Helper()
	dir := t.TempDir()
	script := fmt.Sprintf("#!/bin/sh\ncat <<'EOF'\n{\"accessToken\": %q, \"expires_on\": %d, \"tokenType\": \"Bearer\"}\nEOF\n", tok, expires)
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// TestDeveloperTools checks the opt-in for Azure CLI: refused by default,
// allowed for a local run, and on a CI runner allowed only for app tokens.
func TestDeveloperTools(t *testing.T) {
	srv := entratest.Start(t, nil)
	tok, exp := userToken(t, srv)
	installAz(t, tok, exp)
	tests := []struct {
		name    string
		env     map[string]string
		process map[string]string // set in the process environment
		allow   bool
		newErr  autherrors.Code
		tokErr  autherrors.Code
	}{
		{name: "refused by default", env: map[string]string{"AZURE_TOKEN_CREDENTIALS": "AzureCLICredential"}, newErr: autherrors.ErrDeveloperCredentialRefused},
		{name: "opted in locally", env: map[string]string{"AZURE_TOKEN_CREDENTIALS": "AzureCLICredential"}, allow: true},
		{name: "opted in on GitHub Actions", env: map[string]string{"AZURE_TOKEN_CREDENTIALS": "AzureCLICredential", "GITHUB_ACTIONS": "true"}, allow: true, tokErr: autherrors.ErrUserIdentityRefused},
		{name: "opted in on a CI runner", env: map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev", "CI": "true"}, allow: true, tokErr: autherrors.ErrUserIdentityRefused},
		{name: "opted in on Jenkins", env: map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev", "JENKINS_URL": "https://jenkins.example/"}, allow: true, tokErr: autherrors.ErrUserIdentityRefused},
		{name: "opted in on TeamCity", env: map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev", "TEAMCITY_VERSION": "2024.12"}, allow: true, tokErr: autherrors.ErrUserIdentityRefused},
		{name: "opted in on GitLab with CI=false", env: map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev", "CI": "false", "GITLAB_CI": "true"}, allow: true, tokErr: autherrors.ErrUserIdentityRefused},
		{name: "empty Options.Env on a CI process", env: map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev"}, process: map[string]string{"CI": "true"}, allow: true, tokErr: autherrors.ErrUserIdentityRefused},
	}
	// The process itself may run on CI: clear every variable that says so,
	// so that "opted in locally" is local; cases set their own.
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if detect.CI(detect.MapEnv{k: v}) != "" {
			t.Setenv(k, "")
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.process {
				t.Setenv(k, v)
			}
			c, err := New(&Options{Env: detect.MapEnv(tt.env), AllowDeveloperTools: tt.allow})
			if tt.newErr != "" {
				if !errors.Is(err, tt.newErr) {
					t.Fatalf("New = %v, want %s", err, tt.newErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer c.Close()
			if k := c.Selection().Kind; k != detect.DeveloperTool {
				t.Fatalf("kind = %s, want developer-tool", k)
			}
			got, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}})
			switch {
			case tt.tokErr != "" && !errors.Is(err, tt.tokErr):
				t.Fatalf("GetToken = %v, want %s", err, tt.tokErr)
			case tt.tokErr == "" && (err != nil || got.Token != tok):
				t.Fatalf("GetToken = %v; want the CLI's token", err)
			}
		})
	}
}

// TestDeveloperToolsClaimsChallenge: a claims challenge on the developer
// tools' user token fails at once with mfa-required and the automation
// remedy; the tool is not asked to step up.
func TestDeveloperToolsClaimsChallenge(t *testing.T) {
	srv := entratest.Start(t, nil)
	tok, exp := userToken(t, srv)
	installAz(t, tok, exp)
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if detect.CI(detect.MapEnv{k: v}) != "" {
			t.Setenv(k, "")
		}
	}
	c, err := New(&Options{Env: detect.MapEnv{"AZURE_TOKEN_CREDENTIALS": "AzureCLICredential"}, AllowDeveloperTools: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	claims := `{"access_token":{"acrs":{"essential":true,"value":"p1"}}}`
	_, err = c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}, Claims: claims})
	// Refused before the tool is asked: azidentity's own answer (its
	// text names the claims challenge) would classify the same, so the
	// summary says who refused.
	var d *autherrors.Diagnostic
	if !errors.As(err, &d) || d.Code != autherrors.ErrMFARequired || !strings.Contains(d.Summary, "autoidentity never does") ||
		!strings.Contains(d.Remedy, "workload identity") || d.Unwrap() != nil {
		t.Fatalf("GetToken with claims = %v, want mfa-required refused before the tool, with the automation remedy", err)

	}
	if _, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != nil {
		t.Fatalf("GetToken without claims after the challenge: %v", err)
	}
}
