package detect

import (
	"net/url"
	"strconv"
	"strings"
)

// isGUID reports whether s is a GUID in the 8-4-4-4-12 hex form Entra ID
// prints (client, tenant and object IDs).
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// isDomain reports whether s is a plausible verified domain
// (contoso.onmicrosoft.com): two or more labels of letters, digits and
// hyphens.
func isDomain(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// checkTenant validates a tenant variable and records a [ConfigError]. It
// returns false when the value cannot be used.
func (d *detector) checkTenant(id varID) bool {
	v := d.get(id)
	if isGUID(v) {
		return true
	}
	switch strings.ToLower(v) {
	case "common", "organizations", "consumers":
		d.configError(varNames[id], varNames[id]+" is "+quote(v)+", a multi-tenant alias; app-only sign-in needs the real tenant: set it to your directory (tenant) ID GUID or a verified domain such as contoso.onmicrosoft.com")
		return false
	}
	if isDomain(v) {
		return true
	}
	d.configError(varNames[id], varNames[id]+" is neither a GUID nor a domain ("+shape(v)+"); set it to your directory (tenant) ID, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47")
	return false
}

// checkClientID validates a client ID variable.
func (d *detector) checkClientID(id varID) bool {
	v := d.get(id)
	if isGUID(v) {
		return true
	}
	d.configError(varNames[id], varNames[id]+" is not a GUID ("+shape(v)+"); set it to the application (client) ID, e.g. 00000000-0000-0000-0000-000000000000 — not the secret's value or ID, the object ID or the app's display name")
	return false
}

// shape describes a malformed value without quoting it: the value might be
// a secret pasted into the wrong variable.
func shape(v string) string {
	return strconv.Itoa(len(v)) + " characters"
}

// checkAuthorityHost validates AZURE_AUTHORITY_HOST. azidentity refuses a
// host that is not https.
func (d *detector) checkAuthorityHost() bool {
	v := d.get(vAuthorityHost)
	if v == "" {
		return true
	}
	u, err := url.Parse(v)
	switch {
	case err != nil || u.Host == "":
		d.configError(varNames[vAuthorityHost], "AZURE_AUTHORITY_HOST is not a URL; set it to https://login.microsoftonline.com/ or your cloud's authority, or unset it")
		return false
	case u.Scheme != "https":
		d.configError(varNames[vAuthorityHost], "AZURE_AUTHORITY_HOST must be https (it is "+quote(u.Scheme)+"); azidentity refuses any other scheme")
		return false
	case len(u.Hostname()) > maxHost:
		d.configError(varNames[vAuthorityHost], "AZURE_AUTHORITY_HOST's host is "+strconv.Itoa(len(u.Hostname()))+" bytes long, and a host name has at most "+strconv.Itoa(maxHost)+"; set it to https://login.microsoftonline.com/ or your cloud's authority, or unset it")
		return false
	case u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		// Fail closed: an authority is a bare host; credentials or a
		// signature in it would be sent to every token endpoint and
		// printed in every report.
		d.configError(varNames[vAuthorityHost], "AZURE_AUTHORITY_HOST ("+reportURL(v)+") carries user information, a query or a fragment; an authority host is a bare https URL such as https://login.microsoftonline.com/")
		return false
	}
	d.r.AuthorityHost = v
	return true
}

// allowedTenants splits AZURE_ADDITIONALLY_ALLOWED_TENANTS on ";" as
// azidentity does, dropping empty entries.
func (d *detector) allowedTenants() {
	v := d.get(vAllowedTenants)
	if v == "" {
		return
	}
	var out []string
	for t := range strings.SplitSeq(v, ";") {
		t = strings.TrimSpace(t)
		switch {
		case t == "":
		case t == "*" || isGUID(t) || isDomain(t):
			out = append(out, t)
		default:
			d.warn("AZURE_ADDITIONALLY_ALLOWED_TENANTS has an entry that is neither \"*\", a GUID nor a domain (" + shape(t) + "); it will never match")
			out = append(out, t)
		}
	}
	d.r.AdditionallyAllowedTenants = out
}
