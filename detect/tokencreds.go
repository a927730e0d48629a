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

// selectable is one value that restricts selection: an Options.Kind, an
// AZURE_TOKEN_CREDENTIALS value, or both when they mean the same thing.
type selectable struct {
	kind Kind   // the Options.Kind, or "" if only the variable selects it
	name string // the AZURE_TOKEN_CREDENTIALS value, or "" if only Kind does
	// lowerOnly: azidentity accepts name only in lower case.
	lowerOnly bool
	allowed   mask
	asserted  bool     // selecting it asserts a managed identity
	tools     []string // the developer tools it selects (then allowed is unused)
}

// selectables are the values restrict accepts. Those with a kind are in
// the order the invalid-Options.Kind message lists them.
var selectables = []selectable{
	{kind: ServicePrincipalSecret, allowed: 1 << slotSecret},
	{kind: ServicePrincipalCertificate, allowed: 1 << slotCertificate},
	{name: credEnvironment, allowed: 1<<slotSecret | 1<<slotCertificate},
	{kind: WorkloadIdentity, name: credWorkloadIdentity, allowed: 1 << slotWorkload},
	{kind: GitHubActionsOIDC, allowed: 1 << slotGitHub},
	{kind: AzurePipelinesOIDC, name: credAzurePipelines, allowed: 1 << slotPipelines},
	{kind: ManagedIdentity, name: credManagedIdentity, allowed: 1<<slotManaged | 1<<slotIMDS, asserted: true},
	{kind: DeveloperTool, name: "dev", lowerOnly: true, tools: allDeveloperTools},
	{name: "prod", lowerOnly: true, allowed: allProd},
	{name: credAzureCLI, tools: allDeveloperTools[0:1]},
	{name: credAzureDeveloperCLI, tools: allDeveloperTools[1:2]},
	{name: credAzurePowerShell, tools: allDeveloperTools[2:3]},
}

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
		for _, s := range selectables {
			if s.kind != "" && s.kind == k {
				d.apply(s)
				return
			}
		}
		d.allowed = 0
		d.configError("Options.Kind", "Options.Kind "+quote(string(k))+" is not a kind detect can select; use one of: "+selectableKinds())
		return
	}
	if atc == "" {
		return
	}
	d.why = "AZURE_TOKEN_CREDENTIALS=" + clip(atc)
	d.r.Evidence = append(d.r.Evidence, varNames[vTokenCredentials])
	for _, s := range selectables {
		if s.name != "" && strings.EqualFold(atc, s.name) {
			if s.lowerOnly {
				d.lowerOnly(atc, s.name)
			}
			d.apply(s)
			return
		}
	}
	d.allowed = 0
	d.why = "an invalid AZURE_TOKEN_CREDENTIALS"
	d.configError(varNames[vTokenCredentials], "AZURE_TOKEN_CREDENTIALS is "+quote(atc)+
		", which names no credential; use one of: "+validTokenCredentials+" (credential names are case-insensitive), or unset it")
}

// apply restricts selection to what s selects.
func (d *detector) apply(s selectable) {
	if s.tools != nil {
		d.developerTools(s.tools)
		return
	}
	d.allowed, d.asserted = s.allowed, s.asserted
}

// selectableKinds lists the kinds Options.Kind accepts, for messages.
func selectableKinds() string {
	var kinds []string
	for _, s := range selectables {
		if s.kind != "" {
			kinds = append(kinds, string(s.kind))
		}
	}
	return strings.Join(kinds, ", ")
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
