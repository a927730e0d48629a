package detect

import (
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/certs"
)

// slot is one place in the precedence order.
type slot uint8

const (
	slotSecret slot = iota
	slotCertificate
	slotWorkload
	slotGitHub
	slotPipelines
	slotManaged // announced by the environment
	slotIMDS
	slotDeveloper
	nSlots
)

var slotKinds = [nSlots]Kind{
	slotSecret:      ServicePrincipalSecret,
	slotCertificate: ServicePrincipalCertificate,
	slotWorkload:    WorkloadIdentity,
	slotGitHub:      GitHubActionsOIDC,
	slotPipelines:   AzurePipelinesOIDC,
	slotManaged:     ManagedIdentity,
	slotIMDS:        ManagedIdentity,
	slotDeveloper:   DeveloperTool,
}

// mask is a set of slots.
type mask uint16

const (
	allProd  mask = 1<<slotDeveloper - 1
	allSlots mask = 1<<nSlots - 1
)

// detector holds one Detect call's state.
type detector struct {
	env  Env
	opts Options
	r    *Result
	v    vars

	complete [nSlots]bool
	source   Source // of slotManaged
	// announced: the environment announced a managed identity endpoint
	// (usable or refused), so MSAL would not fall back to IMDS.
	announced bool
	allowed   mask
	// why explains a restriction for the skipped list, e.g.
	// "AZURE_TOKEN_CREDENTIALS=WorkloadIdentityCredential".
	why string
	// asserted: the caller asserted a managed identity.
	asserted bool
	// vmEvidence is the firmware evidence of an Azure VM that selected
	// IMDS without a probe (or optionAssumeAzureVM); see imds.
	vmEvidence string
	// badAuthority: AZURE_AUTHORITY_HOST is unusable, so no Entra ID flow is.
	badAuthority bool
	// checked and okBits memoize validation per variable, so each malformed
	// value is reported once.
	checked, okBits uint64
	devTools        []string
	// cert is the parsed AZURE_CLIENT_CERTIFICATE_PATH, when usable.
	cert *certs.Bundle
	// pipeTenant and pipeClient are the variables Azure Pipelines OIDC
	// reads its IDs from (AZURESUBSCRIPTION_*, else AZURE_*).
	pipeTenant, pipeClient varID
}

// Detect decides which non-interactive identity the environment configures,
// without network access or subprocesses. It never fails: "nothing usable"
// is a Result of kind [None] that says why. A nil opts means defaults.
// See the package documentation for the precedence and the refusals.
func Detect(env Env, opts *Options) *Result {
	d := detector{
		env:  env,
		opts: opts.withDefaults(),
		r: &Result{
			Kind:       None,
			Evidence:   make([]string, 0, 6),
			Skipped:    []Skipped{},
			Refused:    []Refused{},
			Incomplete: []Incomplete{},
			Errors:     []ConfigError{},
			Warnings:   []string{},
		},
		allowed: allProd,
	}
	if env == nil {
		d.env = MapEnv(nil)
	}
	d.read()
	d.r.CI = CI(d.env)
	d.restrict()
	d.refuseUserPassword()
	d.badAuthority = !d.checkAuthorityHost()
	d.allowedTenants()

	d.servicePrincipal()
	d.workload()
	d.github()
	d.pipelines()
	d.managed()
	d.imds()
	d.developer()
	for _, id := range [...]varID{vTenantID, vClientID} {
		if d.has(id) {
			d.valid(id)
		}
	}
	d.platform()

	winner := nSlots
	for s := range nSlots {
		if !d.complete[s] {
			continue
		}
		if d.allowed&(1<<s) == 0 {
			d.skip(s, "excluded by "+d.why)
			continue
		}
		if winner == nSlots {
			winner = s
			continue
		}
		d.skip(s, "lower precedence than "+d.label(winner))
	}
	if winner != nSlots {
		d.fill(winner)
	} else {
		d.forced()
	}
	d.notes()
	if d.r.Probe == nil && d.opts.Probe != nil {
		p := *d.opts.Probe
		d.r.Probe = &p
	}
	return d.r
}

func (d *detector) label(s slot) string {
	if s == slotManaged {
		return string(ManagedIdentity) + " (" + string(d.source) + ")"
	}
	if s == slotIMDS {
		return string(ManagedIdentity) + " (" + string(IMDS) + ")"
	}
	return string(slotKinds[s])
}

func (d *detector) skip(s slot, reason string) {
	sk := Skipped{Kind: slotKinds[s], Reason: reason}
	switch s {
	case slotManaged:
		sk.Source = d.source
	case slotIMDS:
		sk.Source = IMDS
	case slotCertificate:
		if d.complete[slotSecret] {
			sk.Reason = "AZURE_CLIENT_SECRET is also set and takes precedence over the certificate, as in azidentity"
		}
	}
	d.r.Skipped = append(d.r.Skipped, sk)
}

func (d *detector) warn(msg string) { d.r.Warnings = append(d.r.Warnings, msg) }

func (d *detector) configError(variable, msg string) {
	d.r.Errors = append(d.r.Errors, ConfigError{Variable: variable, Code: autherrors.ErrInvalidConfiguration, Message: msg})
}

func (d *detector) incomplete(kind Kind, source Source, present, missing []string, reason string) {
	if present == nil {
		present = []string{}
	}
	if missing == nil {
		missing = []string{}
	}
	d.r.Incomplete = append(d.r.Incomplete, Incomplete{Kind: kind, Source: source, Present: present, Missing: missing, Reason: reason})
}

func (d *detector) refuse(rf Refused) { d.r.Refused = append(d.r.Refused, rf) }

// names returns the names of the variables among ids that have values.
func (d *detector) names(ids ...varID) []string {
	var out []string
	for _, id := range ids {
		if d.has(id) {
			out = append(out, varNames[id])
		}
	}
	return out
}

// evidence appends the names of the variables among ids that have values.
func (d *detector) evidence(ids ...varID) {
	for _, id := range ids {
		if d.has(id) {
			d.r.Evidence = append(d.r.Evidence, varNames[id])
		}
	}
}
