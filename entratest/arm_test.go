//lint:file-ignore SA1019 ROPC (UsernamePasswordCredential) is deprecated; the emulator must still answer it exactly like Entra and ARM.

package entratest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	armruntime "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/autoidentity/autoidentity/entratest"
)

const testSubscription = "7e570000-0000-4000-8000-0000000000ff"

func rgURL(srv *entratest.Server, name string) string {
	return srv.ARMEndpoint() + "/subscriptions/" + testSubscription + "/resourcegroups/" + name + "?api-version=2021-04-01"
}

// armPipeline is an azcore pipeline authorizing with cred through
// runtime.NewBearerTokenPolicy, as every Azure SDK client's is.
func armPipeline(srv *entratest.Server, cred azcore.TokenCredential) runtime.Pipeline {
	opts := policy.ClientOptions(srv.ClientOptions())
	return runtime.NewPipeline("entratest", "v0.0.0", runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{armScope}, nil)},
	}, &opts)
}

// armDo sends method to url through pl with an optional JSON body.
func armDo(t *testing.T, pl runtime.Pipeline, method, u, body string) (*http.Response, map[string]any, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := runtime.NewRequest(ctx, method, u)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		if err := req.SetBody(streaming.NopCloser(strings.NewReader(body)), "application/json"); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := pl.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	m := map[string]any{}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%d %s: %v", resp.StatusCode, b, err)
	}
	return resp, m, nil
}

// rawARM sends a request with the given bearer token ("" for none).
func rawARM(t *testing.T, srv *entratest.Server, method, u, token, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	m := map[string]any{}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return resp, m
}

func armErrorCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestARMResourceGroupsWithAppToken(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	pl := armPipeline(srv, secretCred(t, srv, entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret))

	resp, rg, err := armDo(t, pl, http.MethodPut, rgURL(srv, "Demo-RG"), `{"location":"East US","tags":{"env":"test"}}`)
	if err != nil {
		t.Fatal(err)
	}
	wantID := "/subscriptions/" + testSubscription + "/resourceGroups/Demo-RG"
	props, _ := rg["properties"].(map[string]any)
	if resp.StatusCode != http.StatusCreated || rg["id"] != wantID || rg["name"] != "Demo-RG" || rg["type"] != "Microsoft.Resources/resourceGroups" ||
		rg["location"] != "eastus" || props["provisioningState"] != "Succeeded" {
		t.Fatalf("PUT: %d %v", resp.StatusCode, rg)
	}
	if resp, _, err := armDo(t, pl, http.MethodPut, rgURL(srv, "demo-rg"), `{"location":"eastus"}`); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("second PUT: %v %v", resp, err)
	}
	resp, got, err := armDo(t, pl, http.MethodGet, rgURL(srv, "DEMO-rg"), "")
	if err != nil || resp.StatusCode != http.StatusOK || got["id"] != wantID {
		t.Fatalf("GET: %v %v %v", resp, got, err)
	}
	resp, body, err := armDo(t, pl, http.MethodGet, rgURL(srv, "absent"), "")
	if err != nil || resp.StatusCode != http.StatusNotFound || armErrorCode(body) != "ResourceGroupNotFound" ||
		body["error"].(map[string]any)["message"] != "Resource group 'absent' could not be found." {
		t.Fatalf("GET absent: %v %v %v", resp, body, err)
	}
	resp, body, err = armDo(t, pl, http.MethodPut, rgURL(srv, "demo-rg"), `{"location":"westus"}`)
	if err != nil || resp.StatusCode != http.StatusConflict || armErrorCode(body) != "InvalidResourceGroupLocation" {
		t.Fatalf("PUT elsewhere: %v %v %v", resp, body, err)
	}
	resp, body, err = armDo(t, pl, http.MethodPut, rgURL(srv, "nowhere"), `{}`)
	if err != nil || resp.StatusCode != http.StatusBadRequest || armErrorCode(body) != "LocationRequired" {
		t.Fatalf("PUT without location: %v %v %v", resp, body, err)
	}
	resp, body, err = armDo(t, pl, http.MethodGet, strings.Split(rgURL(srv, "demo-rg"), "?")[0], "")
	if err != nil || resp.StatusCode != http.StatusBadRequest || armErrorCode(body) != "MissingApiVersionParameter" {
		t.Fatalf("GET without api-version: %v %v %v", resp, body, err)
	}
	var sawPUT bool
	for _, r := range srv.Requests() {
		if r.Endpoint == entratest.ARM && r.Method == http.MethodPut && r.Status == http.StatusCreated {
			sawPUT = r.ClientID == entratest.DefaultClientID && r.Identity == entratest.DefaultObjectID && r.Resource == wantID
		}
	}
	if !sawPUT {
		t.Errorf("request log lacks the PUT: %+v", srv.Requests())
	}
}

// TestARMClientPipeline: an ARM client pipeline (armruntime.NewPipeline)
// built from Server.ClientOptions finds the emulated Resource Manager in
// the cloud configuration and authorizes with its audience.
func TestARMClientPipeline(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	cred := secretCred(t, srv, entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret)
	pl, err := armruntime.NewPipeline("entratest", "v0.0.0", cred, runtime.PipelineOptions{}, &arm.ClientOptions{ClientOptions: srv.ClientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	if resp, rg, err := armDo(t, pl, http.MethodPut, rgURL(srv, "via-arm"), `{"location":"westeurope"}`); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("%v %v %v", resp, rg, err)
	}
}

// TestARMRefusesBadTokens: ARM's 401 answers, each with a Bearer challenge.
func TestARMRefusesBadTokens(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	graph, err := getToken(t, secretCred(t, srv, entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret),
		"https://graph.microsoft.com/.default")
	if err != nil {
		t.Fatal(err)
	}
	forged, err := srv.FederatedToken(entratest.GitHubIssuer, "x", "https://management.azure.com", time.Hour) // not Entra's key
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, token, code string }{
		{"no token", "", "AuthenticationFailed"},
		{"garbage", "not-a-jwt", "InvalidAuthenticationToken"},
		{"other issuer's key", forged, "InvalidAuthenticationToken"},
		{"graph audience", graph.Token, "InvalidAuthenticationTokenAudience"},
	} {
		resp, body := rawARM(t, srv, http.MethodGet, rgURL(srv, "any"), tc.token, "")
		if resp.StatusCode != http.StatusUnauthorized || armErrorCode(body) != tc.code ||
			!strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), `Bearer authorization_uri="`+srv.AuthorityHost()+`", error="invalid_token"`) {
			t.Errorf("%s: %d %v %q", tc.name, resp.StatusCode, body, resp.Header.Get("WWW-Authenticate"))
		}
	}
}

// TestARMExpiredToken: an expired token gets ExpiredAuthenticationToken.
func TestARMExpiredToken(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	inject(t, srv, entratest.Fault{Endpoint: entratest.TokenEndpoint, ExpiredToken: true})
	_, m := postToken(t, srv, url.Values{"grant_type": {"client_credentials"}, "client_id": {entratest.DefaultClientID},
		"client_secret": {entratest.DefaultClientSecret}, "scope": {armScope}})
	tok, _ := m["access_token"].(string)
	resp, body := rawARM(t, srv, http.MethodGet, rgURL(srv, "any"), tok, "")
	if resp.StatusCode != http.StatusUnauthorized || armErrorCode(body) != "ExpiredAuthenticationToken" {
		t.Errorf("%d %v", resp.StatusCode, body)
	}
}

// TestARMMandatoryMFA: under mandatory MFA phase 2 a user signed in with a
// password may read but not write; a user who did MFA may write.
func TestARMMandatoryMFA(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	app := armPipeline(srv, secretCred(t, srv, entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret))
	if resp, _, err := armDo(t, app, http.MethodPut, rgURL(srv, "shared"), `{"location":"eastus"}`); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("app PUT: %v %v", resp, err)
	}
	user, err := azidentity.NewUsernamePasswordCredential(entratest.DefaultTenantID, entratest.AzureCLIClientID, entratest.DefaultUsername,
		entratest.DefaultPassword, &azidentity.UsernamePasswordCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := getToken(t, user, armScope)
	if err != nil {
		t.Fatal(err)
	}

	// The wire: 401, a claims challenge, RequestDisallowedByPolicy.
	resp, body := rawARM(t, srv, http.MethodPut, rgURL(srv, "mine"), tok.Token, `{"location":"eastus"}`)
	e, _ := body["error"].(map[string]any)
	challenge := resp.Header.Get("WWW-Authenticate")
	if resp.StatusCode != http.StatusUnauthorized || e["code"] != "RequestDisallowedByPolicy" || e["target"] != "mine" ||
		!strings.Contains(e["message"].(string), "MFA is required") ||
		!strings.Contains(challenge, `error="insufficient_claims"`) || !strings.Contains(challenge, `claims="`) {
		t.Fatalf("user PUT: %d %v %q", resp.StatusCode, body, challenge)
	}
	info, _ := e["additionalInfo"].([]any)
	if len(info) != 1 || !strings.Contains(mustJSON(t, info), "Users must authenticate with multi-factor authentication to create or update resources") {
		t.Errorf("additionalInfo %v", info)
	}
	claimsB64 := strings.TrimSuffix(challenge[strings.Index(challenge, `claims="`)+len(`claims="`):], `"`)
	if c, err := base64.StdEncoding.DecodeString(claimsB64); err != nil || !json.Valid(c) {
		t.Errorf("claims %q: %v", claimsB64, err)
	}
	if resp, body := rawARM(t, srv, http.MethodGet, rgURL(srv, "shared"), tok.Token, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("user GET: %d %v", resp.StatusCode, body)
	}

	// Through azcore: the policy answers the challenge by asking Entra for
	// a token with the claims, which a password cannot satisfy.
	_, _, err = armDo(t, armPipeline(srv, user), http.MethodPut, rgURL(srv, "mine"), `{"location":"eastus"}`)
	wantAADSTS(t, err, entratest.CodeMFARequired)
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) || strings.Contains(err.Error(), entratest.DefaultPassword) {
		t.Errorf("error %v", err)
	}

	// Cloud Shell's user signed in to the portal with MFA: writes pass.
	req, _ := http.NewRequest(http.MethodPost, srv.AdminURL()+"/cloudshell/oauth2/token",
		strings.NewReader(url.Values{"resource": {"https://management.azure.com/"}}.Encode()))
	req.Header.Set("Metadata", "true")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	cs, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var csTok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(cs.Body).Decode(&csTok)
	cs.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := rawARM(t, srv, http.MethodPut, rgURL(srv, "mfa-user"), csTok.AccessToken, `{"location":"eastus"}`); resp.StatusCode != http.StatusCreated {
		t.Errorf("MFA user PUT: %d %v", resp.StatusCode, body)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
