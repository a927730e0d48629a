package detect

import (
	"strings"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// servicePrincipal checks azidentity's EnvironmentCredential variables: a
// tenant, a client ID and a secret or a certificate file.
func (d *detector) servicePrincipal() {
	if d.set(vClientSecret) {
		d.complete[slotSecret] = d.entra(ServicePrincipalSecret, vTenantID, vClientID, []varID{vClientSecret}, "",
			"a service principal with a secret needs AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET")
	}
	if d.has(vCertPath) {
		problem := "a usable AZURE_CLIENT_CERTIFICATE_PASSWORD (see errors)"
		if !d.has(vCertPassword) || d.valid(vCertPassword) {
			problem = d.certificate()
		}
		d.complete[slotCertificate] = d.entra(ServicePrincipalCertificate, vTenantID, vClientID, []varID{vCertPath}, problem,
			"a service principal with a certificate needs AZURE_TENANT_ID, AZURE_CLIENT_ID and a readable AZURE_CLIENT_CERTIFICATE_PATH (PEM or PKCS#12)")
	}
	// Both set is a mistake whichever configuration is complete: azidentity's
	// EnvironmentCredential takes the secret whenever it is set.
	switch {
	case d.complete[slotSecret] && d.complete[slotCertificate]:
		d.warn("AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are both set: the secret wins, as in azidentity; unset the one you do not mean to use")
	case d.has(vClientSecret) && d.has(vCertPath):
		d.warn("AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are both set (azidentity would use the secret and ignore the certificate); unset the one you do not mean to use")
	}
	if d.has(vCertPassword) && !d.has(vCertPath) {
		d.warn("AZURE_CLIENT_CERTIFICATE_PASSWORD is set without AZURE_CLIENT_CERTIFICATE_PATH; it is ignored")
	}
}

// entra checks a configuration that signs in to Entra ID with a tenant, a
// client ID and the credential variables creds. fileProblem, if not empty,
// says why a file the configuration names is unusable. It reports an
// Incomplete entry and returns false when the configuration cannot be used.
func (d *detector) entra(kind Kind, tenant, client varID, creds []varID, fileProblem, need string) bool {
	var present, missing, invalid []string
	for _, id := range append([]varID{tenant, client}, creds...) {
		switch {
		case !d.has(id):
			missing = append(missing, d.missing(id))
		case !d.valid(id):
			present = append(present, varNames[id])
			invalid = append(invalid, varNames[id])
		default:
			present = append(present, varNames[id])
		}
	}
	if fileProblem != "" {
		missing = append(missing, fileProblem)
	}
	if d.badAuthority {
		invalid = append(invalid, varNames[vAuthorityHost])
	}
	if missing == nil && invalid == nil {
		return true
	}
	reason := need
	if invalid != nil {
		reason += "; malformed: " + strings.Join(invalid, ", ") + " (see errors)"
	}
	d.r.Incomplete = append(d.r.Incomplete, Incomplete{Kind: kind, Present: nonNil(present), Missing: nonNil(missing), Invalid: invalid, Reason: reason})
	return false
}

// valid validates a variable once: tenant and client IDs, secrets
// (length) and CI request URLs; any other variable is valid.
func (d *detector) valid(id varID) bool {
	bit := uint64(1) << id
	if d.checked&bit == 0 {
		d.checked |= bit
		ok := true
		switch id {
		case vTenantID, vSubTenantID:
			ok = d.checkTenant(id)
		case vClientID, vSubClientID:
			ok = d.checkClientID(id)
		case vClientSecret, vCertPassword, vActionsToken, vAccessToken:
			ok = d.checkSecret(id)
		case vActionsURL, vOIDCRequestURI:
			ok = d.checkRequestURL(id)
		}
		if ok {
			d.okBits |= bit
		}
	}
	return d.okBits&bit != 0
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// readFile reads the file a variable names: a regular file within the
// variable's cap (see read.go), or "" and the problem naming the variable
// and the fix.
func (d *detector) readFile(id varID) ([]byte, string) {
	limit, _, _ := fileLimit(id)
	b, err := readCapped(d.opts.fs, d.get(id), limit)
	if err != nil {
		return nil, fileProblem(id, d.get(id), err)
	}
	return b, ""
}

// refuseUserPassword refuses ROPC: AZURE_USERNAME or AZURE_PASSWORD, even
// one alone, is never used.
func (d *detector) refuseUserPassword() {
	if !d.has(vUsername) && !d.has(vPassword) {
		return
	}
	d.refuse(Refused{
		Kind:      userPassword,
		Code:      autherrors.ErrUserIdentityRefused,
		Reason:    "AZURE_USERNAME/AZURE_PASSWORD sign in as a user with a password (ROPC), which cannot answer the multifactor authentication Entra ID requires of users; autoidentity never uses them",
		Remedy:    "remove AZURE_USERNAME and AZURE_PASSWORD, and give the program its own identity: a managed identity, workload identity federation, or a service principal (AZURE_TENANT_ID, AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH)",
		Variables: d.names(vUsername, vPassword),
	})
}
