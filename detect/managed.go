package detect

import "strings"

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

// managed decides the managed identity source exactly as MSAL's GetSource
// does (see msalSource), then applies the refusals to the protocol MSAL will
// speak, whatever markers surround it: Cloud Shell's is refused, Azure ML's
// is refused unless a managed identity client ID is known and no Cloud Shell
// marker is present, and App Service markers never change the protocol. A
// source whose variables are blank is incomplete, never IMDS: MSAL would not
// fall back to IMDS either.
func (d *detector) managed() {
	s := msalSource(d.env, func() bool { return d.himds() != "" })
	if s == IMDS {
		d.strayIdentity()
		return
	}
	d.source, d.announced = s, true
	switch s {
	case CloudShell:
		d.cloudShell()
	case AzureML:
		d.azureML()
	case ServiceFabric:
		d.endpoint(s, "Service Fabric", vIdentityEndpoint, vIdentityHeader, vThumbprint)
	case AppService:
		d.endpoint(s, "App Service, Functions or Container Apps", vIdentityEndpoint, vIdentityHeader)
	case AzureArc:
		// Found by the variables or by the himds binary, MSAL sends the
		// request to IDENTITY_ENDPOINT whenever it is not empty.
		if d.rawSet(vIMDSEndpoint) && d.rawSet(vIdentityEndpoint) {
			d.endpoint(s, "Azure Arc", vIdentityEndpoint, vIMDSEndpoint)
		} else {
			d.endpoint(s, "Azure Arc", vIdentityEndpoint)
		}
	}
}

// msalSource is MSAL's managedidentity.GetSource (v1.10.1), which
// azidentity's ManagedIdentityCredential calls, on env: a variable counts
// when its raw value is not empty, whitespace included, as os.Getenv sees
// it. himds reports whether the Azure Arc agent is installed; it is called
// only where MSAL looks for it.
func msalSource(env Env, himds func() bool) Source {
	set := func(name string) bool {
		v, _ := env.LookupEnv(name)
		return v != ""
	}
	ie := set(varNames[vIdentityEndpoint])
	switch {
	case ie && set(varNames[vIdentityHeader]):
		if set(varNames[vThumbprint]) {
			return ServiceFabric
		}
		return AppService
	case set(varNames[vMSIEndpoint]):
		if set(varNames[vMSISecret]) {
			return AzureML
		}
		return CloudShell
	case ie && set(varNames[vIMDSEndpoint]), himds():
		return AzureArc
	}
	return IMDS
}

// rawSet reports whether a variable's raw value is not empty (MSAL's test).
func (d *detector) rawSet(id varID) bool { return d.has(id) || d.blankSet(id) }

// blankSet reports whether a variable holds only whitespace: MSAL counts it
// as set, detect cannot use it.
func (d *detector) blankSet(id varID) bool {
	v, _ := d.env.LookupEnv(varNames[id])
	return v != "" && !d.has(id)
}

// endpoint announces source s unless a variable that led MSAL to it, or
// that MSAL sends, holds only whitespace: MSAL counts such a value as set,
// so it takes that path (never IMDS), but the value is no platform's; the
// configuration is incomplete (fail closed).
func (d *detector) endpoint(s Source, platform string, ids ...varID) {
	var names, missing []string
	for _, id := range ids {
		if d.blankSet(id) {
			names = append(names, varNames[id])
			missing = append(missing, varNames[id]+" (set but blank)")
		}
	}
	if names == nil {
		d.announce(s)
		return
	}
	d.incomplete(ManagedIdentity, s, d.names(ids...), missing,
		strings.Join(names, " and ")+" hold(s) only whitespace, which MSAL counts as set: it takes the "+platform+
			" managed identity path with that value and does not fall back to IMDS; unset the variable or give it the value the platform sets")
}

// strayIdentity notes the managed identity variables that announce nothing
// (MSAL then uses IMDS).
func (d *detector) strayIdentity() {
	ie, ih := d.has(vIdentityEndpoint), d.has(vIdentityHeader)
	switch {
	case ie:
		d.incomplete(ManagedIdentity, "", d.names(vIdentityEndpoint), []string{d.missing(vIdentityHeader) + " (App Service, Functions, Container Apps) or " + d.missing(vIMDSEndpoint) + " (Azure Arc)"},
			"IDENTITY_ENDPOINT alone announces no managed identity endpoint; the platform sets it together with its partner variable, so it was probably copied from another environment")
	case ih:
		d.incomplete(ManagedIdentity, "", d.names(vIdentityHeader), []string{d.missing(vIdentityEndpoint)},
			"IDENTITY_HEADER is set without IDENTITY_ENDPOINT")
	}
}

// announce records a managed identity endpoint that can be used, unless
// the user-assigned identity named (Options.ManagedIdentityID, else
// AZURE_CLIENT_ID where the source supports one) is malformed or one the
// source cannot serve.
func (d *detector) announce(s Source) {
	d.source, d.announced = s, true
	if !d.explicitIDUsable(s) {
		return
	}
	if !d.opts.ManagedIdentityID.isSet() && d.has(vClientID) && (s == AppService || s == AzureML) && !d.valid(vClientID) {
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
	if _, err := d.opts.fs.Stat(path); err != nil {
		return ""
	}
	return path
}

// imds selects the Azure Instance Metadata Service when a probe reached it
// or the caller asserted a managed identity, and no other endpoint was
// announced (as MSAL, which falls back to IMDS only then).
// outranked reports whether an identity of higher precedence than IMDS is
// configured and allowed.
func (d *detector) outranked() bool {
	for sl := slotSecret; sl < slotIMDS; sl++ {
		if d.complete[sl] && d.allowed&(1<<sl) != 0 {
			return true
		}
	}
	return false
}

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
	case d.r.CI != "":
		// Hosted CI runners are Azure VMs too (GitHub's, Microsoft's
		// Azure Pipelines agents), but their IMDS serves no identity to
		// the job: firmware evidence must not select it there. A
		// self-hosted runner with a managed identity asserts it
		// (AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential).
		return
	case d.opts.AssumeAzureVM:
		d.vmEvidence = optionAssumeAzureVM
	case d.outranked():
		// Firmware evidence could only select IMDS beneath what is
		// configured: not worth a file read at every New.
		return
	default:
		ev, err := d.azureVMEvidence()
		if err != nil {
			d.warn("the firmware evidence of an Azure VM could not be read (" + err.Error() + "); on an Azure VM, set credential.Options.ProbeIMDS or AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential to use its managed identity")
		}
		if d.vmEvidence = ev; ev == "" {
			return
		}
	}
	if !d.explicitIDUsable(IMDS) {
		return
	}
	if !d.opts.ManagedIdentityID.isSet() && d.has(vClientID) && !d.valid(vClientID) {
		d.r.Incomplete = append(d.r.Incomplete, Incomplete{Kind: ManagedIdentity, Source: IMDS, Present: []string{varNames[vClientID]},
			Missing: []string{}, Invalid: []string{varNames[vClientID]},
			Reason: "AZURE_CLIENT_ID names the user-assigned identity and must be its client ID GUID (see errors); unset it to use the system-assigned identity"})
		return
	}
	d.complete[slotIMDS] = true
}
