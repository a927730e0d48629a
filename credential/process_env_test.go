package credential

// These tests set process environment variables because azidentity's managed
// identity and Azure Pipelines credentials read them with os.Getenv; they
// cannot run in parallel.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/claims"
)

// msiScope returns a scope no other test, and no other run of this test,
// asks for: MSAL keeps managed identity tokens in a process-wide cache
// shared by every ManagedIdentityCredential, so a token one test fetched
// would otherwise be served to the next without a request (t.Name() alone
// repeats under go test -count=N).
func msiScope(t *testing.T, srv *entratest.Server) string {
	resource := entratest.UniqueResource(t.Name())
	srv.AddResource(resource)
	return resource + "/.default"
}

// setProcessEnv makes the process environment agree with env on the
// variables azidentity reads, and returns env for Options.Env.
func setProcessEnv(t *testing.T, env map[string]string) detect.MapEnv {
	t.Helper()
	for _, k := range append(slices.Clone(managedIdentityProcessVars), "SYSTEM_OIDCREQUESTURI") {
		t.Setenv(k, env[k])
	}
	return detect.MapEnv(env)
}

func TestManagedIdentitySources(t *testing.T) {
	tests := []struct {
		name     string
		endpoint entratest.Endpoint
		kind     detect.Kind // forced kind, for IMDS which no variable announces
		id       azidentity.ManagedIDKind
		wantOID  string
		wantSrc  detect.Source
		extra    map[string]string // variables the platform sets besides ManagedIdentityEnv's
	}{
		{name: "app service", endpoint: entratest.AppService, wantOID: entratest.SystemAssignedObjectID, wantSrc: detect.AppService},
		{name: "app service user-assigned", endpoint: entratest.AppService, id: azidentity.ClientID(entratest.UserAssignedClientID), wantOID: entratest.UserAssignedObjectID, wantSrc: detect.AppService},
		{name: "imds asserted", endpoint: entratest.IMDS, kind: detect.ManagedIdentity, wantOID: entratest.SystemAssignedObjectID, wantSrc: detect.IMDS},
		{name: "imds by resource id", endpoint: entratest.IMDS, kind: detect.ManagedIdentity, id: azidentity.ResourceID(entratest.UserAssignedResourceID), wantOID: entratest.UserAssignedObjectID, wantSrc: detect.IMDS},
		{name: "azure ml", extra: map[string]string{"DEFAULT_IDENTITY_CLIENT_ID": entratest.SystemAssignedClientID}, endpoint: entratest.AzureML, wantOID: entratest.SystemAssignedObjectID, wantSrc: detect.AzureML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := entratest.Start(t, nil)
			env, err := srv.ManagedIdentityEnv(tt.endpoint)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.extra {
				env[k] = v
			}
			c, err := New(&Options{Env: setProcessEnv(t, env), ClientOptions: srv.ClientOptions(), Kind: tt.kind, ManagedIdentityID: tt.id})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer c.Close()
			if s := c.Selection(); s.Kind != detect.ManagedIdentity || s.Source != tt.wantSrc {
				t.Fatalf("selected %s/%s, want managed-identity/%s", s.Kind, s.Source, tt.wantSrc)
			}
			tok, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{msiScope(t, srv)}})
			if err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			cl, err := claims.Parse(tok.Token)
			if err != nil {
				t.Fatal(err)
			}
			if cl.ObjectID != tt.wantOID || cl.IdentityType != "app" {
				t.Errorf("token oid %q idtyp %q, want %q app", cl.ObjectID, cl.IdentityType, tt.wantOID)
			}
			if n := srv.EndpointRequests(tt.endpoint); n != 1 {
				t.Errorf("%s requests = %d, want 1", tt.endpoint, n)
			}
		})
	}
}

func TestUserIdentityEndpointsAreRefused(t *testing.T) {
	srv := entratest.Start(t, nil)
	env, err := srv.ManagedIdentityEnv(entratest.CloudShell)
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(&Options{Env: setProcessEnv(t, env), ClientOptions: srv.ClientOptions()})
	if !errors.Is(err, autherrors.ErrUserIdentityRefused) {
		t.Fatalf("New in Cloud Shell = %v, want user-identity-refused", err)
	}
	if n := srv.EndpointRequests(entratest.CloudShell); n != 0 {
		t.Errorf("Cloud Shell was asked for %d tokens, want 0", n)
	}
}

// TestGuardRefusesUserTokens checks layer two: a caller's credential that
// returns a user token (here azidentity's managed identity credential
// pointed at Cloud Shell, which answers with the signed-in user's token) is
// refused at GetToken even though its type looks harmless.
func TestGuardRefusesUserTokens(t *testing.T) {
	srv := entratest.Start(t, nil)
	env, err := srv.ManagedIdentityEnv(entratest.CloudShell)
	if err != nil {
		t.Fatal(err)
	}
	setProcessEnv(t, env)
	mic, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ClientOptions: srv.ClientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Guard(mic, nil)
	if err != nil {
		t.Fatalf("Guard: %v", err)
	}
	defer c.Close()
	_, err = c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{msiScope(t, srv)}})
	if !errors.Is(err, autherrors.ErrUserIdentityRefused) {
		t.Fatalf("GetToken = %v, want user-identity-refused", err)
	}
	if n := srv.EndpointRequests(entratest.CloudShell); n != 1 {
		t.Errorf("Cloud Shell requests = %d, want 1 (the token was fetched, then refused)", n)
	}
}

func TestAzurePipelines(t *testing.T) {
	srv := entratest.Start(t, nil)
	env := setProcessEnv(t, srv.AzurePipelinesEnv())
	c, err := New(&Options{Env: env, ClientOptions: srv.ClientOptions()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer c.Close()
	if k := c.Selection().Kind; k != detect.AzurePipelinesOIDC {
		t.Fatalf("kind = %s", k)
	}
	if _, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if n := srv.EndpointRequests(entratest.AzurePipelinesOIDC); n != 1 {
		t.Errorf("pipelines OIDC requests = %d, want 1", n)
	}
}

func TestEnvMustAgreeWithProcess(t *testing.T) {
	srv := entratest.Start(t, nil)
	env, err := srv.ManagedIdentityEnv(entratest.AppService)
	if err != nil {
		t.Fatal(err)
	}
	setProcessEnv(t, nil) // the process says nothing; Options.Env says App Service
	_, err = New(&Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()})
	if !errors.Is(err, autherrors.ErrInvalidConfiguration) || !strings.Contains(err.Error(), "IDENTITY_ENDPOINT") {
		t.Fatalf("New = %v, want invalid-configuration naming IDENTITY_ENDPOINT", err)
	}
	assertNoCanary(t, "error", err.Error())
}

// TestReadmeTestingSnippet runs the README's "Testing your own program"
// snippet for the scenarios azidentity reads from the process environment:
// the scenario's variables set with t.Setenv, New with only the emulator's
// client options, and no password on the wire.
func TestReadmeTestingSnippet(t *testing.T) {
	for _, scenario := range []string{"workload-identity", "managed-identity-app-service", "azure-pipelines-oidc"} {
		t.Run(scenario, func(t *testing.T) {
			srv := entratest.Start(t, nil)
			env, err := srv.Scenario(scenario)
			if err != nil {
				t.Fatal(err)
			}
			setProcessEnv(t, nil) // nothing of this machine's
			for k, v := range env {
				t.Setenv(k, v)
			}
			cred, err := New(&Options{ClientOptions: srv.ClientOptions()})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer cred.Close()
			if _, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{msiScope(t, srv)}}); err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			if srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" }) != 0 {
				t.Fatal("a password was sent")
			}
		})
	}
}
