//lint:file-ignore SA1019 ROPC (UsernamePasswordCredential) is deprecated; the emulator must still answer it exactly like Entra.

package entratest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/autoidentity/autoidentity/entratest"
)

func TestUsernamePasswordCredential(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	if err := srv.AddUser(entratest.User{Username: "blocked@entratest.example", Password: entratest.DefaultPassword, Blocked: true}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, user, password string
		code                 int
	}{
		{"no mfa", entratest.DefaultUsername, entratest.DefaultPassword, 0},
		{"mfa", entratest.MFAUsername, entratest.DefaultPassword, entratest.CodeMFARequired},
		{"wrong password", entratest.DefaultUsername, "wrong", entratest.CodeInvalidPassword},
		{"conditional access", "blocked@entratest.example", entratest.DefaultPassword, entratest.CodeConditionalAccessBlocked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cred, err := azidentity.NewUsernamePasswordCredential(entratest.DefaultTenantID, entratest.DefaultClientID, tc.user, tc.password,
				&azidentity.UsernamePasswordCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := getToken(t, cred, armScope)
			if tc.code != 0 {
				wantAADSTS(t, err, tc.code)
				if strings.Contains(err.Error(), entratest.DefaultPassword) {
					t.Error("error text contains the password")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c := claims(t, tok.Token); c["idtyp"] != "user" || c["upn"] != tc.user || c["scp"] == nil {
				t.Errorf("claims %v", c)
			}
		})
	}
}

// TestUnknownUser: user realm discovery is per domain, as Entra's is. A
// user of a tenant's domain who does not exist is "Managed", so MSAL sends
// the password and gets AADSTS50034; a user of an unknown domain is
// "Unknown", and MSAL stops before sending a password.
func TestUnknownUser(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	for _, tc := range []struct {
		user   string
		code   int    // AADSTS code, if MSAL sends the password
		text   string // else, in the error
		grants int
	}{
		{"nobody@entratest.example", entratest.CodeUserNotFound, "", 1},
		{"nobody@unknown.example", 0, "unknown account type", 0},
	} {
		srv.ClearRequests()
		cred, err := azidentity.NewUsernamePasswordCredential(entratest.DefaultTenantID, entratest.DefaultClientID, tc.user, "pw",
			&azidentity.UsernamePasswordCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = getToken(t, cred, armScope)
		if tc.code != 0 {
			wantAADSTS(t, err, tc.code)
		} else if err == nil || !strings.Contains(err.Error(), tc.text) {
			t.Fatalf("%s: got %v", tc.user, err)
		}
		if n := passwordGrants(srv); n != tc.grants {
			t.Errorf("%s: %d password grants, want %d", tc.user, n, tc.grants)
		}
	}
}

// TestUserRealmShape checks user realm discovery's JSON field for field,
// at /common and at a tenant.
func TestUserRealmShape(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	for _, tc := range []struct{ path, accountType, domain string }{
		{"/common/userrealm/" + url.PathEscape(entratest.MFAUsername), "Managed", "entratest.example"},
		{"/common/UserRealm/someone@ENTRATEST.example", "Managed", "entratest.example"},
		{"/" + entratest.DefaultTenantID + "/userrealm/" + entratest.DefaultUsername, "Managed", "entratest.example"},
		{"/common/userrealm/someone@unknown.example", "Unknown", "unknown.example"},
	} {
		resp, err := srv.Client().Get(strings.TrimSuffix(srv.AuthorityHost(), "/") + tc.path + "?api-version=1.0")
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", tc.path, resp.StatusCode, err)
		}
		want := map[string]any{"ver": "1.0", "account_type": tc.accountType, "domain_name": tc.domain,
			"cloud_instance_name": "microsoftonline.com", "cloud_audience_urn": "urn:federation:MicrosoftOnline"}
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", tc.path, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v", tc.path, k, got[k], v)
			}
		}
	}
}

// TestFirstPartyClients: the Azure CLI's and Azure PowerShell's public
// clients exist in every tenant, so a password sign-in through them reaches
// the user's own answer (as az login -u does), where an unknown app gets
// AADSTS700016; a secret sent for them gets AADSTS700025.
func TestFirstPartyClients(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	const unknownApp = "7e570000-0000-4000-8000-0000000000b1"
	for _, tc := range []struct {
		name, tenant, client, user, password string
		code                                 int
	}{
		{"cli mfa", "organizations", entratest.AzureCLIClientID, entratest.MFAUsername, entratest.DefaultPassword, entratest.CodeMFARequired},
		{"cli wrong password", "organizations", entratest.AzureCLIClientID, entratest.DefaultUsername, "wrong", entratest.CodeInvalidPassword},
		{"cli no mfa", "organizations", entratest.AzureCLIClientID, entratest.DefaultUsername, entratest.DefaultPassword, 0},
		{"powershell mfa", entratest.DefaultTenantID, entratest.AzurePowerShellClientID, entratest.MFAUsername, entratest.DefaultPassword, entratest.CodeMFARequired},
		{"powershell no mfa", entratest.DefaultTenantDomain, entratest.AzurePowerShellClientID, entratest.DefaultUsername, entratest.DefaultPassword, 0},
		{"unknown app", entratest.DefaultTenantID, unknownApp, entratest.MFAUsername, entratest.DefaultPassword, entratest.CodeAppNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cred, err := azidentity.NewUsernamePasswordCredential(tc.tenant, tc.client, tc.user, tc.password,
				&azidentity.UsernamePasswordCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := getToken(t, cred, "https://management.core.windows.net//.default")
			if tc.code != 0 {
				wantAADSTS(t, err, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c := claims(t, tok.Token); c["appid"] != tc.client || c["appidacr"] != "0" || c["tid"] != entratest.DefaultTenantID ||
				c["aud"] != "https://management.core.windows.net/" {
				t.Errorf("claims %v", c)
			}
		})
	}
	t.Run("secret for a public client", func(t *testing.T) {
		t.Parallel()
		_, err := getToken(t, secretCred(t, srv, entratest.DefaultTenantID, entratest.AzureCLIClientID, entratest.DefaultClientSecret), armScope)
		wantAADSTS(t, err, entratest.CodePublicClientCredential)
	})
}

// TestMFABody checks AADSTS50076's body field by field.
func TestMFABody(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	form := url.Values{"grant_type": {"password"}, "client_id": {entratest.DefaultClientID}, "username": {entratest.MFAUsername},
		"password": {entratest.DefaultPassword}, "scope": {armScope + " openid offline_access profile"}, "client_info": {"1"}}
	resp, err := srv.Client().PostForm(tokenURL(srv), form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var body struct {
		Error, ErrorDescription, Suberror, Timestamp, Claims string
		ErrorCodes                                           []int
		TraceID, CorrelationID, ErrorURI                     string
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&struct {
		Error            *string `json:"error"`
		ErrorDescription *string `json:"error_description"`
		ErrorCodes       *[]int  `json:"error_codes"`
		Suberror         *string `json:"suberror"`
		Timestamp        *string `json:"timestamp"`
		TraceID          *string `json:"trace_id"`
		CorrelationID    *string `json:"correlation_id"`
		ErrorURI         *string `json:"error_uri"`
		Claims           *string `json:"claims"`
	}{&body.Error, &body.ErrorDescription, &body.ErrorCodes, &body.Suberror, &body.Timestamp, &body.TraceID, &body.CorrelationID, &body.ErrorURI, &body.Claims}); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadRequest || body.Error != "invalid_grant" || body.Suberror != "basic_action" ||
		len(body.ErrorCodes) != 1 || body.ErrorCodes[0] != 50076 || body.TraceID == "" || body.CorrelationID == "" || body.Timestamp == "" ||
		!strings.HasPrefix(body.ErrorDescription, "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '797f4846-ba00-4fd7-ba43-dac1f8f63013'.") ||
		!strings.Contains(body.ErrorDescription, "\r\nTrace ID: "+body.TraceID) || !strings.Contains(body.Claims, "capolids") {
		t.Errorf("status %d body %s", resp.StatusCode, b)
	}
	if passwordGrants(srv) != 1 {
		t.Errorf("password grants = %d, want 1", passwordGrants(srv))
	}
	for _, r := range srv.Requests() {
		if r.GrantType == "password" && (r.Identity != entratest.MFAUsername || r.Code != entratest.CodeMFARequired || r.Status != 400) {
			t.Errorf("logged %+v", r)
		}
	}
}
