package autherrors

// form is a family of error texts without an Entra code: a managed
// identity endpoint's answer, an SDK's exception, an Azure CLI or
// PowerShell message, an ARM, Storage or Graph error, a Go network error.
// Each form describes a family (every producer's wording of one failure),
// never one message. Forms are tried in order; the first match decides.
type form struct {
	code    Code
	any     []string // lower-case substrings; one must appear
	none    []string // and none of these
	summary string   // "" means the code's default
	remedy  string
	source  string

	anyP, noneP []phrase // compiled any and none
}

func (f *form) match(s *scan) bool {
	return s.hasAny(f.anyP) && !s.hasAny(f.noneP)
}

var mfaPhrases = []string{"interactive authentication is needed", "interaction_required", "interactionrequired",
	"interaction required", "user interaction is required", "authenticate interactively", "requires multifactor authentication",
	"multi-factor authentication", "multifactor authentication", "--claims-challenge", "msaluirequiredexception",
	"interactionrequiredautherror", "authenticationrequirederror", "uirequiredexception"}

// remedyARMMFA is the fix for Azure Resource Manager's mandatory MFA
// (phase 2): create, update and delete operations by a user who signed in
// without MFA are denied by policy.
const remedyARMMFA = "Azure Resource Manager now requires MFA for users who create, update or delete resources (mandatory MFA, phase 2). " +
	"Workload identities are exempt: managed identities, service principals and workload identity federation. Run automation as one of them, " +
	"not as a user: a managed identity on Azure (az login --identity; Connect-AzAccount -Identity), GitHub/Azure Pipelines OIDC or AKS workload identity federation, " +
	"or a service principal with a certificate (az login --service-principal; Connect-AzAccount -ServicePrincipal), and grant it a role on the scope. " +
	"For a person at a terminal, sign in again with MFA (az login --claims-challenge / Connect-AzAccount -ClaimsChallenge, as the message says)."

// remedyPasswordFlow is the migration away from a user's password.
const remedyPasswordFlow = "Stop signing in with a user name and password (the resource owner password flow): it fails for federated (ADFS), " +
	"personal and guest accounts and for any account that needs MFA, which Azure now mandates. Unset AZURE_USERNAME/AZURE_PASSWORD " +
	"(Connect-AzAccount -Credential, UsernamePasswordCredential) and move to a workload identity: a managed identity, workload identity " +
	"federation (GitHub, Azure Pipelines, AKS) or a service principal with a certificate."

// remedyAppOnlySecret: SharePoint Online and Exchange Online read the
// appidacr claim of an app-only token and reject "1" (a client secret).
const remedyAppOnlySecret = "SharePoint Online and Exchange Online reject app-only tokens obtained with a client secret. Authenticate the application " +
	"with a certificate instead (upload it: az ad app credential reset --id <client-id> --cert @cert.pem --append; then " +
	"AZURE_CLIENT_CERTIFICATE_PATH or ClientCertificateCredential), or with a managed identity or federated credential, whose tokens are accepted; " +
	"and grant the application the Sites.* or Exchange application permission it needs."

var forms = compileForms([]form{
	// Token caches: "User interaction is not allowed" is
	// errSecInteractionNotAllowed (-25308) from the macOS keychain, and
	// Linux caches live in libsecret over D-Bus (a locked or missing
	// collection): a locked token cache, not MFA.
	{code: ErrTokenCacheUnavailable, any: []string{"user interaction is not allowed", "errsecinteractionnotallowed", "-25308", "-25293",
		"keychain authorization/authentication failed", "seckeychain", "from keychain", "persistence check failed", "persistenceexception",
		"failed to create the collection", "failed to unlock", "prompt dismissed", "libsecret", "org.freedesktop.secrets",
		"org.freedesktop.dbus", "secretstorage", "no keyring", "msal_extensions", "msal-node-extensions", "token cache encryption"},
		source: "https://github.com/Azure/azure-powershell/issues/15423"},
	// ARM's mandatory MFA (phase 2) is a policy deny that names MFA, and
	// the claims challenges that tell the user to sign in again with
	// claims: MFA for a user, which a workload identity is exempt from.
	{code: ErrMFARequired, any: []string{"users must authenticate with multi-factor authentication", "users must use mfa"},
		summary: "The request needs multifactor authentication of a user (an MFA claims challenge, or Azure Resource Manager's mandatory MFA for create, update and delete operations).",
		remedy:  remedyARMMFA, source: "https://learn.microsoft.com/azure/governance/policy/concepts/mfa-enforcement"},
	// A claims challenge for an authentication context (acrs) or a
	// continuous access evaluation verdict: a Conditional Access policy.
	{code: ErrConditionalAccessBlocked, any: []string{"continuous access evaluation resulted in challenge", "conditionevaluationsatisfied",
		"acrsvalidationfailed", `"acrs"`},
		summary: "A Conditional Access policy (an authentication context, or continuous access evaluation of location or risk) challenged the token.",
		source:  "https://learn.microsoft.com/entra/identity/conditional-access/concept-continuous-access-evaluation"},
	// Any other claims challenge that tells the user to sign in again
	// with claims: MFA for a user.
	{code: ErrMFARequired, any: []string{"-claimschallenge", "--claims-challenge", "or additional claims", "claims challenge"},
		summary: "The request needs multifactor authentication of a user (an MFA claims challenge, or Azure Resource Manager's mandatory MFA for create, update and delete operations).",
		remedy:  remedyARMMFA, source: "https://learn.microsoft.com/powershell/azure/troubleshooting"},
	// SharePoint Online and Exchange Online accept no app-only token from
	// a client secret. The identity authenticated and the resource refused
	// the kind of token: authorization-failed, not certificate-invalid
	// (Entra found nothing wrong with a certificate; there was none), with
	// the certificate credential as the remedy.
	{code: ErrAuthorizationFailed, any: []string{"unsupported app only token", "unsupported security token", "app-only access token is not supported"},
		summary: "The resource (SharePoint Online, Exchange Online) refused an app-only token obtained with a client secret.",
		remedy:  remedyAppOnlySecret, source: "https://github.com/pnp/pnpjs/issues/1501"},
	// An ARM, Storage, Key Vault or Graph 403: the identity authenticated
	// and lacks a role or permission.
	{code: ErrAuthorizationFailed, any: []string{"authorizationfailed", "does not have authorization to perform action",
		"linkedauthorizationfailed", "requestdisallowedbypolicy", "disallowed by policy", "authorizationpermissionmismatch",
		"authorizationpermissiondenied", "authorizationfailure", "authorization_requestdenied", "insufficient privileges to complete the operation",
		"not authorized to perform this operation", "caller is not authorized to perform action", "forbiddenbyrbac", "forbiddenbypolicy",
		"does not have secrets get permission", "does not have keys get permission", "does not have certificates get permission",
		"insufficientaccountpermissions", "accessdenied"},
		none:   []string{"access_denied", "user canceled"},
		source: "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting"},
	// A user's password in any SDK: ROPC (UsernamePasswordCredential,
	// Connect-AzAccount -Credential, MSAL's username/password methods),
	// which federated ADFS and personal accounts do not support.
	{code: ErrUserIdentityRefused, any: []string{"usernamepasswordcredential", "unsupported user type", "federated service at",
		"usernamemixed", "acquiretokenbyusernamepassword", "acquire_token_by_username_password", "username_password",
		"resource owner password", "ws-trust", "wstrust"},
		summary: "A user name and password sign-in (the resource owner password flow) failed; automation must not sign in as a user.",
		remedy:  remedyPasswordFlow, source: "https://github.com/Azure/azure-powershell/issues/13560"},
	// Certificates that cannot be loaded: PKCS#12 passwords, bags and MACs,
	// PEM that is encrypted or holds no key, across Go, .NET, Python,
	// Java and JavaScript.
	{code: ErrCertificateInvalid, any: []string{"pkcs12:", "pkcs#12", "pkcs12 ", "pfx", "private key is not present", "does not contain a private key",
		"no private key", "private key not found", "failed to deserialize certificate", "could not deserialize key data",
		"could not deserialize pkcs12", "unable to load pem", "pem certificate provided does not contain", "does not contain a pem",
		"pem-encoded", "begin certificate", "encrypted pem", "encrypted private key", "dek-info", "x509: decryption password incorrect",
		"failed to parse private key", "failed to parse certificate", "mac verify", "mac verification", "the specified network password is not correct",
		"keyset does not exist", "keystore password was incorrect", "unrecoverablekeyexception", "certificate thumbprint",
		"failed to read certificate", "cannot find the requested object", "cryptographicexception", "invalid certificate"},
		none:    []string{"certificate verify failed", "certificate_verify_failed", "signed by unknown authority"},
		summary: "The certificate credential could not be used: the file is not a certificate with its private key in a supported format (PEM or PKCS#12), its password is wrong, or the assertion names no certificate.",
		remedy:  "Provide the certificate with its private key: an unencrypted PEM holding the key and the certificate, or a PKCS#12 (.pfx) with the right password (AZURE_CLIENT_CERTIFICATE_PASSWORD) using SHA-1/3DES or SHA-256/AES as the SDK supports (re-export with openssl pkcs12 -export -legacy or -macalg sha256 if it cannot read it), and check its thumbprint is registered on the application.",
		source:  "https://github.com/Azure/azure-sdk-for-go/issues/22906"},
	// Settings a workload identity, Azure Pipelines or Terraform needs
	// and did not get.
	{code: ErrInvalidConfiguration, any: []string{"no client id/tenant id/token file specified", "no client id specified", "no tenant id specified",
		"no token file specified", "clientid cannot be empty", "client id cannot be empty", "tenantid cannot be empty", "error reading service account token",
		// Not "service connection id" or "system_accesstoken": azidentity's
		// AzurePipelinesCredential names them in every failure, a 503 too,
		// which must stay transient.
		"azure_federated_token_file", "no service connection found",
		"must be configured when authenticating", "specifying a clientid or resourceid is not supported", "is not supported by the service fabric",
		"invalid issuer or signature", "invalid tenantid", "invalid tenant id", "must be a guid", "is not a valid guid", "requires exactly one scope",
		"requires at least one scope", "invalid scope \""},
		// In a credential chain's list each source's complaint is one of
		// many: the chain form below decides.
		none: []string{"no matching federated identity record", "attempted credentials", "defaultazurecredential", "chainedtokencredential"}},
	// IMDS answers 400 "Identity not found" for an unassigned identity,
	// Azure ML and App Service "No MSI found for specified ClientId", AAD
	// Pod Identity "no azure identity found for request".
	{code: ErrManagedIdentityNotFound, any: []string{"identity not found", "requested identity has not been assigned",
		"requested identity isn't assigned", "requested identity hasn", "failed to authenticate a system assigned identity",
		"unable to load the proper managed identity", "no msi found", "no azure identity found", "not assigned to this resource",
		"managed identity is not assigned", "user-assigned identity not found", "identity is not assigned"},
		source: "https://github.com/Azure/azure-sdk-for-net/issues/37278"},
	{code: ErrThrottled, any: []string{"too many requests", "throttl", "status code 429", "status: 429", "response 429", "(429)", "error 429", "http 429"}},
	// MSAL Python's "ID token already expires", or an ID token not yet
	// valid; .NET's IDX10222/IDX10223 lifetime validation: the clock is
	// wrong. (A token that reaches autoidentity already expired is
	// diagnosed by package credential, which matches its token cache's
	// typed error with errors.Is: no form here reads the text of another
	// package of this module.)
	{code: ErrClockSkew, any: []string{"make sure your computer's time", "cannot handle token prior to", "lifetime validation failed",
		"idx10222", "idx10223", "token used before issued", "not yet valid", "clock skew"},
		source: "https://github.com/Azure/azure-cli/issues/20388"},
	// The identity endpoint answered and the client gave up waiting.
	{code: ErrTimeout, any: []string{"timed out prior to completion", "authentication timed out"}},
	// DefaultAzureCredential / ChainedTokenCredential where every source was
	// unavailable: nothing is configured (unless a source needed MFA).
	{code: ErrNoIdentity, any: []string{"defaultazurecredential", "attempted credentials:", "chainedtokencredential"},
		none:    mfaPhrases,
		summary: "Every credential in the chain was unavailable: the environment configures no non-interactive identity.",
		source:  "https://github.com/Azure/azure-sdk-for-net/issues/37278"},
	// The endpoint answered with a server error after the retries, or with
	// something that is not its JSON: a truncated body, or HTML from a
	// proxy or captive portal. It comes before the managed identity form:
	// an IMDS that answers 500 is there, just failing.
	{code: ErrServiceUnavailable, any: serverErrors,
		source: "https://github.com/Azure/azure-sdk-for-net/issues/19241"},
	// Every managed identity source: IMDS, App Service, Azure Arc, Cloud
	// Shell, Service Fabric, Azure ML, as each SDK words "not here".
	{code: ErrManagedIdentityUnavailable, any: []string{"managed identity timed out", "managed identity request timed out", "imds", "169.254.169.254",
		"managed service identity", "msi endpoint", "connect to msi", "identity_endpoint", "msi_endpoint", "managedidentitycredential",
		"managed identity endpoint", "managed identity authentication is not available", "managed identity token", "managed identity is not available",
		"managed identity response"},
		source: "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-troubleshoot"},
	{code: ErrTimeout, any: []string{"deadline exceeded", "context canceled", "client.timeout exceeded", "timed out", "i/o timeout",
		"taskcanceledexception", "operation was canceled", "timeoutexception", "etimedout", "read timeout"}},
	{code: ErrNetwork, any: []string{"no such host", "dial tcp", "connection refused", "getaddrinfo", "name or service not known",
		"name does not resolve", "temporary failure in name resolution", "server misbehaving", "connection reset",
		"failed to establish a new connection", "network is unreachable", "certificate signed by unknown authority",
		"x509: ", "proxyerror", "tls handshake", "certificate_verify_failed", "certificate verify failed", "sslerror", "ssl routines",
		"self signed certificate in certificate chain", "self-signed certificate", "unable to get local issuer certificate", "the remote name could not be resolved",
		"remote certificate is invalid", "the ssl connection could not be established", "could not establish trust relationship",
		"no connection could be made", "forcibly closed", "unable to connect to the remote server", "econnrefused", "econnreset", "enotfound",
		"eai_again", "unknownhostexception", "sslhandshakeexception", "pkix path building failed", "unable to find valid certification path",
		"max retries exceeded with url", "cannot connect to proxy", "network connection", "networkerror", "network error", "primary error:",
		"socketexception", "nodename nor servname",
		// MSAL Go wraps only transport failures as "server response error:"
		// (an HTTP status becomes a CallErr); a reset on every try can
		// surface as a closed connection with the *net.OpError gone.
		"server response error:", "use of closed network connection"},
		source: "https://github.com/Azure/azure-cli/issues/26166"},
	// A developer tool with nobody signed in: nothing to authenticate with.
	{code: ErrNoIdentity, any: []string{"please run 'az login' to set up", "please run 'az login' to setup",
		`please run "connect-azaccount" to set up`, "please run 'azd auth login'", "executable not found on path",
		"azure cli not found", "az: command not found", "authorization profile was not found", "azure developer cli could not login",
		"run 'az login'", "run az login to", "azd auth login", "not logged in"},
		summary: "A developer tool was asked for a token, but it is not installed or nobody is signed in to it.",
		remedy:  "Automation must not depend on az login or Connect-AzAccount: configure a managed identity, workload identity, OIDC federation or service principal."},
	// The Azure CLI appends "Interactive authentication is needed" to most
	// sign-in failures and PowerShell says "User interaction is required":
	// an AADSTS code above decides; the phrase alone means MFA. MSAL's
	// suberrors basic_action, additional_action and message_only say the
	// same of a user's sign-in.
	{code: ErrMFARequired, any: append([]string{"basic_action", "additional_action", "message_only"}, mfaPhrases...),
		source: "https://github.com/Azure/reliable-web-app-pattern-dotnet/issues/295"},
	{code: ErrInvalidCredentials, any: []string{"user_password_expired", "password is expired", "password has expired"}},
	{code: ErrDeviceComplianceRequired, any: []string{"protection_policy_required", "device is not in required device state"}},
	// OAuth 2.0 error names (RFC 6749 §5.2) when no Entra code came with
	// them, and the wording of the codes without them.
	{code: ErrFederatedIdentityMismatch, any: []string{"no matching federated identity record"}},
	{code: ErrTenantNotFound, any: []string{"invalid_tenant", "tenant not found", "unable to get authority configuration",
		"authority would typically be in a format", "invalid authority", "authority_not_in_valid_list", "no tenant-identifying information"}},
	{code: ErrApplicationNotFound, any: []string{"unauthorized_client"}},
	{code: ErrResourceNotFound, any: []string{"invalid_scope", "invalid_resource", "resource principal named"}},
	{code: ErrConsentRequired, any: []string{"consent_required", "has not consented", "need admin approval", "admin consent is required"}},
	{code: ErrInvalidClientSecret, any: []string{"invalid_client"}},
	// A credential chain with nothing configured.
	{code: ErrNoIdentity, any: []string{"failed to acquire a token", "missing environment variable", "environment variables are not fully configured",
		"incomplete environment variable configuration", "credentialunavailable", "authentication unavailable"}},
	// A bare 403 from a resource: the token was accepted and the action
	// was not.
	{code: ErrAuthorizationFailed, any: []string{"status: 403", "status code 403", "response 403", "403 forbidden", "403 (forbidden)",
		"(forbidden)", "http 403", "error 403", `"statuscode": 403`, `"status": 403`}},
})

func compileForms(fs []form) []form {
	for i := range fs {
		fs[i].anyP = compilePhrases(fs[i].any)
		fs[i].noneP = compilePhrases(fs[i].none)
	}
	return fs
}

// serverErrors are the phrases of an endpoint that answered without a
// token: HTTP 5xx as azcore, MSAL (Go, .NET, Python, JS) and ADAL print
// them, OAuth's temporarily_unavailable, and responses that are not JSON.
var serverErrors = []string{
	"temporarily_unavailable", "service_not_available", "service is unavailable to process the request",
	"failed due to a gateway error",
	"500 internal server error", "502 bad gateway", "503 service unavailable", "504 gateway timeout",
	"(internal server error)", "(bad gateway)", "(service unavailable)", "(gateway timeout)",
	"response 500", "response 502", "response 503", "response 504",
	"status code 500", "status code 502", "status code 503", "status code 504",
	"reply status code was 500", "reply status code was 502", "reply status code was 503", "reply status code was 504",
	"http error: 500", "http error: 502", "http error: 503", "http error: 504",
	// Not JSON: MSAL Go's decoder, azidentity's managed identity parser and
	// its Azure Pipelines OIDC reader. (autoidentity's GitHub OIDC reader
	// returns a Diagnostic itself.)
	"json decode error", "error parsing the json", "unexpected response from oidc endpoint",
	"invalid character '<' looking for beginning of value",
}
