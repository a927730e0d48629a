package detect

import "strings"

// forcedNeeds lists what each slot a forced selection can leave unconfigured
// needs, in the order a user sets them.
var forcedNeeds = [nSlots][]varID{
	slotSecret:      {vTenantID, vClientID, vClientSecret},
	slotCertificate: {vTenantID, vClientID, vCertPath},
	slotWorkload:    {vTenantID, vClientID, vTokenFile},
	slotGitHub:      {vActionsURL, vActionsToken, vTenantID, vClientID},
	slotPipelines:   {vOIDCRequestURI, vAccessToken, vSubTenantID, vSubClientID, vSubConnectionID},
}

// forced explains a selection that Options.Kind or AZURE_TOKEN_CREDENTIALS
// narrowed to kinds that are not configured: each forced kind gets an
// [Incomplete] entry, first in the list, that names the variable that
// forced it (ForcedBy) and what the kind needs.
func (d *detector) forced() {
	if d.allowed == 0 || d.allowed == allProd || d.allowed&^allProd != 0 {
		return // nothing forced, or a refusal already says why
	}
	by := varNames[vTokenCredentials]
	if d.opts.Kind != "" {
		by = "Options.Kind"
	}
	var front []Incomplete
	seen := map[Kind]bool{}
	merged := false
	for s := range nSlots {
		k := slotKinds[s]
		if d.allowed&(1<<s) == 0 || seen[k] {
			continue
		}
		seen[k] = true
		in, found := d.takeIncomplete(k)
		switch {
		case found:
			in.Reason = d.why + " selects only " + string(k) + ", and " + in.Reason
		case s == slotCertificate && merged:
			continue // EnvironmentCredential: the secret's entry says both
		default:
			in = d.forcedEntry(s)
			merged = s == slotSecret && strings.HasPrefix(in.Reason, d.why+" selects only a service principal")
		}
		in.ForcedBy = by
		front = append(front, in)
	}
	d.r.Incomplete = append(front, d.r.Incomplete...)
}

// forcedEntry is the Incomplete entry of a forced slot nothing configured.
// EnvironmentCredential forces both service principal slots: the secret's
// entry then asks for a secret or a certificate.
func (d *detector) forcedEntry(s slot) Incomplete {
	k, needs := slotKinds[s], forcedNeeds[s]
	if k == ManagedIdentity {
		return Incomplete{Kind: k, Present: []string{}, Missing: []string{"a managed identity endpoint"},
			Reason: d.why + " selects only " + string(k) + ", which is not configured: run on an Azure resource with a managed identity enabled"}
	}
	var missing []string
	for _, id := range needs {
		if !d.has(id) {
			missing = append(missing, d.missing(id))
		}
	}
	names := varList(needs)
	what := string(k)
	if s == slotSecret && d.allowed&(1<<slotCertificate) != 0 && !d.has(vCertPath) {
		what = "a service principal"
		names[len(names)-1] += " or " + varNames[vCertPath]
		if !d.has(vClientSecret) {
			missing[len(missing)-1] = varNames[vClientSecret] + " or " + varNames[vCertPath]
		}
	}
	return Incomplete{Kind: k, Present: nonNil(d.names(needs...)), Missing: nonNil(missing),
		Reason: d.why + " selects only " + what + ", which is not configured: it needs " +
			strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]}
}

// takeIncomplete removes and returns the first Incomplete entry of kind k.
func (d *detector) takeIncomplete(k Kind) (Incomplete, bool) {
	for i, in := range d.r.Incomplete {
		if in.Kind == k {
			d.r.Incomplete = append(d.r.Incomplete[:i:i], d.r.Incomplete[i+1:]...)
			return in, true
		}
	}
	return Incomplete{}, false
}

func varList(ids []varID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = varNames[id]
	}
	return out
}
