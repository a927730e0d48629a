package detect

import (
	"strconv"
	"strings"

	"github.com/autoidentity/autoidentity/internal/secret"
)

// fill writes the winner's selection, and the values construction needs
// beside it (see package internal/secret).
func (d *detector) fill(s slot) {
	r := d.r
	r.Kind = slotKinds[s]
	v := &secret.Values{}
	r.secrets = v
	for _, id := range [...]varID{vClientSecret, vCertPassword, vPassword, vActionsToken, vAccessToken, vIdentityHeader, vMSISecret} {
		if d.has(id) {
			v.Redact = append(v.Redact, secret.New(d.get(id)))
		}
	}
	switch s {
	case slotSecret:
		d.evidence(vTenantID, vClientID, vClientSecret)
		r.TenantID, r.ClientID = d.get(vTenantID), d.get(vClientID)
		v.ClientSecret = secret.New(d.get(vClientSecret))
	case slotCertificate:
		d.evidence(vTenantID, vClientID, vCertPath, vCertPassword, vSendCertChain)
		r.TenantID, r.ClientID = d.get(vTenantID), d.get(vClientID)
		r.CertificatePath = d.get(vCertPath)
		v.CertificatePassword = secret.New(d.get(vCertPassword))
		if d.cert != nil {
			v.Certificate, v.Key = d.cert.Chain, d.cert.Key
		}
		r.SendCertificateChain = d.sendChain()
	case slotWorkload:
		d.evidence(vTenantID, vClientID, vTokenFile)
		r.TenantID, r.ClientID = d.get(vTenantID), d.get(vClientID)
		r.TokenFile = d.get(vTokenFile)
	case slotGitHub:
		d.evidence(vGitHubActions, vActionsURL, vActionsToken, vTenantID, vClientID)
		r.TenantID, r.ClientID = d.get(vTenantID), d.get(vClientID)
		r.OIDCRequestURL, v.RequestURL = reportURL(d.get(vActionsURL)), d.get(vActionsURL)
		v.RequestToken = secret.New(d.get(vActionsToken))
	case slotPipelines:
		d.evidence(vOIDCRequestURI, vAccessToken, vSubConnectionID, d.pipeTenant, d.pipeClient)
		r.TenantID, r.ClientID = d.get(d.pipeTenant), d.get(d.pipeClient)
		r.OIDCRequestURL, v.RequestURL = reportURL(d.get(vOIDCRequestURI)), d.get(vOIDCRequestURI)
		v.RequestToken = secret.New(d.get(vAccessToken))
		r.ServiceConnectionID = d.get(vSubConnectionID)
	case slotManaged:
		d.fillManaged()
	case slotIMDS:
		r.Source = IMDS
		if p := d.opts.Probe; p != nil && p.OK {
			r.Evidence = append(r.Evidence, "IMDS probe")
			if p.Status >= 400 {
				msg := "IMDS answered the probe with HTTP " + strconv.Itoa(p.Status)
				if p.Detail != "" {
					msg += " (" + p.Detail + ")"
				}
				d.warn(msg + ": the endpoint is there, but this machine may have no managed identity assigned (or not the one AZURE_CLIENT_ID names)")
			}
		}
		if d.vmEvidence != "" {
			r.Evidence, r.Unconfirmed = append(r.Evidence, d.vmEvidence), true
			d.warn("the managed identity is not confirmed yet: nothing configures one, but this looks like an Azure VM, so the first token request asks IMDS; a VM without an assigned identity answers \"Identity not found\" (managed-identity-not-found), and no answer within " + DefaultProbeTimeout.String() + " is managed-identity-unavailable")
		}
		d.userAssigned()
		if d.has(vKubernetes) {
			d.warn("KUBERNETES_SERVICE_HOST is set: IMDS in a pod serves the node's managed identity (the kubelet identity), shared by every pod on the node; use workload identity for a per-application identity")
		}
	case slotDeveloper:
		r.DeveloperTools = d.devTools
		if d.why == "" {
			r.Evidence = append(r.Evidence, "Options.AllowDeveloperTools")
		}
		d.warn("developer tools sign in as the user who logged in to them: fine on a developer machine, but unattended automation fails when Entra ID requires MFA")
	}
}

func (d *detector) fillManaged() {
	r := d.r
	r.Source = d.source
	switch d.source {
	case ServiceFabric:
		d.evidence(vIdentityEndpoint, vIdentityHeader, vThumbprint)
		r.Endpoint = reportURL(d.get(vIdentityEndpoint))
		d.systemOnly("Service Fabric serves the identity the cluster's application manifest assigns")
	case AppService:
		// Only IDENTITY_ENDPOINT with IDENTITY_HEADER is App Service's
		// protocol for MSAL; MSI_ENDPOINT with MSI_SECRET is Azure ML's.
		d.evidence(vIdentityEndpoint, vIdentityHeader)
		r.Endpoint = reportURL(d.get(vIdentityEndpoint))
		if m := d.appServiceMarker(); m != "" {
			r.Evidence = append(r.Evidence, m)
		}
		d.userAssigned()
	case AzureML:
		d.evidence(vMSIEndpoint, vMSISecret, vDefaultClientID)
		r.Endpoint = reportURL(d.get(vMSIEndpoint))
		if !d.userAssigned() {
			// The platform's own client ID: MSAL sends it as clientid.
			r.ClientID = d.get(vDefaultClientID)
		}
	case AzureArc:
		// Found by the two variables or by the himds binary, MSAL sends
		// the request to IDENTITY_ENDPOINT whenever it is set, and to the
		// agent's default endpoint only when it is not.
		if d.has(vIdentityEndpoint) && d.has(vIMDSEndpoint) {
			d.evidence(vIdentityEndpoint, vIMDSEndpoint)
		} else {
			r.Evidence = append(r.Evidence, d.himds())
			d.evidence(vIdentityEndpoint)
		}
		r.Endpoint = arcEndpoint
		if d.has(vIdentityEndpoint) {
			r.Endpoint = reportURL(d.get(vIdentityEndpoint))
		}
		d.systemOnly("an Azure Arc server is represented by its system-assigned identity")
	}
}

// userAssigned reports the user-assigned identity azidentity will ask for:
// Options.ManagedIdentityID, else AZURE_CLIENT_ID as a client ID, as
// azidentity's DefaultAzureCredential takes it.
func (d *detector) userAssigned() bool {
	if d.explicitIdentity() {
		return true
	}
	if !d.has(vClientID) || !d.valid(vClientID) {
		return false
	}
	d.evidence(vClientID)
	d.r.ClientID = d.get(vClientID)
	return true
}

// systemOnly warns that AZURE_CLIENT_ID is ignored where only a system
// identity is served.
func (d *detector) systemOnly(why string) {
	if d.has(vClientID) {
		d.warn("AZURE_CLIENT_ID is ignored: " + why + ", so a user-assigned identity cannot be chosen; unset it to silence this warning")
	}
}

// sendChain parses AZURE_CLIENT_SEND_CERTIFICATE_CHAIN as azidentity does:
// "1" or "true" (any case).
func (d *detector) sendChain() bool {
	v := d.get(vSendCertChain)
	switch {
	case v == "":
		return false
	case v == "1" || strings.EqualFold(v, "true"):
		return true
	case v == "0" || strings.EqualFold(v, "false"):
		return false
	}
	d.warn("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN is neither 1, 0, true nor false; it counts as false")
	return false
}

// notes adds the advice that depends on the outcome.
func (d *detector) notes() {
	if d.opts.ManagedIdentityID.isSet() && d.r.Kind != ManagedIdentity && d.r.Kind != None {
		d.warn(optionManagedIdentityID + " is ignored: it names a managed identity, but " + string(d.r.Kind) + " was selected")
	}
	if d.r.Kind != None {
		return
	}
	if len(d.r.Incomplete) == 0 && len(d.r.Skipped) == 0 && d.has(vTenantID) && d.has(vClientID) {
		d.incomplete(ServicePrincipalSecret, "", d.names(vTenantID, vClientID),
			[]string{"AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE"},
			"AZURE_TENANT_ID and AZURE_CLIENT_ID are set but no credential: add a secret or a certificate (service principal) or a federated token file (workload identity); on an Azure VM, probe IMDS to use its managed identity")
	}
	if len(d.r.Errors)+len(d.r.Refused)+len(d.r.Incomplete) == 0 && d.r.CI == "" && !d.opts.AllowDeveloperTools {
		d.r.LocalTools = d.localTools()
	}
	if d.has(vKubernetes) && !d.has(vTokenFile) && !d.announced {
		d.warn("KUBERNETES_SERVICE_HOST is set but workload identity is not configured: label the pod azure.workload.identity/use: \"true\" and annotate its service account with azure.workload.identity/client-id, so the webhook sets AZURE_FEDERATED_TOKEN_FILE")
	}
}
