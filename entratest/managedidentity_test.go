package entratest_test

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/autoidentity/autoidentity/entratest"
)

var miVars = []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT",
	"MSI_ENDPOINT", "MSI_SECRET", "DEFAULT_IDENTITY_CLIENT_ID", "AZURE_REGIONAL_AUTHORITY_NAME"}

// setMIEnv gives the test exactly env's managed identity variables. MSAL
// reads them with os.Getenv, so these tests cannot be parallel.
func setMIEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, k := range miVars {
		t.Setenv(k, env[k])
	}
}

// uniqueResource registers a resource only this run of this test uses:
// MSAL caches managed identity tokens process-wide by identity and resource.
func uniqueResource(t *testing.T, srv *entratest.Server) string {
	r := entratest.UniqueResource(t.Name())
	srv.AddResource(r)
	return r
}

func miCred(t *testing.T, srv *entratest.Server, id azidentity.ManagedIDKind) *azidentity.ManagedIdentityCredential {
	t.Helper()
	cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ClientOptions: srv.ClientOptions(), ID: id})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

func TestManagedIdentitySources(t *testing.T) {
	srv := entratest.Start(t, nil)
	for _, tc := range []struct {
		name     string
		ep       entratest.Endpoint
		id       azidentity.ManagedIDKind
		wantOID  string
		wantUser bool
	}{
		{"imds system", entratest.IMDS, nil, entratest.SystemAssignedObjectID, false},
		{"imds client id", entratest.IMDS, azidentity.ClientID(entratest.UserAssignedClientID), entratest.UserAssignedObjectID, false},
		{"imds object id", entratest.IMDS, azidentity.ObjectID(entratest.UserAssignedObjectID), entratest.UserAssignedObjectID, false},
		{"imds resource id", entratest.IMDS, azidentity.ResourceID(entratest.UserAssignedResourceID), entratest.UserAssignedObjectID, false},
		{"app service system", entratest.AppService, nil, entratest.SystemAssignedObjectID, false},
		{"app service client id", entratest.AppService, azidentity.ClientID(entratest.UserAssignedClientID), entratest.UserAssignedObjectID, false},
		{"app service resource id", entratest.AppService, azidentity.ResourceID(entratest.UserAssignedResourceID), entratest.UserAssignedObjectID, false},
		{"azure ml system", entratest.AzureML, nil, entratest.SystemAssignedObjectID, false},
		{"azure ml client id", entratest.AzureML, azidentity.ClientID(entratest.UserAssignedClientID), entratest.UserAssignedObjectID, false},
		{"service fabric", entratest.ServiceFabric, nil, entratest.SystemAssignedObjectID, false},
		{"cloud shell returns a user token", entratest.CloudShell, nil, entratest.MFAUserObjectID, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, err := srv.ManagedIdentityEnv(tc.ep)
			if err != nil {
				t.Fatal(err)
			}
			setMIEnv(t, env)
			before := srv.EndpointRequests(tc.ep)
			tok, err := getToken(t, miCred(t, srv, tc.id), uniqueResource(t, srv)+"/.default")
			if err != nil {
				t.Fatal(err)
			}
			if got := srv.EndpointRequests(tc.ep) - before; got != 1 {
				t.Errorf("%d requests to %s, want 1", got, tc.ep)
			}
			c := claims(t, tok.Token)
			if c["oid"] != tc.wantOID {
				t.Errorf("oid %v, want %v", c["oid"], tc.wantOID)
			}
			if tc.wantUser {
				if c["idtyp"] != "user" || c["upn"] != entratest.MFAUsername || c["scp"] == nil {
					t.Errorf("want a user token, claims %v", c)
				}
			} else if c["idtyp"] != "app" || c["xms_mirid"] == nil {
				t.Errorf("want a managed identity token, claims %v", c)
			} else if mirid, _ := c["xms_mirid"].(string); tc.ep == entratest.AppService && tc.wantOID == entratest.SystemAssignedObjectID && !strings.Contains(mirid, "/Microsoft.Web/sites/") {
				t.Errorf("an App Service token names %s, want the web app (not a VM)", mirid)
			}
		})
	}
}

func TestManagedIdentityFailures(t *testing.T) {
	srv := entratest.Start(t, nil)
	t.Run("imds unknown identity", func(t *testing.T) {
		setMIEnv(t, nil)
		_, err := getToken(t, miCred(t, srv, azidentity.ClientID("7e570000-0000-4000-8000-0000000000b1")), uniqueResource(t, srv))
		var afe *azidentity.AuthenticationFailedError
		if !errors.As(err, &afe) || afe.RawResponse == nil || afe.RawResponse.StatusCode != http.StatusBadRequest {
			t.Fatalf("want a 400 AuthenticationFailedError, got %v", err)
		}
	})
	t.Run("imds no system identity", func(t *testing.T) {
		setMIEnv(t, nil)
		srv.SetSystemAssigned(entratest.IMDS, nil)
		defer srv.SetSystemAssigned(entratest.IMDS, &entratest.ManagedIdentity{ClientID: entratest.SystemAssignedClientID, ObjectID: entratest.SystemAssignedObjectID})
		_, err := getToken(t, miCred(t, srv, nil), uniqueResource(t, srv))
		if err == nil || !strings.Contains(err.Error(), "Identity not found") {
			t.Fatalf("want IMDS's Identity not found, got %v", err)
		}
	})
	t.Run("app service unknown identity", func(t *testing.T) {
		env, _ := srv.ManagedIdentityEnv(entratest.AppService)
		setMIEnv(t, env)
		_, err := getToken(t, miCred(t, srv, azidentity.ClientID("7e570000-0000-4000-8000-0000000000b2")), uniqueResource(t, srv))
		if err == nil || !strings.Contains(err.Error(), "No User Assigned or Delegated Managed Identity found") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("azure ml without identity returns the user's token", func(t *testing.T) {
		env, _ := srv.ManagedIdentityEnv(entratest.AzureML)
		setMIEnv(t, env)
		srv.SetSystemAssigned(entratest.AzureML, nil)
		defer srv.SetSystemAssigned(entratest.AzureML, &entratest.ManagedIdentity{ClientID: entratest.SystemAssignedClientID, ObjectID: entratest.SystemAssignedObjectID})
		tok, err := getToken(t, miCred(t, srv, nil), uniqueResource(t, srv))
		if err != nil {
			t.Fatal(err)
		}
		if c := claims(t, tok.Token); c["idtyp"] != "user" {
			t.Errorf("claims %v", c)
		}
	})
	t.Run("service fabric pins the thumbprint", func(t *testing.T) {
		env, _ := srv.ManagedIdentityEnv(entratest.ServiceFabric)
		env["IDENTITY_SERVER_THUMBPRINT"] = strings.Repeat("AB", 20)
		setMIEnv(t, env)
		_, err := getToken(t, miCred(t, srv, nil), uniqueResource(t, srv))
		if err == nil || !strings.Contains(err.Error(), "did not match IDENTITY_SERVER_THUMBPRINT") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("arc challenge reaches MSAL which requires its fixed key directory", func(t *testing.T) {
		env, _ := srv.ManagedIdentityEnv(entratest.AzureArc)
		setMIEnv(t, env)
		_, err := getToken(t, miCred(t, srv, nil), uniqueResource(t, srv))
		if err == nil || !strings.Contains(err.Error(), "invalid file path, expected /var/opt/azcmagent/tokens") {
			t.Fatalf("got %v", err)
		}
	})
}

// TestArcProtocol exercises the Azure Arc challenge the way the agent's
// clients do, since MSAL only reads key files from /var/opt/azcmagent/tokens.
func TestArcProtocol(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	env, err := srv.ManagedIdentityEnv(entratest.AzureArc)
	if err != nil {
		t.Fatal(err)
	}
	u := env["IDENTITY_ENDPOINT"] + "?api-version=2020-06-01&resource=https%3A%2F%2Fmanagement.azure.com&client_id=" + entratest.UserAssignedClientID
	do := func(auth string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Metadata", "true")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := do("")
	resp.Body.Close()
	realm := strings.TrimPrefix(resp.Header.Get("WWW-Authenticate"), "Basic realm=")
	if resp.StatusCode != http.StatusUnauthorized || !strings.HasSuffix(realm, ".key") {
		t.Fatalf("challenge: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	key, err := os.ReadFile(realm)
	if err != nil {
		t.Fatal(err)
	}
	resp = do("Basic wrong")
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong key: %d", resp.StatusCode)
	}
	resp = do("Basic " + string(key))
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"client_id":"`+entratest.UserAssignedClientID+`"`) {
		t.Fatalf("token: %d %s", resp.StatusCode, body)
	}
}
