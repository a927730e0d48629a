package detect

import (
	"strings"
	"testing"
)

func with(base map[string]string, kv ...string) MapEnv {
	m := merge(base)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func TestDetectValidation(t *testing.T) {
	t.Parallel()
	// A secret pasted into AZURE_CLIENT_ID must not be echoed.
	const pastedSecret = "Q7~8Q~" + canary + "abcdefghij"
	noEcho := func(s string) func(*testing.T, *Result) {
		return func(t *testing.T, r *Result) {
			if strings.Contains(r.String(), s) {
				t.Errorf("report quotes %q:\n%s", s, r)
			}
		}
	}
	runCases(t, []tcase{
		{name: "tenant common", env: with(servicePrincipalSecret, "AZURE_TENANT_ID", "common"),
			want: want{kind: None, incomplete: []string{"service-principal-secret invalid=AZURE_TENANT_ID"}, errors: []string{"AZURE_TENANT_ID"}},
			check: func(t *testing.T, r *Result) {
				if !strings.Contains(r.Errors[0].Message, "multi-tenant alias") || r.Errors[0].Code != "invalid-configuration" {
					t.Errorf("error = %+v", r.Errors[0])
				}
			}},
		{name: "tenant Organizations for workload identity", env: with(aksWorkload, "AZURE_TENANT_ID", "Organizations"),
			want: want{kind: None, incomplete: []string{"workload-identity invalid=AZURE_TENANT_ID"}, errors: []string{"AZURE_TENANT_ID"}}},
		{name: "tenant consumers for GitHub OIDC", env: with(merge(githubRunner, githubOIDC), "AZURE_TENANT_ID", "consumers"),
			want: want{kind: None, incomplete: []string{"github-actions-oidc invalid=AZURE_TENANT_ID"}, errors: []string{"AZURE_TENANT_ID"}}},
		{name: "tenant as a verified domain", env: with(servicePrincipalSecret, "AZURE_TENANT_ID", "contoso.onmicrosoft.com"),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: "contoso.onmicrosoft.com", evidence: spEvidence}},
		{name: "tenant as a single label", env: with(servicePrincipalSecret, "AZURE_TENANT_ID", "contoso"),
			want: want{kind: None, incomplete: []string{"service-principal-secret invalid=AZURE_TENANT_ID"}, errors: []string{"AZURE_TENANT_ID"}}},
		{name: "client ID holds a pasted secret", env: with(servicePrincipalSecret, "AZURE_CLIENT_ID", pastedSecret),
			want:  want{kind: None, incomplete: []string{"service-principal-secret invalid=AZURE_CLIENT_ID"}, errors: []string{"AZURE_CLIENT_ID"}},
			check: noEcho(pastedSecret)},
		{name: "pipelines client ID malformed", env: with(merge(pipelinesAgent, pipelinesOIDC), "AZURESUBSCRIPTION_CLIENT_ID", "my-app"),
			want: want{kind: None, incomplete: []string{"azure-pipelines-oidc invalid=AZURESUBSCRIPTION_CLIENT_ID"}, errors: []string{"AZURESUBSCRIPTION_CLIENT_ID"}}},
		{name: "malformed user-assigned client ID on App Service", env: with(appServiceLinux, "AZURE_CLIENT_ID", "my-identity"),
			want: want{kind: None, incomplete: []string{"managed-identity/app-service invalid=AZURE_CLIENT_ID"}, errors: []string{"AZURE_CLIENT_ID"}}},
		{name: "malformed user-assigned client ID on IMDS", env: with(linuxNoise, "AZURE_CLIENT_ID", "my-identity"), opts: probeOK(200, ""),
			want: want{kind: None, incomplete: []string{"managed-identity/imds invalid=AZURE_CLIENT_ID"}, errors: []string{"AZURE_CLIENT_ID"}}},
		{name: "http authority host blocks Entra ID flows", env: with(servicePrincipalSecret, "AZURE_AUTHORITY_HOST", "http://login.microsoftonline.com"),
			want: want{kind: None, incomplete: []string{"service-principal-secret invalid=AZURE_AUTHORITY_HOST"}, errors: []string{"AZURE_AUTHORITY_HOST"}}},
		{name: "http authority host does not block a managed identity", env: with(appServiceLinux, "AZURE_AUTHORITY_HOST", "http://login.microsoftonline.com"),
			want: want{kind: ManagedIdentity, source: AppService, evidence: []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "WEBSITE_SITE_NAME"}, errors: []string{"AZURE_AUTHORITY_HOST"}}},
		{name: "authority host that is not a URL", env: with(servicePrincipalSecret, "AZURE_AUTHORITY_HOST", "login.microsoftonline.us"),
			want: want{kind: None, incomplete: []string{"service-principal-secret invalid=AZURE_AUTHORITY_HOST"}, errors: []string{"AZURE_AUTHORITY_HOST"}}},
		{name: "sovereign cloud authority host", env: with(servicePrincipalSecret, "AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us/"),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence},
			check: func(t *testing.T, r *Result) {
				if r.AuthorityHost != "https://login.microsoftonline.us/" {
					t.Errorf("authority = %q", r.AuthorityHost)
				}
			}},
		{name: "certificate file missing", env: with(servicePrincipalCert, "AZURE_CLIENT_CERTIFICATE_PATH", "/etc/ssl/private/missing.pem"),
			want: want{kind: None, incomplete: []string{"service-principal-certificate missing=file /etc/ssl/private/missing.pem named by AZURE_CLIENT_CERTIFICATE_PATH (it does not exist)"}}},
		{name: "certificate file unreadable", env: with(servicePrincipalCert, "AZURE_CLIENT_CERTIFICATE_PATH", "/tmp/unreadable"),
			want: want{kind: None, incomplete: []string{"service-principal-certificate (permission denied"}}},
		{name: "certificate path is a directory", env: with(servicePrincipalCert, "AZURE_CLIENT_CERTIFICATE_PATH", "/tmp/dir"),
			want: want{kind: None, incomplete: []string{"service-principal-certificate is a directory, not a regular file: point it at the PEM or PKCS#12"}}},
		{name: "workload identity token file missing", env: with(aksWorkload, "AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/nope"),
			want: want{kind: None, incomplete: []string{"workload-identity missing=file /var/run/secrets/azure/tokens/nope"}}},
		{name: "secret without a tenant", env: merge(map[string]string{"AZURE_CLIENT_ID": client, "AZURE_CLIENT_SECRET": canary}),
			want: want{kind: None, incomplete: []string{"service-principal-secret missing=AZURE_TENANT_ID;"}}},
		{name: "secret that a CI secret left empty", env: with(servicePrincipalSecret, "AZURE_CLIENT_SECRET", ""),
			want: want{kind: None, incomplete: []string{"service-principal-secret missing=AZURE_CLIENT_SECRET (set but empty)"}}},
		{name: "whitespace-only secret counts as unset", env: with(servicePrincipalSecret, "AZURE_CLIENT_SECRET", " \n"),
			want: want{kind: None, incomplete: []string{"service-principal-secret missing=AZURE_CLIENT_SECRET (set but empty)"},
				warnings: []string{"AZURE_CLIENT_SECRET is set but blank; it counts as unset"}}},
		{name: "trailing newlines from a Kubernetes secret are trimmed", env: with(servicePrincipalSecret, "AZURE_CLIENT_ID", client+"\n", "AZURE_CLIENT_SECRET", canary+"\r\n"),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence,
				warnings: []string{"AZURE_CLIENT_ID has surrounding whitespace", "AZURE_CLIENT_SECRET has surrounding whitespace"}},
			check: func(t *testing.T, r *Result) {
				if r.secrets.ClientSecret.Reveal() != canary {
					t.Error("the secret was not trimmed")
				}
			}},
		{name: "lower-case look-alikes do not count", env: merge(linuxNoise, map[string]string{"azure_client_id": client, "azure_tenant_id": tenant, "azure_client_secret": canary}),
			want: want{kind: None, warnings: []string{"azure_tenant_id is set but does not count", "azure_client_id", "azure_client_secret"}}},
		{name: "Terraform's ARM_* variables are named, not read", env: merge(linuxNoise, map[string]string{"ARM_CLIENT_ID": client, "ARM_TENANT_ID": tenant, "ARM_CLIENT_SECRET": canary, "ARM_SUBSCRIPTION_ID": "x"}),
			want: want{kind: None, warnings: []string{"ARM_TENANT_ID (read by Terraform) is set but autoidentity does not read it; set AZURE_TENANT_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET"}}},
		{name: "ARM_* next to AZURE_* is not worth a warning", env: merge(servicePrincipalSecret, map[string]string{"ARM_CLIENT_ID": client}),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence}},
		{name: "AzureCLI task addSpnToEnvironment variables", env: merge(pipelinesAgent, map[string]string{"servicePrincipalId": client, "servicePrincipalKey": canary, "tenantId": tenant}),
			want: want{kind: None, warnings: []string{"servicePrincipalId (read by the AzureCLI task", "servicePrincipalKey", "tenantId"}}},
		{name: "GitHub job without id-token: write", env: merge(githubRunner, map[string]string{"AZURE_CLIENT_ID": client, "AZURE_TENANT_ID": tenant}),
			want: want{kind: None, incomplete: []string{"github-actions-oidc missing=ACTIONS_ID_TOKEN_REQUEST_URL,ACTIONS_ID_TOKEN_REQUEST_TOKEN"}},
			check: func(t *testing.T, r *Result) {
				if !strings.Contains(r.Incomplete[0].Reason, "permissions: id-token: write") {
					t.Errorf("reason = %s", r.Incomplete[0].Reason)
				}
			}},
		{name: "GitHub OIDC without the app's IDs", env: merge(githubRunner, map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": githubOIDC["ACTIONS_ID_TOKEN_REQUEST_URL"], "ACTIONS_ID_TOKEN_REQUEST_TOKEN": canary}),
			want: want{kind: None, incomplete: []string{"github-actions-oidc missing=AZURE_TENANT_ID,AZURE_CLIENT_ID;"}}},
		{name: "GitHub OIDC with IDs from missing repository secrets", env: merge(githubRunner, githubOIDC, map[string]string{"AZURE_CLIENT_ID": ""}),
			want: want{kind: None, incomplete: []string{"github-actions-oidc missing=AZURE_CLIENT_ID (set but empty)"}}},
		{name: "Pipelines without SYSTEM_ACCESSTOKEN mapped", env: with(merge(pipelinesAgent, pipelinesOIDC), "SYSTEM_ACCESSTOKEN", ""),
			want: want{kind: None, incomplete: []string{"azure-pipelines-oidc missing=SYSTEM_ACCESSTOKEN (set but empty)"}},
			check: func(t *testing.T, r *Result) {
				if !strings.Contains(r.Incomplete[0].Reason, "$(System.AccessToken)") {
					t.Errorf("reason = %s", r.Incomplete[0].Reason)
				}
			}},
		{name: "Pipelines falls back to AZURE_* IDs", env: merge(pipelinesAgent, map[string]string{"SYSTEM_ACCESSTOKEN": canary, "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": serviceCon, "AZURE_CLIENT_ID": client, "AZURE_TENANT_ID": tenant}),
			want: want{kind: AzurePipelinesOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_ID"}}},
		{name: "Pipelines AzurePowerShell@5 may carry a secret-based connection", env: merge(pipelinesAgent, pipelinesOIDC, map[string]string{"AZUREPS_HOST_ENVIRONMENT": "ADO/AzurePowerShell@v5_Linux_Azure Pipelines 3_ci_1234__"}),
			want: want{kind: AzurePipelinesOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "AZURESUBSCRIPTION_TENANT_ID", "AZURESUBSCRIPTION_CLIENT_ID"},
				warnings: []string{"AzurePowerShell@5 sets AZURESUBSCRIPTION_*"}}},
		{name: "Pipelines with a secret-based connection", env: merge(pipelinesAgent, pipelinesOIDC, map[string]string{"servicePrincipalId": client, "servicePrincipalKey": canary, "tenantId": tenant}),
			want: want{kind: AzurePipelinesOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "AZURESUBSCRIPTION_TENANT_ID", "AZURESUBSCRIPTION_CLIENT_ID"},
				warnings: []string{"servicePrincipalId", "servicePrincipalKey (read by", "tenantId", "servicePrincipalKey is set, so the service connection uses a secret"}}},
		// MSAL takes MSI_ENDPOINT without MSI_SECRET for Cloud Shell whatever
		// else is set, so it is refused, not reported as a half App Service.
		{name: "App Service MSI_ENDPOINT without MSI_SECRET is Cloud Shell's protocol", env: merge(map[string]string{"WEBSITE_SITE_NAME": "x", "MSI_ENDPOINT": "http://127.0.0.1:41056/MSI/token/"}),
			want: want{kind: None, refused: []string{"managed-identity/cloud-shell:user-identity-refused"}},
			check: func(t *testing.T, r *Result) {
				if !strings.Contains(r.Refused[0].Reason, "next to WEBSITE_SITE_NAME") {
					t.Errorf("reason = %s", r.Refused[0].Reason)
				}
			}},
		{name: "IDENTITY_ENDPOINT alone", env: merge(linuxNoise, map[string]string{"IDENTITY_ENDPOINT": "http://localhost:40342/metadata/identity/oauth2/token"}),
			want: want{kind: None, incomplete: []string{"managed-identity missing=IDENTITY_HEADER (App Service, Functions, Container Apps) or IMDS_ENDPOINT (Azure Arc)"}}},
		{name: "IDENTITY_HEADER alone", env: merge(linuxNoise, map[string]string{"IDENTITY_HEADER": canary}),
			want: want{kind: None, incomplete: []string{"managed-identity missing=IDENTITY_ENDPOINT"}}},
		{name: "IMDS probe without an answer", env: merge(linuxNoise), opts: func(o *Options) {
			o.Probe = &Probe{Endpoint: IMDSEndpoint, Error: "no answer within 1s", Latency: 1e9}
		}, want: want{kind: None, incomplete: []string{"managed-identity/imds missing=an answer from IMDS"}},
			check: func(t *testing.T, r *Result) {
				if r.Probe == nil || r.Probe.Error == "" || strings.Contains(r.String(), "hint:") {
					t.Errorf("probe = %+v, report:\n%s", r.Probe, r)
				}
			}},
		{name: "Kubernetes without workload identity", env: merge(linuxNoise, aksNode),
			want: want{kind: None, warnings: []string{"KUBERNETES_SERVICE_HOST is set but workload identity is not configured"}}},
		{name: "expired federated token", env: with(aksWorkload, "AZURE_FEDERATED_TOKEN_FILE", "/tmp/expired-token"),
			want: want{kind: WorkloadIdentity, clientID: client, tenantID: tenant, evidence: []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"},
				warnings: []string{"expired at 2025-06-01T11:59:00Z"}}},
		{name: "federated token for the wrong audience", env: with(aksWorkload, "AZURE_FEDERATED_TOKEN_FILE", "/tmp/wrong-audience"),
			want: want{kind: WorkloadIdentity, clientID: client, tenantID: tenant, evidence: []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"},
				warnings: []string{"has audience https://kubernetes.default.svc, not api://AzureADTokenExchange"}}},
		{name: "token file that is not a JWT", env: with(aksWorkload, "AZURE_FEDERATED_TOKEN_FILE", "/tmp/not-a-jwt"),
			want: want{kind: WorkloadIdentity, clientID: client, tenantID: tenant, evidence: []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"},
				warnings: []string{"does not hold a usable token: claims: not a JWT"}}},
		{name: "send certificate chain spelled yes", env: with(servicePrincipalCert, "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", "yes"),
			want: want{kind: ServicePrincipalCertificate, clientID: client, tenantID: tenant,
				evidence: []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"},
				warnings: []string{"AZURE_CLIENT_SEND_CERTIFICATE_CHAIN is neither"}}},
		{name: "certificate password without a path", env: merge(servicePrincipalSecret, map[string]string{"AZURE_CLIENT_CERTIFICATE_PASSWORD": canary}),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence, warnings: []string{"AZURE_CLIENT_CERTIFICATE_PASSWORD is set without"}}},
		{name: "additionally allowed tenants", env: with(servicePrincipalSecret, "AZURE_ADDITIONALLY_ALLOWED_TENANTS", uami+"; fabrikam.com;;*;not a tenant"),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence, warnings: []string{"AZURE_ADDITIONALLY_ALLOWED_TENANTS has an entry"}},
			check: func(t *testing.T, r *Result) {
				if got := strings.Join(r.AdditionallyAllowedTenants, "|"); got != uami+"|fabrikam.com|*|not a tenant" {
					t.Errorf("tenants = %s", got)
				}
			}},
		{name: "unknown AZURE_TOKEN_CREDENTIALS", env: merge(servicePrincipalSecret, atc("ServicePrincipal")),
			want: want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, errors: []string{"AZURE_TOKEN_CREDENTIALS"}, skipped: []string{"service-principal-secret"}},
			check: func(t *testing.T, r *Result) {
				if m := r.Errors[0].Message; !strings.Contains(m, `"ServicePrincipal"`) || !strings.Contains(m, "ManagedIdentityCredential") {
					t.Errorf("message = %s", m)
				}
			}},
		{name: "unknown Options.Kind", env: merge(servicePrincipalSecret), opts: func(o *Options) { o.Kind = userPassword },
			want: want{kind: None, evidence: []string{"Options.Kind"}, errors: []string{"Options.Kind"}, skipped: []string{"service-principal-secret"}}},
		{name: "tenant and client without a credential", env: merge(linuxNoise, map[string]string{"AZURE_CLIENT_ID": client, "AZURE_TENANT_ID": tenant}),
			want: want{kind: None, incomplete: []string{"service-principal-secret missing=AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE"}}},
	})
}
