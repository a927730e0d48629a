package detect

import (
	"strings"
	"testing"
)

// TestManagedProtocol covers the findings where detect's managed identity
// source differed from the protocol MSAL speaks: the source is MSAL's (on
// raw values), and the refusals follow the protocol, whatever markers
// surround it. TestMSALFixtures runs the same environments through MSAL.
func TestManagedProtocol(t *testing.T) {
	t.Parallel()
	const mlRefused, shellRefused = "managed-identity/azure-ml:user-identity-refused", "managed-identity/cloud-shell:user-identity-refused"
	reason := func(subs ...string) func(*testing.T, *Result) {
		return func(t *testing.T, r *Result) {
			t.Helper()
			for _, s := range subs {
				if !strings.Contains(r.Refused[0].Reason, s) {
					t.Errorf("reason %q lacks %q", r.Refused[0].Reason, s)
				}
			}
		}
	}
	blank := func(v string) string { return v + " is set but blank; MSAL counts a whitespace-only value as set" }
	var cases []tcase
	// Finding: an Azure ML compute instance without a managed identity next
	// to any App Service marker was reported as app-service; MSAL spoke
	// Azure ML's protocol and the user's token was issued.
	for _, m := range [...]string{"WEBSITE_SITE_NAME", "FUNCTIONS_WORKER_RUNTIME", "CONTAINER_APP_NAME"} {
		cases = append(cases, tcase{name: "Azure ML instance next to " + m, env: merge(linuxNoise, azureMLInstance, map[string]string{m: "contoso"}),
			want: want{kind: None, refused: []string{mlRefused}}, check: reason(`"clientid", not a GUID`, m+" is set too")})
	}
	cases = append(cases,
		// Finding: Cloud Shell's MSI_ENDPOINT with ACC_CLOUD, any MSI_SECRET
		// and a GUID client ID was selected as azure-ml.
		tcase{name: "Cloud Shell with MSI_SECRET and DEFAULT_IDENTITY_CLIENT_ID", env: merge(cloudShell, map[string]string{"MSI_SECRET": canary, "DEFAULT_IDENTITY_CLIENT_ID": uami}),
			want: want{kind: None, refused: []string{mlRefused}}, check: reason("ACC_CLOUD and AZUREPS_HOST_ENVIRONMENT show Azure Cloud Shell")},
		tcase{name: "Cloud Shell with MSI_SECRET and AZURE_CLIENT_ID", env: merge(cloudShell, map[string]string{"MSI_SECRET": canary, "AZURE_CLIENT_ID": uami}),
			opts: probeOK(200, ""), want: want{kind: None, refused: []string{mlRefused}}},
		tcase{name: "Cloud Shell known only by AZUREPS_HOST_ENVIRONMENT", env: merge(azureMLCluster, map[string]string{"AZUREPS_HOST_ENVIRONMENT": "Cloud-Shell/1.0"}),
			want: want{kind: None, refused: []string{mlRefused}}, check: reason("AZUREPS_HOST_ENVIRONMENT show")},
		tcase{name: "another AzurePowerShell host is no Cloud Shell marker", env: merge(azureMLCluster, map[string]string{"AZUREPS_HOST_ENVIRONMENT": "ADO/AzurePowerShell@v5"}),
			want: want{kind: ManagedIdentity, source: AzureML, clientID: uami, evidence: []string{"MSI_ENDPOINT", "MSI_SECRET", "DEFAULT_IDENTITY_CLIENT_ID"}}},
		// Finding: a whitespace-only MSI_ENDPOINT was IMDS for detect and
		// Cloud Shell for MSAL. It is refused, asserted or probed.
		tcase{name: "blank MSI_ENDPOINT is Cloud Shell's protocol, not IMDS", env: merge(linuxNoise, map[string]string{"MSI_ENDPOINT": " "}),
			opts: probeOK(200, ""), want: want{kind: None, refused: []string{shellRefused}, warnings: []string{blank("MSI_ENDPOINT")}},
			check: reason("holds only whitespace, which MSAL still counts as set")},
		tcase{name: "blank MSI_ENDPOINT with a managed identity asserted", env: merge(linuxNoise, atc("ManagedIdentityCredential"), map[string]string{"MSI_ENDPOINT": "\t"}),
			want: want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, refused: []string{shellRefused},
				incomplete: []string{"managed-identity missing=a managed identity endpoint"}, warnings: []string{blank("MSI_ENDPOINT")}}},
		tcase{name: "blank MSI_ENDPOINT with MSI_SECRET is Azure ML's protocol, unusable", env: merge(linuxNoise, map[string]string{"MSI_ENDPOINT": " ", "MSI_SECRET": canary, "DEFAULT_IDENTITY_CLIENT_ID": uami}),
			opts: probeOK(200, ""), want: want{kind: None, incomplete: []string{"managed-identity/azure-ml missing=MSI_ENDPOINT (set but blank)"}, warnings: []string{blank("MSI_ENDPOINT")}}},
		// The same rule for the other sources: a blank partner variable
		// still decides MSAL's path, so it is incomplete, never IMDS.
		tcase{name: "blank IDENTITY_HEADER", env: merge(linuxNoise, atc("ManagedIdentityCredential"), map[string]string{"IDENTITY_ENDPOINT": "http://localhost:42356/msi/token", "IDENTITY_HEADER": " "}),
			want: want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, incomplete: []string{"managed-identity/app-service missing=IDENTITY_HEADER (set but blank)"}, warnings: []string{blank("IDENTITY_HEADER")}}},
		tcase{name: "blank IDENTITY_SERVER_THUMBPRINT", env: merge(serviceFabric, map[string]string{"IDENTITY_SERVER_THUMBPRINT": "\n"}),
			want: want{kind: None, incomplete: []string{"managed-identity/service-fabric missing=IDENTITY_SERVER_THUMBPRINT (set but blank)"}, warnings: []string{blank("IDENTITY_SERVER_THUMBPRINT")}}},
		tcase{name: "blank IMDS_ENDPOINT on Azure Arc", env: merge(arcServer, map[string]string{"IMDS_ENDPOINT": " "}), opts: probeOK(200, ""),
			want: want{kind: None, incomplete: []string{"managed-identity/azure-arc missing=IMDS_ENDPOINT (set but blank)"}, warnings: []string{blank("IMDS_ENDPOINT")}}},
		tcase{name: "blank IDENTITY_ENDPOINT next to the himds binary", env: merge(linuxNoise, map[string]string{"IDENTITY_ENDPOINT": " "}), fs: withHimds(),
			want: want{kind: None, incomplete: []string{"managed-identity/azure-arc missing=IDENTITY_ENDPOINT (set but blank)"}, warnings: []string{blank("IDENTITY_ENDPOINT")}}},
		// A blank value MSAL does not need leaves MSAL on IMDS, and detect too.
		tcase{name: "blank IDENTITY_HEADER alone is IMDS for MSAL too", env: merge(linuxNoise, map[string]string{"IDENTITY_HEADER": " "}), opts: probeOK(200, ""),
			want: want{kind: ManagedIdentity, source: IMDS, evidence: []string{"IMDS probe"}, warnings: []string{blank("IDENTITY_HEADER")}}},
	)
	runCases(t, cases)
}
