package detect

import (
	"slices"
	"strings"

	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/claims"
)

// workload checks Kubernetes workload identity: the webhook sets
// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE (and
// AZURE_AUTHORITY_HOST).
func (d *detector) workload() {
	if !d.has(vTokenFile) {
		return
	}
	data, problem := d.readFile(vTokenFile)
	if problem == "" {
		d.tokenInfo(data)
	}
	d.complete[slotWorkload] = d.entra(WorkloadIdentity, vTenantID, vClientID, []varID{vTokenFile}, problem,
		"workload identity needs AZURE_TENANT_ID, AZURE_CLIENT_ID and a readable AZURE_FEDERATED_TOKEN_FILE; on AKS the workload identity webhook sets them when the pod is labelled azure.workload.identity/use: \"true\" and its service account is annotated with azure.workload.identity/client-id")
}

// tokenInfo records the federated token's public claims and warns about
// the mistakes they reveal. The token itself is not kept.
func (d *detector) tokenInfo(data []byte) {
	c, err := claims.Parse(string(data))
	if err != nil {
		d.warn("AZURE_FEDERATED_TOKEN_FILE does not hold a usable token: " + err.Error() + "; Entra ID will reject it (AADSTS50027)")
		return
	}
	d.r.FederatedToken = &TokenInfo{Issuer: c.Issuer, Subject: c.Subject, Audience: c.Audience, Expiry: c.Expiry}
	if c.Expired(d.opts.now()) {
		d.warn("the token in AZURE_FEDERATED_TOKEN_FILE expired at " + c.Expiry.Format("2006-01-02T15:04:05Z07:00") + "; the kubelet refreshes a projected token, so a stale one means the file is a copy or the pod lost its projection (Entra ID answers AADSTS700024)")
	}
	if len(c.Audience) > 0 && !slices.Contains(c.Audience, autherrors.TokenExchangeAudience) {
		d.warn("the token in AZURE_FEDERATED_TOKEN_FILE has audience " + strings.Join(c.Audience, ", ") + ", not " + autherrors.TokenExchangeAudience + "; the federated identity credential must list the same audience")
	}
}

// github checks GitHub Actions OIDC. Jobs get ACTIONS_ID_TOKEN_REQUEST_URL
// and ACTIONS_ID_TOKEN_REQUEST_TOKEN only with `permissions: id-token:
// write`.
func (d *detector) github() {
	if !d.has(vActionsURL) && !d.has(vActionsToken) {
		if d.get(vGitHubActions) == "true" && d.has(vClientID) &&
			!d.has(vClientSecret) && !d.has(vCertPath) && !d.has(vTokenFile) {
			d.incomplete(GitHubActionsOIDC, "", d.names(vGitHubActions, vTenantID, vClientID),
				[]string{varNames[vActionsURL], varNames[vActionsToken]},
				"this is a GitHub Actions job with AZURE_CLIENT_ID but no OIDC request variables: GitHub sets them only for jobs with `permissions: id-token: write` (add it to the workflow or the job; pull requests from forks never get it)")
		}
		return
	}
	need := "GitHub Actions OIDC needs ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN (granted by `permissions: id-token: write`) plus AZURE_TENANT_ID and AZURE_CLIENT_ID of the app registration whose federated credential trusts this repository"
	d.complete[slotGitHub] = d.entra(GitHubActionsOIDC, vTenantID, vClientID, []varID{vActionsURL, vActionsToken}, "", need)
}

// pipelines checks Azure Pipelines OIDC (AzurePipelinesCredential).
func (d *detector) pipelines() {
	if !d.has(vSubConnectionID) && !d.has(vSubClientID) && !(d.has(vAccessToken) && d.has(vOIDCRequestURI)) {
		return
	}
	d.pipeTenant, d.pipeClient = vSubTenantID, vSubClientID
	if !d.has(vSubTenantID) && d.has(vTenantID) {
		d.pipeTenant = vTenantID
	}
	if !d.has(vSubClientID) && d.has(vClientID) {
		d.pipeClient = vClientID
	}
	need := "Azure Pipelines OIDC needs SYSTEM_OIDCREQUESTURI (set by the agent), SYSTEM_ACCESSTOKEN (map it in the step: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)) and AZURESUBSCRIPTION_TENANT_ID, AZURESUBSCRIPTION_CLIENT_ID, AZURESUBSCRIPTION_SERVICE_CONNECTION_ID (set by the AzureCLI@2 and AzurePowerShell@5 tasks for their service connection)"
	d.complete[slotPipelines] = d.entra(AzurePipelinesOIDC, d.pipeTenant, d.pipeClient,
		[]varID{vOIDCRequestURI, vAccessToken, vSubConnectionID}, "", need)
	if !d.complete[slotPipelines] {
		return
	}
	if v, _ := d.env.LookupEnv("servicePrincipalKey"); v != "" {
		d.warn("servicePrincipalKey is set, so the service connection uses a secret, not workload identity federation: Azure Pipelines OIDC will fail; convert the service connection to workload identity federation")
	} else if v, _ := d.env.LookupEnv("AZUREPS_HOST_ENVIRONMENT"); strings.HasPrefix(v, "ADO/AzurePowerShell") {
		d.warn("AzurePowerShell@5 sets AZURESUBSCRIPTION_* for secret-based service connections too: federation fails unless the service connection uses workload identity federation")
	}
}
