package autherrors

import "strings"

// form is an error shape without an AADSTS code: a managed identity
// endpoint's answer, an Azure CLI or PowerShell message, an ARM error, a Go
// network error. Forms are tried in order; the first match decides.
type form struct {
	code    Code
	any     []string // lower-case substrings; one must appear
	none    []string // and none of these
	summary string   // "" means the code's default
	remedy  string
	source  string
}

func (f form) match(lower string) bool {
	for _, s := range f.none {
		if strings.Contains(lower, s) {
			return false
		}
	}
	for _, s := range f.any {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return false
}

var mfaPhrases = []string{"interactive authentication is needed", "interaction_required", "interactionrequired",
	"interaction required", "user interaction is required", "authenticate interactively", "requires multifactor authentication",
	"multi-factor authentication", "multifactor authentication", "--claims-challenge", "msaluirequiredexception"}

var forms = []form{
	// "User interaction is not allowed" is errSecInteractionNotAllowed
	// (-25308) from the macOS keychain: a locked token cache, not MFA.
	{code: ErrTokenCacheUnavailable, any: []string{"user interaction is not allowed", "errsecinteractionnotallowed", "-25308",
		"keychain authorization/authentication failed", "seckeychain"},
		source: "https://github.com/Azure/azure-powershell/issues/15423"},
	// An ARM 403: the identity authenticated and lacks a role.
	{code: ErrAuthorizationFailed, any: []string{"authorizationfailed", "does not have authorization to perform action",
		"linkedauthorizationfailed", "requestdisallowedbypolicy", "disallowed by policy"},
		source: "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting"},
	// IMDS answers 400 "Identity not found" for an unassigned identity;
	// azidentity says "the requested identity isn't assigned".
	{code: ErrManagedIdentityNotFound, any: []string{"identity not found", "requested identity has not been assigned",
		"requested identity isn't assigned", "failed to authenticate a system assigned identity",
		"no managed identity endpoint found", "unable to load the proper managed identity"},
		source: "https://github.com/Azure/azure-sdk-for-net/issues/37278"},
	{code: ErrThrottled, any: []string{"too many requests", "throttl", "status code 429", "status: 429", "response 429", "(429)", "error 429"}},
	// MSAL Python's "ID token already expires", or an ID token not yet
	// valid: the clock is wrong. (A token that reaches autoidentity already
	// expired is diagnosed by package credential, which matches its token
	// cache's typed error with errors.Is: no form here reads the text of
	// another package of this module.)
	{code: ErrClockSkew, any: []string{"make sure your computer's time", "cannot handle token prior to"},
		source: "https://github.com/Azure/azure-cli/issues/20388"},
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
	{code: ErrManagedIdentityUnavailable, any: []string{"managed identity timed out", "imds", "169.254.169.254",
		"managed service identity", "msi endpoint", "identity_endpoint", "managedidentitycredential"},
		source: "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-troubleshoot"},
	{code: ErrTimeout, any: []string{"deadline exceeded", "context canceled", "client.timeout exceeded", "timed out", "i/o timeout"}},
	{code: ErrNetwork, any: []string{"no such host", "dial tcp", "connection refused", "getaddrinfo", "name or service not known",
		"name does not resolve", "temporary failure in name resolution", "server misbehaving", "connection reset",
		"failed to establish a new connection", "network is unreachable", "certificate signed by unknown authority",
		"x509: ", "proxyerror", "tls handshake",
		// MSAL Go wraps only transport failures as "server response error:"
		// (an HTTP status becomes a CallErr); a reset on every try can
		// surface as a closed connection with the *net.OpError gone.
		"server response error:", "use of closed network connection"},
		source: "https://github.com/Azure/azure-cli/issues/26166"},
	// A developer tool with nobody signed in: nothing to authenticate with.
	{code: ErrNoIdentity, any: []string{"please run 'az login' to set up", "please run 'az login' to setup",
		`please run "connect-azaccount" to set up`, "please run 'azd auth login'", "executable not found on path",
		"azure cli not found", "az: command not found"},
		summary: "A developer tool was asked for a token, but it is not installed or nobody is signed in to it.",
		remedy:  "Automation must not depend on az login or Connect-AzAccount: configure a managed identity, workload identity, OIDC federation or service principal."},
	// The Azure CLI appends "Interactive authentication is needed" to most
	// sign-in failures and PowerShell says "User interaction is required":
	// an AADSTS code above decides; the phrase alone means MFA.
	{code: ErrMFARequired, any: mfaPhrases,
		source: "https://github.com/Azure/reliable-web-app-pattern-dotnet/issues/295"},
	// OAuth 2.0 error names (RFC 6749 §5.2) when no AADSTS code came with them.
	{code: ErrTenantNotFound, any: []string{"invalid_tenant", "tenant not found"}},
	{code: ErrApplicationNotFound, any: []string{"unauthorized_client"}},
	{code: ErrResourceNotFound, any: []string{"invalid_scope", "invalid_resource"}},
	{code: ErrConsentRequired, any: []string{"consent_required"}},
	{code: ErrInvalidClientSecret, any: []string{"invalid_client"}},
	// A credential chain with nothing configured.
	{code: ErrNoIdentity, any: []string{"failed to acquire a token", "missing environment variable", "environment variables are not fully configured",
		"incomplete environment variable configuration", "credentialunavailable", "authentication unavailable"}},
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
