package detect

import (
	"strings"
	"testing"
)

func atc(v string) map[string]string { return map[string]string{"AZURE_TOKEN_CREDENTIALS": v} }

func TestDetectPrecedence(t *testing.T) {
	t.Parallel()
	runCases(t, []tcase{
		{name: "secret wins over certificate, with a warning", env: merge(linuxNoise, servicePrincipalCert, servicePrincipalSecret),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence,
				skipped: []string{"service-principal-certificate"}, warnings: []string{"the secret wins"}},
			check: func(t *testing.T, r *Result) {
				if !strings.Contains(r.Skipped[0].Reason, "AZURE_CLIENT_SECRET is also set") || r.CertificatePath != "" {
					t.Errorf("skipped = %+v, certificate path %q", r.Skipped, r.CertificatePath)
				}
			}},
		{name: "service principal over workload identity", env: merge(aksWorkload, map[string]string{"AZURE_CLIENT_SECRET": canary}),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence, skipped: []string{"workload-identity"}}},
		{name: "service principal in App Service settings over the app's identity", env: merge(appServiceLinux, servicePrincipalSecret),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence, skipped: []string{"managed-identity/app-service"}}},
		{name: "service principal secret over GitHub OIDC in the same job", env: merge(githubRunner, githubOIDC, map[string]string{"AZURE_CLIENT_SECRET": canary}),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence, skipped: []string{"github-actions-oidc"}}},
		{name: "workload identity over IMDS in a pod", env: merge(linuxNoise, aksWorkload), opts: probeOK(200, ""),
			want: want{kind: WorkloadIdentity, clientID: client, tenantID: tenant, evidence: []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"},
				skipped: []string{"managed-identity/imds"}}},
		{name: "GitHub OIDC over IMDS on a self-hosted Azure runner", env: merge(githubRunner, githubOIDC), opts: probeOK(200, ""),
			want: want{kind: GitHubActionsOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"GITHUB_ACTIONS", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AZURE_TENANT_ID", "AZURE_CLIENT_ID"},
				skipped:  []string{"managed-identity/imds"}}},
		{name: "Azure Pipelines OIDC over the agent VM's IMDS", env: merge(pipelinesAgent, pipelinesOIDC), opts: probeOK(200, ""),
			want: want{kind: AzurePipelinesOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "AZURESUBSCRIPTION_TENANT_ID", "AZURESUBSCRIPTION_CLIENT_ID"},
				skipped:  []string{"managed-identity/imds"}}},
		{name: "an announced endpoint beats a probe: MSAL never falls back to IMDS", env: merge(appServiceLinux), opts: probeOK(200, ""),
			want: want{kind: ManagedIdentity, source: AppService, evidence: []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "WEBSITE_SITE_NAME"}}},
		{name: "ManagedIdentityCredential excludes a service principal", env: merge(appServiceLinux, servicePrincipalSecret, atc("ManagedIdentityCredential")),
			want: want{kind: ManagedIdentity, source: AppService, clientID: client,
				evidence: []string{"AZURE_TOKEN_CREDENTIALS", "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "WEBSITE_SITE_NAME", "AZURE_CLIENT_ID"},
				skipped:  []string{"service-principal-secret"}},
			check: func(t *testing.T, r *Result) {
				if r.Skipped[0].Reason != "excluded by AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential" {
					t.Errorf("reason = %q", r.Skipped[0].Reason)
				}
			}},
		{name: "credential names are case-insensitive", env: merge(linuxNoise, atc("managedidentitycredential")),
			want: want{kind: ManagedIdentity, source: IMDS, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}}},
		{name: "WorkloadIdentityCredential excludes the secret", env: merge(aksWorkload, map[string]string{"AZURE_CLIENT_SECRET": canary}, atc("WorkloadIdentityCredential")),
			want: want{kind: WorkloadIdentity, clientID: client, tenantID: tenant,
				evidence: []string{"AZURE_TOKEN_CREDENTIALS", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"}, skipped: []string{"service-principal-secret"}}},
		{name: "EnvironmentCredential with only GitHub OIDC selects nothing", env: merge(githubRunner, githubOIDC, atc("EnvironmentCredential")),
			want: want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, skipped: []string{"github-actions-oidc"},
				incomplete: []string{"service-principal-secret missing=AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH"}}},
		{name: "AzurePipelinesCredential", env: merge(pipelinesAgent, pipelinesOIDC, servicePrincipalSecret, atc("AzurePipelinesCredential")),
			want: want{kind: AzurePipelinesOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"AZURE_TOKEN_CREDENTIALS", "SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "AZURESUBSCRIPTION_TENANT_ID", "AZURESUBSCRIPTION_CLIENT_ID"},
				skipped:  []string{"service-principal-secret"}}},
		{name: "prod keeps the production chain", env: merge(linuxNoise, servicePrincipalSecret, atc("prod")),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: append([]string{"AZURE_TOKEN_CREDENTIALS"}, spEvidence...)}},
		{name: "prod excludes opted-in developer tools", env: merge(linuxNoise, atc("prod")), opts: func(o *Options) { o.AllowDeveloperTools = true },
			want: want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, skipped: []string{"developer-tool"}}},
		{name: "PROD works but azidentity wants lower case", env: merge(linuxNoise, servicePrincipalSecret, atc("PROD")),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: append([]string{"AZURE_TOKEN_CREDENTIALS"}, spEvidence...),
				warnings: []string{`accepts only "prod"`}}},
		{name: "empty AZURE_TOKEN_CREDENTIALS counts as unset", env: merge(linuxNoise, servicePrincipalSecret, atc("")),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence}},
		{name: "Options.Kind overrides AZURE_TOKEN_CREDENTIALS", env: merge(aksWorkload, servicePrincipalSecret, atc("WorkloadIdentityCredential")),
			opts: func(o *Options) { o.Kind = ServicePrincipalSecret },
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: append([]string{"Options.Kind"}, spEvidence...),
				skipped: []string{"workload-identity"}, warnings: []string{"Options.Kind=service-principal-secret overrides AZURE_TOKEN_CREDENTIALS=WorkloadIdentityCredential"}}},
		{name: "Options.Kind selects the certificate over the secret", env: merge(servicePrincipalCert, servicePrincipalSecret),
			opts: func(o *Options) { o.Kind = ServicePrincipalCertificate },
			want: want{kind: ServicePrincipalCertificate, clientID: client, tenantID: tenant,
				evidence: []string{"Options.Kind", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"},
				skipped:  []string{"service-principal-secret"}, warnings: []string{"the secret wins"}}},
		{name: "Options.Kind GitHub", env: merge(githubRunner, githubOIDC), opts: func(o *Options) { o.Kind = GitHubActionsOIDC },
			want: want{kind: GitHubActionsOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"Options.Kind", "GITHUB_ACTIONS", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AZURE_TENANT_ID", "AZURE_CLIENT_ID"}}},
	})
}

func TestDetectRefusals(t *testing.T) {
	t.Parallel()
	const ropc = "user-password:user-identity-refused"
	runCases(t, []tcase{
		{name: "ROPC next to a service principal is refused, the principal used", env: merge(servicePrincipalSecret, map[string]string{"AZURE_USERNAME": "alice@contoso.com", "AZURE_PASSWORD": canary}),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence, refused: []string{ropc}}},
		{name: "AZURE_PASSWORD alone", env: merge(linuxNoise, map[string]string{"AZURE_PASSWORD": canary}),
			want: want{kind: None, refused: []string{ropc}},
			check: func(t *testing.T, r *Result) {
				if v := r.Refused[0].Variables; len(v) != 1 || v[0] != "AZURE_PASSWORD" || r.Refused[0].Remedy == "" {
					t.Errorf("refused = %+v", r.Refused[0])
				}
			}},
		{name: "AZURE_USERNAME alone", env: merge(linuxNoise, map[string]string{"AZURE_USERNAME": "alice@contoso.com"}),
			want: want{kind: None, refused: []string{ropc}}},
		{name: "Cloud Shell serves the user", env: merge(cloudShell),
			want: want{kind: None, refused: []string{"managed-identity/cloud-shell:user-identity-refused"}},
			check: func(t *testing.T, r *Result) {
				if v := strings.Join(r.Refused[0].Variables, ","); v != "MSI_ENDPOINT,ACC_CLOUD,AZUREPS_HOST_ENVIRONMENT" {
					t.Errorf("variables = %s", v)
				}
			}},
		{name: "Cloud Shell is refused even when a probe answered", env: merge(cloudShell), opts: probeOK(200, ""),
			want: want{kind: None, refused: []string{"managed-identity/cloud-shell:user-identity-refused"}}},
		{name: "Azure ML compute instance without a managed identity", env: merge(linuxNoise, azureMLInstance),
			want: want{kind: None, refused: []string{"managed-identity/azure-ml:user-identity-refused"}},
			check: func(t *testing.T, r *Result) {
				if !strings.Contains(r.Refused[0].Reason, `"clientid", not a GUID`) {
					t.Errorf("reason = %s", r.Refused[0].Reason)
				}
			}},
		{name: "Azure ML without DEFAULT_IDENTITY_CLIENT_ID", env: merge(map[string]string{"MSI_ENDPOINT": "http://127.0.0.1:46808/MSI/auth", "MSI_SECRET": canary}),
			want: want{kind: None, refused: []string{"managed-identity/azure-ml:user-identity-refused"}}},
		{name: "Azure ML compute instance with a user-assigned AZURE_CLIENT_ID", env: merge(azureMLInstance, map[string]string{"AZURE_CLIENT_ID": uami}),
			want: want{kind: ManagedIdentity, source: AzureML, clientID: uami, evidence: []string{"MSI_ENDPOINT", "MSI_SECRET", "DEFAULT_IDENTITY_CLIENT_ID", "AZURE_CLIENT_ID"}}},
		{name: "dev without opt-in", env: merge(linuxNoise, servicePrincipalSecret, atc("dev")),
			want: want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, refused: []string{"developer-tool:developer-credential-refused"}, skipped: []string{"service-principal-secret"}}},
		{name: "AzurePowerShellCredential without opt-in", env: merge(linuxNoise, atc("AzurePowerShellCredential")),
			want: want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, refused: []string{"developer-tool:developer-credential-refused"}},
			check: func(t *testing.T, r *Result) {
				if !strings.Contains(r.Refused[0].Reason, "selects AzurePowerShellCredential") {
					t.Errorf("reason = %s", r.Refused[0].Reason)
				}
			}},
		{name: "AzureDeveloperCLICredential without opt-in", env: merge(linuxNoise, atc("AzureDeveloperCLICredential")),
			want: want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, refused: []string{"developer-tool:developer-credential-refused"}}},
		{name: "Options.Kind developer tool without opt-in", env: merge(linuxNoise), opts: func(o *Options) { o.Kind = DeveloperTool },
			want: want{kind: None, evidence: []string{"Options.Kind"}, refused: []string{"developer-tool:developer-credential-refused"}}},
		{name: "dev with opt-in", env: merge(linuxNoise, atc("dev")), opts: func(o *Options) { o.AllowDeveloperTools = true },
			want: want{kind: DeveloperTool, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, warnings: []string{"developer tools"}}},
	})
}
