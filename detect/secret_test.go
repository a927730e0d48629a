package detect

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// secretNames are the variables whose values are credentials.
var secretNames = []string{
	"AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_PASSWORD", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
	"SYSTEM_ACCESSTOKEN", "IDENTITY_HEADER", "MSI_SECRET", "servicePrincipalKey", "ARM_CLIENT_SECRET",
}

// renderings is every way a Result can leave the process.
func renderings(t *testing.T, r *Result) map[string]string {
	t.Helper()
	j, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("detect", "result", r)
	return map[string]string{
		"String": r.String(), "JSON": string(j), "%v": fmt.Sprintf("%v", r), "%+v": fmt.Sprintf("%+v", *r),
		"%#v": fmt.Sprintf("%#v", *r), "slog": logged.String(),
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	envs := map[string]MapEnv{
		"service principal": merge(servicePrincipalSecret),
		"certificate":       merge(servicePrincipalCert),
		"GitHub":            merge(githubRunner, githubOIDC),
		"Pipelines":         merge(pipelinesAgent, pipelinesOIDC),
		"App Service":       merge(appServiceLinux),
		"Azure ML":          merge(azureMLCluster),
		"ROPC":              merge(servicePrincipalSecret, map[string]string{"AZURE_USERNAME": "alice@contoso.com", "AZURE_PASSWORD": canary}),
		"everything":        merge(githubRunner, githubOIDC, pipelinesAgent, pipelinesOIDC, servicePrincipalCert, servicePrincipalSecret, appServiceLinux, azureMLInstance),
		"pasted into IDs": merge(servicePrincipalSecret, map[string]string{"AZURE_CLIENT_ID": canary, "AZURE_TENANT_ID": canary,
			"servicePrincipalKey": canary, "ARM_CLIENT_SECRET": canary}),
	}
	for name, env := range envs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, n := range secretNames {
				if _, ok := env[n]; ok {
					env[n] = canary
				}
			}
			r := Detect(env, testOptions(nil))
			for how, out := range renderings(t, r) {
				if strings.Contains(out, canary) {
					t.Errorf("%s rendering contains the secret:\n%s", how, out)
				}
			}
		})
	}
}
