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

// TestUnknownUserRealm: Entra's user realm discovery answers "Unknown" for
// an unknown user and MSAL stops before sending a password; a raw password
// grant gets AADSTS50034.
func TestUnknownUser(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	cred, err := azidentity.NewUsernamePasswordCredential(entratest.DefaultTenantID, entratest.DefaultClientID, "nobody@entratest.example", "pw",
		&azidentity.UsernamePasswordCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := getToken(t, cred, armScope); err == nil || !strings.Contains(err.Error(), "unknown account type") {
		t.Fatalf("got %v", err)
	}
	if passwordGrants(srv) != 0 {
		t.Fatal("MSAL sent a password grant for an unknown realm")
	}
	form := url.Values{"grant_type": {"password"}, "client_id": {entratest.DefaultClientID}, "username": {"nobody@entratest.example"},
		"password": {"pw"}, "scope": {armScope}}
	resp, err := srv.Client().PostForm(tokenURL(srv), form)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), `"error_codes":[50034]`) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
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
