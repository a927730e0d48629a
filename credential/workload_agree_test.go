package credential

// These tests set process environment variables (agree compares
// Options.Env with the process environment); they cannot run in parallel.

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// TestManagedIdentityEnvAgreesOnPlatform: Options.Env must not describe a
// different platform than the process is on. Each case is an Azure ML
// compute with a managed identity in Options.Env, while the process
// environment differs on a variable detect's refusals depend on: a Cloud
// Shell marker, or the compute's client ID ("clientid" on an instance
// without a managed identity, whose endpoint serves the signed-in user).
func TestManagedIdentityEnvAgreesOnPlatform(t *testing.T) {
	tests := []struct {
		name    string
		process map[string]string // set in the process, not in Options.Env
		env     map[string]string // set in Options.Env, not in the process
		refused string            // the variable New names, or "" when it must build
	}{
		{name: "ACC_CLOUD only in the process", process: map[string]string{"ACC_CLOUD": "AzureCloud"}, refused: "ACC_CLOUD"},
		{name: "Cloud Shell AZUREPS_HOST_ENVIRONMENT only in the process", process: map[string]string{"AZUREPS_HOST_ENVIRONMENT": "cloud-shell/1.0"}, refused: "AZUREPS_HOST_ENVIRONMENT"},
		{name: "AZUREPS_HOST_ENVIRONMENT differs, even when neither is Cloud Shell", process: map[string]string{"AZUREPS_HOST_ENVIRONMENT": "ADO/AzurePowerShell@v5"},
			env: map[string]string{"AZUREPS_HOST_ENVIRONMENT": "ADO/AzurePowerShell@v4"}, refused: "AZUREPS_HOST_ENVIRONMENT"},
		{name: "DEFAULT_IDENTITY_CLIENT_ID is the literal clientid in the process", process: map[string]string{"DEFAULT_IDENTITY_CLIENT_ID": "clientid"}, refused: "DEFAULT_IDENTITY_CLIENT_ID"},
		{name: "the same non-Cloud-Shell host in both", process: map[string]string{"AZUREPS_HOST_ENVIRONMENT": "ADO/AzurePowerShell@v5"},
			env: map[string]string{"AZUREPS_HOST_ENVIRONMENT": "ADO/AzurePowerShell@v5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := entratest.Start(t, nil)
			env, err := srv.ManagedIdentityEnv(entratest.AzureML)
			if err != nil {
				t.Fatal(err)
			}
			env["DEFAULT_IDENTITY_CLIENT_ID"] = entratest.SystemAssignedClientID
			for k, v := range tt.env {
				env[k] = v
			}
			menv := setProcessEnv(t, env)
			for k, v := range tt.process {
				t.Setenv(k, v)
			}
			if s := detect.Detect(menv, nil); s.Kind != detect.ManagedIdentity || s.Source != detect.AzureML {
				t.Fatalf("Options.Env alone selects %s/%s, want managed-identity/azure-ml", s.Kind, s.Source)
			}
			c, err := New(&Options{Env: menv, ClientOptions: srv.ClientOptions()})
			if tt.refused == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				defer c.Close()
				if _, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{msiScope(t, srv)}}); err != nil {
					t.Errorf("GetToken: %v", err)
				}
				return
			}
			if err == nil {
				c.Close()
				t.Fatalf("New built a credential although the process environment differs on %s", tt.refused)
			}
			if !errors.Is(err, autherrors.ErrInvalidConfiguration) || !strings.Contains(err.Error(), "disagree about "+tt.refused) {
				t.Errorf("New error = %v, want %s naming %s", err, autherrors.ErrInvalidConfiguration, tt.refused)
			}
			if n := srv.EndpointRequests(entratest.AzureML); n != 0 {
				t.Errorf("%d requests reached the Azure ML endpoint; want none", n)
			}
		})
	}
}
