package detect

import "strings"

// varID indexes the variables detect reads; each is read exactly once.
type varID uint8

const (
	vTenantID varID = iota
	vClientID
	vClientSecret
	vCertPath
	vCertPassword
	vSendCertChain
	vTokenFile
	vAuthorityHost
	vAllowedTenants
	vTokenCredentials
	vUsername
	vPassword
	vGitHubActions
	vActionsURL
	vActionsToken
	vTFBuild
	vOIDCRequestURI
	vAccessToken
	vSubClientID
	vSubTenantID
	vSubConnectionID
	vIdentityEndpoint
	vIdentityHeader
	vThumbprint
	vIMDSEndpoint
	vMSIEndpoint
	vMSISecret
	vDefaultClientID
	vKubernetes
	vGitHubRepository
	vGitHubRef
	vSiteName
	nVars
)

// varNames spells each variable as the platforms set it.
var varNames = [nVars]string{
	vTenantID:         "AZURE_TENANT_ID",
	vClientID:         "AZURE_CLIENT_ID",
	vClientSecret:     "AZURE_CLIENT_SECRET",
	vCertPath:         "AZURE_CLIENT_CERTIFICATE_PATH",
	vCertPassword:     "AZURE_CLIENT_CERTIFICATE_PASSWORD",
	vSendCertChain:    "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
	vTokenFile:        "AZURE_FEDERATED_TOKEN_FILE",
	vAuthorityHost:    "AZURE_AUTHORITY_HOST",
	vAllowedTenants:   "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
	vTokenCredentials: "AZURE_TOKEN_CREDENTIALS",
	vUsername:         "AZURE_USERNAME",
	vPassword:         "AZURE_PASSWORD",
	vGitHubActions:    "GITHUB_ACTIONS",
	vActionsURL:       "ACTIONS_ID_TOKEN_REQUEST_URL",
	vActionsToken:     "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
	vTFBuild:          "TF_BUILD",
	vOIDCRequestURI:   "SYSTEM_OIDCREQUESTURI",
	vAccessToken:      "SYSTEM_ACCESSTOKEN",
	vSubClientID:      "AZURESUBSCRIPTION_CLIENT_ID",
	vSubTenantID:      "AZURESUBSCRIPTION_TENANT_ID",
	vSubConnectionID:  "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
	vIdentityEndpoint: "IDENTITY_ENDPOINT",
	vIdentityHeader:   "IDENTITY_HEADER",
	vThumbprint:       "IDENTITY_SERVER_THUMBPRINT",
	vIMDSEndpoint:     "IMDS_ENDPOINT",
	vMSIEndpoint:      "MSI_ENDPOINT",
	vMSISecret:        "MSI_SECRET",
	vDefaultClientID:  "DEFAULT_IDENTITY_CLIENT_ID",
	vKubernetes:       "KUBERNETES_SERVICE_HOST",
	vGitHubRepository: "GITHUB_REPOSITORY",
	vGitHubRef:        "GITHUB_REF",
	vSiteName:         "WEBSITE_SITE_NAME",
}

// lookalikes are lower-case spellings people write in .env files and
// Terraform-style configs; Linux names are case-sensitive, so they do not
// count, but they are worth a warning.
var lookalikes = [...]struct {
	name string
	id   varID
}{
	{"azure_tenant_id", vTenantID},
	{"azure_client_id", vClientID},
	{"azure_client_secret", vClientSecret},
	{"azure_client_certificate_path", vCertPath},
	{"azure_federated_token_file", vTokenFile},
	{"azure_token_credentials", vTokenCredentials},
}

// foreign are variables other tools read for the same purpose. autoidentity
// does not read them (they are not its contract) but names the equivalent.
var foreign = [...]struct {
	name string
	id   varID
	tool string
}{
	{"ARM_TENANT_ID", vTenantID, "Terraform"},
	{"ARM_CLIENT_ID", vClientID, "Terraform"},
	{"ARM_CLIENT_SECRET", vClientSecret, "Terraform"},
	{"ARM_CLIENT_CERTIFICATE_PATH", vCertPath, "Terraform"},
	{"ARM_CLIENT_CERTIFICATE_PASSWORD", vCertPassword, "Terraform"},
	{"ARM_OIDC_TOKEN_FILE_PATH", vTokenFile, "Terraform"},
	{"servicePrincipalId", vClientID, "the AzureCLI task (addSpnToEnvironment)"},
	{"servicePrincipalKey", vClientSecret, "the AzureCLI task (addSpnToEnvironment)"},
	{"tenantId", vTenantID, "the AzureCLI task (addSpnToEnvironment)"},
}

// vars is the environment as read: trimmed values, and which variables were
// set but blank.
type vars struct {
	val   [nVars]string
	blank uint64
}

// read looks every variable up once. Surrounding whitespace is trimmed with
// a warning (values made from files, such as Kubernetes secrets, often end
// in a newline); empty and whitespace-only values count as unset, except
// that the warning for the variables MSAL reads untrimmed (see msalRaw) says
// MSAL counts a whitespace-only value as set.
func (d *detector) read() {
	for i := range d.v.val {
		raw, ok := d.env.LookupEnv(varNames[i])
		if !ok {
			continue
		}
		v := strings.TrimSpace(raw)
		switch {
		case raw == "":
			d.v.blank |= 1 << i
		case v == "" && msalRaw(varID(i)):
			d.v.blank |= 1 << i
			d.warn(varNames[i] + " is set but blank; MSAL counts a whitespace-only value as set (it reads " + varNames[i] + " untrimmed), so unset it or give it the value the platform sets")
		case v == "":
			d.v.blank |= 1 << i
			d.warn(varNames[i] + " is set but blank; it counts as unset")
		case len(v) != len(raw):
			d.warn(varNames[i] + " has surrounding whitespace or a trailing newline; it was trimmed (values made from files often end in a newline)")
		}
		d.v.val[i] = v
	}
	for _, l := range lookalikes {
		if _, ok := d.env.LookupEnv(l.name); ok && d.v.val[l.id] == "" {
			d.warn(l.name + " is set but does not count: variable names are case-sensitive; set " + varNames[l.id])
		}
	}
	for _, f := range foreign {
		if v, ok := d.env.LookupEnv(f.name); ok && v != "" && d.v.val[f.id] == "" {
			d.warn(f.name + " (read by " + f.tool + ") is set but autoidentity does not read it; set " + varNames[f.id] + " instead")
		}
	}
}

// msalRaw reports whether MSAL's managed identity code reads the variable
// with os.Getenv and acts on any non-empty value, whitespace included (see
// msalSource); for the others a whitespace-only value counts as unset.
func msalRaw(id varID) bool {
	switch id {
	case vIdentityEndpoint, vIdentityHeader, vThumbprint, vIMDSEndpoint, vMSIEndpoint, vMSISecret:
		return true
	}
	return false
}

// get returns a variable's trimmed value, "" when unset or blank.
func (d *detector) get(id varID) string { return d.v.val[id] }

// has reports whether a variable has a value.
func (d *detector) has(id varID) bool { return d.v.val[id] != "" }

// set reports whether a variable has a value or is set but blank.
func (d *detector) set(id varID) bool { return d.has(id) || d.v.blank&(1<<id) != 0 }

// missing names a required variable for an Incomplete entry, noting when it
// was set but blank (a CI secret that does not exist expands to "").
func (d *detector) missing(id varID) string {
	if d.v.blank&(1<<id) != 0 {
		return varNames[id] + " (set but empty)"
	}
	return varNames[id]
}
