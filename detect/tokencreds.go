package detect

import (
	"strconv"
	"strings"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// azidentity's credential type names, as AZURE_TOKEN_CREDENTIALS accepts
// them (case-insensitively).
const (
	credEnvironment       = "EnvironmentCredential"
	credWorkloadIdentity  = "WorkloadIdentityCredential"
	credManagedIdentity   = "ManagedIdentityCredential"
	credAzurePipelines    = "AzurePipelinesCredential"
	credAzureCLI          = "AzureCLICredential"
	credAzureDeveloperCLI = "AzureDeveloperCLICredential"
	credAzurePowerShell   = "AzurePowerShellCredential"
)

// validTokenCredentials lists the accepted AZURE_TOKEN_CREDENTIALS values
// for error messages.
const validTokenCredentials = "prod, dev, " + credEnvironment + ", " + credWorkloadIdentity + ", " +
	credManagedIdentity + ", " + credAzurePipelines + ", " + credAzureCLI + ", " +
	credAzureDeveloperCLI + ", " + credAzurePowerShell

var allDeveloperTools = []string{credAzureCLI, credAzureDeveloperCLI, credAzurePowerShell}

// restrict applies Options.Kind or AZURE_TOKEN_CREDENTIALS: explicit
// selection comes first in the precedence.
func (d *detector) restrict() {
	atc := d.get(vTokenCredentials)
	if k := d.opts.Kind; k != "" {
		d.why = "Options.Kind=" + clip(string(k))
		d.r.Evidence = append(d.r.Evidence, "Options.Kind")
		if atc != "" {
			d.warn("Options.Kind=" + clip(string(k)) + " overrides AZURE_TOKEN_CREDENTIALS=" + clip(atc))
		}
		switch k {
		case ServicePrincipalSecret:
			d.allowed = 1 << slotSecret
		case ServicePrincipalCertificate:
			d.allowed = 1 << slotCertificate
		case WorkloadIdentity:
			d.allowed = 1 << slotWorkload
		case GitHubActionsOIDC:
			d.allowed = 1 << slotGitHub
		case AzurePipelinesOIDC:
			d.allowed = 1 << slotPipelines
		case ManagedIdentity:
			d.allowed, d.asserted = 1<<slotManaged|1<<slotIMDS, true
		case DeveloperTool:
			d.developerTools(allDeveloperTools)
		default:
			d.allowed = 0
			d.configError("Options.Kind", "Options.Kind "+quote(string(k))+" is not a kind detect can select; use one of: "+
				string(ServicePrincipalSecret)+", "+string(ServicePrincipalCertificate)+", "+string(WorkloadIdentity)+", "+
				string(GitHubActionsOIDC)+", "+string(AzurePipelinesOIDC)+", "+string(ManagedIdentity)+", "+string(DeveloperTool))
		}
		return
	}
	if atc == "" {
		return
	}
	d.why = "AZURE_TOKEN_CREDENTIALS=" + clip(atc)
	d.r.Evidence = append(d.r.Evidence, varNames[vTokenCredentials])
	switch {
	case strings.EqualFold(atc, "prod"):
		d.lowerOnly(atc, "prod")
	case strings.EqualFold(atc, "dev"):
		d.lowerOnly(atc, "dev")
		d.developerTools(allDeveloperTools)
	case strings.EqualFold(atc, credEnvironment):
		d.allowed = 1<<slotSecret | 1<<slotCertificate
	case strings.EqualFold(atc, credWorkloadIdentity):
		d.allowed = 1 << slotWorkload
	case strings.EqualFold(atc, credManagedIdentity):
		d.allowed, d.asserted = 1<<slotManaged|1<<slotIMDS, true
	case strings.EqualFold(atc, credAzurePipelines):
		d.allowed = 1 << slotPipelines
	case strings.EqualFold(atc, credAzureCLI):
		d.developerTools(allDeveloperTools[0:1])
	case strings.EqualFold(atc, credAzureDeveloperCLI):
		d.developerTools(allDeveloperTools[1:2])
	case strings.EqualFold(atc, credAzurePowerShell):
		d.developerTools(allDeveloperTools[2:3])
	default:
		d.allowed = 0
		d.why = "an invalid AZURE_TOKEN_CREDENTIALS"
		d.configError(varNames[vTokenCredentials], "AZURE_TOKEN_CREDENTIALS is "+quote(atc)+
			", which names no credential; use one of: "+validTokenCredentials+" (credential names are case-insensitive), or unset it")
	}
}

// lowerOnly warns when "prod" or "dev" is not lower-case: autoidentity
// accepts any case, azidentity's DefaultAzureCredential only lower-case.
func (d *detector) lowerOnly(got, want string) {
	if got != want {
		d.warn("AZURE_TOKEN_CREDENTIALS=" + clip(got) + " is accepted here, but azidentity's DefaultAzureCredential accepts only " + strconv.Quote(want))
	}
}

// developerTools restricts selection to developer tools, or refuses them
// when the caller has not opted in.
func (d *detector) developerTools(tools []string) {
	if d.opts.AllowDeveloperTools {
		d.allowed = 1 << slotDeveloper
		d.devTools = tools
		return
	}
	d.allowed = 0
	d.refuse(Refused{
		Kind:      DeveloperTool,
		Code:      autherrors.ErrDeveloperCredentialRefused,
		Reason:    d.why + " selects " + strings.Join(tools, ", ") + ", which sign in as a user: unattended programs then fail when Entra ID asks that user for MFA",
		Remedy:    "in automation, unset AZURE_TOKEN_CREDENTIALS or set it to prod and configure a managed identity, workload identity or service principal; on a developer machine opt in with Options.AllowDeveloperTools (CLI: --allow-developer-tools)",
		Variables: d.refusedVars(),
	})
}

func (d *detector) refusedVars() []string {
	if d.opts.Kind != "" {
		return []string{"Options.Kind"}
	}
	return []string{varNames[vTokenCredentials]}
}

// developer marks developer tools selectable (last in precedence) when the
// caller opted in.
func (d *detector) developer() {
	if !d.opts.AllowDeveloperTools {
		return
	}
	d.complete[slotDeveloper] = true
	if d.allowed == allProd && d.why == "" {
		d.allowed = allSlots
		d.devTools = allDeveloperTools
	}
}
