package detect

import (
	"strings"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// Two of the protocols MSAL may pick serve the signed-in user, not a managed
// identity: Cloud Shell's always, Azure ML's on a compute instance without a
// managed identity. They are refused by the protocol MSAL will speak (see
// msalSource), never by the markers around it.

// cloudShellRemedy is the fix for any endpoint that serves a Cloud Shell user.
const cloudShellRemedy = "Cloud Shell is for people: run unattended programs where they have their own identity (managed identity, workload identity, a pipeline's federated service connection); to try a program here, use a service principal"

// azureML accepts Azure ML's protocol (MSI_ENDPOINT and MSI_SECRET) only
// with a managed identity client ID and no sign of Cloud Shell: without one
// (DEFAULT_IDENTITY_CLIENT_ID is the literal "clientid" on a compute
// instance with no managed identity) the endpoint returns the signed-in
// user's token, and so does Cloud Shell's endpoint, whatever it is sent.
func (d *detector) azureML() {
	vs := d.rawNames(vMSIEndpoint, vMSISecret, vDefaultClientID, vClientID)
	marker := d.appServiceMarker()
	also := ""
	if marker != "" {
		vs = append(vs, marker)
		also = " (" + marker + " is set too, but App Service markers do not change the protocol MSAL speaks)"
	}
	if m := d.cloudShellMarkers(); m != nil {
		d.refuse(Refused{
			Kind: ManagedIdentity, Source: AzureML, Code: autherrors.ErrUserIdentityRefused,
			Reason: "MSI_ENDPOINT and MSI_SECRET make MSAL speak Azure ML's protocol" + also + ", but " + strings.Join(m, " and ") +
				" show Azure Cloud Shell, whose token endpoint returns the signed-in user's token, not a managed identity",
			Remedy:    cloudShellRemedy,
			Variables: append(vs, m...),
		})
		return
	}
	dc := d.get(vDefaultClientID)
	if !isGUID(dc) && !(d.has(vClientID) && isGUID(d.get(vClientID))) && !isGUID(d.opts.ManagedIdentityID.ClientID) {
		what := "unset"
		if dc != "" {
			what = quote(dc) + ", not a GUID"
		}
		remedy := "assign a system- or user-assigned managed identity to the compute (DEFAULT_IDENTITY_CLIENT_ID then holds its client ID), or set AZURE_CLIENT_ID to a user-assigned identity's client ID"
		if marker != "" {
			remedy += "; on App Service or Functions, enable the identity on a runtime that sets IDENTITY_ENDPOINT and IDENTITY_HEADER, and do not set MSI_ENDPOINT or MSI_SECRET yourself"
		}
		d.refuse(Refused{
			Kind: ManagedIdentity, Source: AzureML, Code: autherrors.ErrUserIdentityRefused,
			Reason: "MSI_ENDPOINT and MSI_SECRET make MSAL speak Azure ML's protocol" + also + ", but DEFAULT_IDENTITY_CLIENT_ID is " + what +
				": that is what an Azure ML compute instance without a managed identity looks like, and its endpoint returns the signed-in user's token",
			Remedy:    remedy,
			Variables: vs,
		})
		return
	}
	if marker != "" {
		d.warn("MSI_ENDPOINT and MSI_SECRET are set next to " + marker + " without IDENTITY_ENDPOINT and IDENTITY_HEADER: MSAL speaks Azure ML's protocol (the legacy App Service one) to MSI_ENDPOINT, so the source is reported as azure-ml")
	}
	d.endpoint(AzureML, "Azure ML", vMSIEndpoint, vMSISecret)
}

// cloudShell refuses Cloud Shell's protocol (MSI_ENDPOINT without
// MSI_SECRET), which serves the signed-in user.
func (d *detector) cloudShell() {
	vs := d.rawNames(vMSIEndpoint)
	for _, m := range [...]string{"ACC_CLOUD", "AZUREPS_HOST_ENVIRONMENT"} {
		if v, _ := d.env.LookupEnv(m); v != "" {
			vs = append(vs, m)
		}
	}
	reason := "MSI_ENDPOINT without MSI_SECRET is Azure Cloud Shell's token endpoint (MSAL treats it so); it returns the signed-in user's token, not a managed identity"
	if d.blankSet(vMSIEndpoint) {
		reason += "; MSI_ENDPOINT holds only whitespace, which MSAL still counts as set: unset it"
	}
	if m := d.appServiceMarker(); m != "" {
		vs = append(vs, m)
		reason += "; next to " + m + " this looks like a half-configured App Service endpoint, but MSAL would still speak Cloud Shell's protocol to it: do not set MSI_ENDPOINT yourself, enable the identity on the resource"
	}
	d.refuse(Refused{
		Kind: ManagedIdentity, Source: CloudShell, Code: autherrors.ErrUserIdentityRefused,
		Reason: reason, Remedy: cloudShellRemedy, Variables: vs,
	})
}

// cloudShellMarkers names the variables Azure Cloud Shell sets: ACC_CLOUD
// with any value, AZUREPS_HOST_ENVIRONMENT starting with "cloud-shell".
func (d *detector) cloudShellMarkers() []string {
	var m []string
	if v, _ := d.env.LookupEnv("ACC_CLOUD"); v != "" {
		m = append(m, "ACC_CLOUD")
	}
	if v, _ := d.env.LookupEnv("AZUREPS_HOST_ENVIRONMENT"); strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "cloud-shell") {
		m = append(m, "AZUREPS_HOST_ENVIRONMENT")
	}
	return m
}

// rawNames is names for MSAL's view: the variables among ids whose raw
// value is not empty, whitespace-only ones included.
func (d *detector) rawNames(ids ...varID) []string {
	var out []string
	for _, id := range ids {
		if d.rawSet(id) {
			out = append(out, varNames[id])
		}
	}
	return out
}
