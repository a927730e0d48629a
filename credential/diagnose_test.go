package credential

import (
	"errors"
	"strings"
	"testing"

	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// F7 (RELIABILITY.md): a kind forced by AZURE_TOKEN_CREDENTIALS or
// Options.Kind that is not configured fails New naming what forced it, what
// the kind needs and what it excluded.
func TestNewForcedKindNotConfigured(t *testing.T) {
	t.Parallel()
	spSecret := map[string]string{"AZURE_TENANT_ID": entratest.DefaultTenantID, "AZURE_CLIENT_ID": entratest.DefaultClientID,
		"AZURE_CLIENT_SECRET": entratest.DefaultClientSecret}
	with := func(kv ...string) detect.MapEnv {
		m := detect.MapEnv{}
		for k, v := range spSecret {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		name string
		opts Options
		want []string // in the error
	}{
		{"AZURE_TOKEN_CREDENTIALS", Options{Env: with("AZURE_TOKEN_CREDENTIALS", "WorkloadIdentityCredential")},
			[]string{"AZURE_TOKEN_CREDENTIALS=WorkloadIdentityCredential selects only workload-identity", "AZURE_FEDERATED_TOKEN_FILE",
				"configured but excluded by AZURE_TOKEN_CREDENTIALS: service-principal-secret", "or change AZURE_TOKEN_CREDENTIALS"}},
		{"Options.Kind", Options{Env: with(), Kind: detect.AzurePipelinesOIDC},
			[]string{"Options.Kind=azure-pipelines-oidc selects only azure-pipelines-oidc", "SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN",
				"AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "or change Options.Kind"}},
		{"EnvironmentCredential", Options{Env: detect.MapEnv{"AZURE_TOKEN_CREDENTIALS": "EnvironmentCredential", "AZURE_TENANT_ID": entratest.DefaultTenantID}},
			[]string{"selects only a service principal", "set AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH for service-principal-secret"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(&tc.opts)
			if err == nil {
				c.Close()
				t.Fatal("New succeeded with the forced kind unconfigured")
			}
			var d *autherrors.Diagnostic
			if !errors.As(err, &d) || d.Code != autherrors.ErrNoIdentity {
				t.Fatalf("New = %v; want %s", err, autherrors.ErrNoIdentity)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error does not say %q:\n%v", s, err)
				}
			}
			assertNoCanary(t, "error", err.Error())
		})
	}
}
