package detect

import (
	"strings"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// Where MSAL looks for the Azure Arc agent when the variables are missing
// (a service started by systemd does not inherit them).
const (
	himdsLinux   = "/opt/azcmagent/bin/himds"
	himdsWindows = `\AzureConnectedMachineAgent\himds.exe` // under %ProgramData%
	// arcEndpoint is the Arc agent's local endpoint, which MSAL uses when
	// IDENTITY_ENDPOINT is not set.
	arcEndpoint = "http://127.0.0.1:40342/metadata/identity/oauth2/token"
)

// appServiceMarkers are variables App Service, Functions, Container Apps and
// Azure Automation set next to their managed identity endpoint; Azure ML and
// Cloud Shell set none of them.
var appServiceMarkers = [...]string{
	"WEBSITE_SITE_NAME", "WEBSITE_INSTANCE_ID", "FUNCTIONS_EXTENSION_VERSION",
	"FUNCTIONS_WORKER_RUNTIME", "CONTAINER_APP_NAME", "CONTAINER_APP_JOB_NAME",
	"AUTOMATION_ASSET_ACCOUNTID",
}

// managed finds the managed identity endpoint the environment announces, in
// the order MSAL's GetSource checks: Service Fabric, App Service, Azure ML
// (or Cloud Shell), Azure Arc.
func (d *detector) managed() {
	ie, ih := d.has(vIdentityEndpoint), d.has(vIdentityHeader)
	switch {
	case ie && ih && d.has(vThumbprint):
		d.announce(ServiceFabric)
	case ie && ih:
		d.announce(AppService)
	case d.has(vMSIEndpoint) && d.has(vMSISecret):
		if d.appServiceMarker() != "" {
			// Older Functions plans set only the MSI_* pair.
			d.announce(AppService)
		} else {
			d.azureML()
		}
	case d.has(vMSIEndpoint):
		if m := d.appServiceMarker(); m != "" {
			d.incomplete(ManagedIdentity, AppService, d.names(vMSIEndpoint), []string{d.missing(vMSISecret)},
				"MSI_ENDPOINT is set without MSI_SECRET next to "+m+": the App Service identity endpoint is half configured; do not set or override these variables yourself, enable the identity on the resource")
		} else {
			d.cloudShell()
		}
	case ie && d.has(vIMDSEndpoint):
		d.announce(AzureArc)
	case d.himds() != "":
		d.announce(AzureArc)
	case ie:
		d.incomplete(ManagedIdentity, "", d.names(vIdentityEndpoint), []string{d.missing(vIdentityHeader) + " (App Service, Functions, Container Apps) or " + d.missing(vIMDSEndpoint) + " (Azure Arc)"},
			"IDENTITY_ENDPOINT alone announces no managed identity endpoint; the platform sets it together with its partner variable, so it was probably copied from another environment")
	case ih:
		d.incomplete(ManagedIdentity, "", d.names(vIdentityHeader), []string{d.missing(vIdentityEndpoint)},
			"IDENTITY_HEADER is set without IDENTITY_ENDPOINT")
	}
}

// announce records a managed identity endpoint that can be used, unless
// AZURE_CLIENT_ID (a user-assigned identity where the source supports one)
// is malformed.
func (d *detector) announce(s Source) {
	d.source, d.announced = s, true
	if d.has(vClientID) && (s == AppService || s == AzureML) && !d.valid(vClientID) {
		d.r.Incomplete = append(d.r.Incomplete, Incomplete{Kind: ManagedIdentity, Source: s, Present: []string{varNames[vClientID]},
			Missing: []string{}, Invalid: []string{varNames[vClientID]},
			Reason: "AZURE_CLIENT_ID names the user-assigned identity and must be its client ID GUID (see errors); unset it to use the system-assigned identity"})
		return
	}
	d.complete[slotManaged] = true
}

func (d *detector) appServiceMarker() string {
	for _, m := range appServiceMarkers {
		if v, ok := d.env.LookupEnv(m); ok && strings.TrimSpace(v) != "" {
			return m
		}
	}
	return ""
}

// himds returns the Azure Arc agent's path if it exists.
func (d *detector) himds() string {
	var path string
	switch d.opts.goos {
	case "linux":
		path = himdsLinux
	case "windows":
		pd, _ := d.env.LookupEnv("ProgramData")
		if pd == "" {
			return ""
		}
		path = pd + himdsWindows
	default:
		return ""
	}
	if _, err := d.opts.FS.Stat(path); err != nil {
		return ""
	}
	return path
}

// azureML accepts an Azure ML endpoint only with a managed identity client
// ID: without one (DEFAULT_IDENTITY_CLIENT_ID is the literal "clientid" on
// a compute instance with no managed identity) the endpoint returns the
// signed-in user's token.
func (d *detector) azureML() {
	dc := d.get(vDefaultClientID)
	if isGUID(dc) || (d.has(vClientID) && isGUID(d.get(vClientID))) {
		d.announce(AzureML)
		return
	}
	d.source, d.announced = AzureML, true
	what := "unset"
	if dc != "" {
		what = quote(dc) + ", not a GUID"
	}
	d.refuse(Refused{
		Kind: ManagedIdentity, Source: AzureML, Code: autherrors.ErrUserIdentityRefused,
		Reason: "MSI_ENDPOINT and MSI_SECRET announce Azure ML's identity endpoint, but DEFAULT_IDENTITY_CLIENT_ID is " + what +
			": that is an Azure ML compute instance without a managed identity, whose endpoint returns the signed-in user's token",
		Remedy:    "assign a system- or user-assigned managed identity to the compute (DEFAULT_IDENTITY_CLIENT_ID then holds its client ID), or set AZURE_CLIENT_ID to a user-assigned identity's client ID",
		Variables: d.names(vMSIEndpoint, vMSISecret, vDefaultClientID),
	})
}

// cloudShell refuses Cloud Shell's MSI_ENDPOINT, which serves the user.
func (d *detector) cloudShell() {
	d.source, d.announced = CloudShell, true
	vs := d.names(vMSIEndpoint)
	for _, m := range [...]string{"ACC_CLOUD", "AZUREPS_HOST_ENVIRONMENT"} {
		if v, _ := d.env.LookupEnv(m); v != "" {
			vs = append(vs, m)
		}
	}
	d.refuse(Refused{
		Kind: ManagedIdentity, Source: CloudShell, Code: autherrors.ErrUserIdentityRefused,
		Reason:    "MSI_ENDPOINT without MSI_SECRET is Azure Cloud Shell's token endpoint (MSAL treats it so); it returns the signed-in user's token, not a managed identity",
		Remedy:    "Cloud Shell is for people: run unattended programs where they have their own identity (managed identity, workload identity, a pipeline's federated service connection); to try a program here, use a service principal",
		Variables: vs,
	})
}

// imds selects the Azure Instance Metadata Service when a probe reached it
// or the caller asserted a managed identity, and no other endpoint was
// announced (as MSAL, which falls back to IMDS only then).
func (d *detector) imds() {
	if d.announced {
		return
	}
	p := d.opts.Probe
	switch {
	case p != nil && p.OK, d.asserted:
	case p != nil:
		d.incomplete(ManagedIdentity, IMDS, []string{}, []string{"an answer from IMDS at " + p.Endpoint},
			"the IMDS probe got no answer ("+p.Error+"): this is not an Azure VM, scale set or AKS node, or a firewall blocks 169.254.169.254")
		return
	default:
		return
	}
	if d.has(vClientID) && !d.valid(vClientID) {
		d.r.Incomplete = append(d.r.Incomplete, Incomplete{Kind: ManagedIdentity, Source: IMDS, Present: []string{varNames[vClientID]},
			Missing: []string{}, Invalid: []string{varNames[vClientID]},
			Reason: "AZURE_CLIENT_ID names the user-assigned identity and must be its client ID GUID (see errors); unset it to use the system-assigned identity"})
		return
	}
	d.complete[slotIMDS] = true
}
