package autherrors

// codeInfo is what every Diagnostic with a code shares: the one-line
// meaning (the README table's), the default remedy and a docs link.
type codeInfo struct {
	code    Code
	summary string
	remedy  string
	docs    string
}

const (
	docsErrorCodes   = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes"
	docsWorkloadFed  = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation"
	docsManagedID    = "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview"
	docsMFAEnforce   = "https://learn.microsoft.com/entra/identity/authentication/concept-mandatory-multifactor-authentication"
	docsCertCreds    = "https://learn.microsoft.com/entra/identity-platform/certificate-credentials"
	docsAppSecrets   = "https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials"
	docsCA           = "https://learn.microsoft.com/entra/identity/conditional-access/troubleshoot-conditional-access"
	docsRBAC         = "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting"
	docsConsent      = "https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent"
	docsThrottling   = "https://learn.microsoft.com/entra/identity-platform/msal-error-handling-python#retrying-after-errors-and-exceptions"
	docsTroubleshoot = "https://aka.ms/azsdk/go/identity/troubleshoot"
	docsB2B          = "https://learn.microsoft.com/entra/external-id/add-users-administrator"
	docsIMDSErrors   = "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#error-handling"
	docsTimeSync     = "https://learn.microsoft.com/azure/virtual-machines/linux/time-sync"
	// docsCredentialClose documents Close, which ErrCredentialClosed is
	// about (package credential, this module).
	docsCredentialClose = "https://pkg.go.dev/github.com/autoidentity/autoidentity/credential#Credential.Close"
)

// codeTable lists every code in the order the README shows them.
var codeTable = []codeInfo{
	{ErrMFARequired, "A user identity was asked for multifactor authentication, which unattended automation cannot answer.",
		"Stop signing in as a user: use the managed identity, workload identity, GitHub/Azure Pipelines OIDC federation or service principal available where the program runs.", docsMFAEnforce},
	{ErrUserIdentityRefused, "The credential would act as a signed-in user (a password, Cloud Shell, a delegated token); autoidentity refuses it.",
		"Unset AZURE_USERNAME/AZURE_PASSWORD and configure a managed identity, workload identity or service principal.", docsMFAEnforce},
	{ErrDeveloperCredentialRefused, "A developer tool (Azure CLI, azd, Azure PowerShell) would supply the token and was not opted in to.",
		"Configure a non-interactive identity, or opt in to developer tools explicitly for local runs only.", docsTroubleshoot},
	{ErrConditionalAccessBlocked, "A Conditional Access policy (or security defaults) blocked the sign-in.",
		"Ask a Conditional Access administrator which policy applied (Entra sign-in logs, correlation ID) and use a workload identity the policy does not target.", docsCA},
	{ErrDeviceComplianceRequired, "A device-based Conditional Access policy requires a registered, compliant or domain-joined device; this is not an MFA prompt.",
		"Automation cannot satisfy device compliance as a user: switch to a managed identity, workload identity or service principal.", docsCA},
	{ErrInvalidCredentials, "The user name or password is wrong, expired, locked or disabled.",
		"Do not fix the password; automation must not sign in as a user. Switch to a managed identity, workload identity or service principal.", docsErrorCodes},
	{ErrAccountNotInTenant, "The user account does not exist in the tenant it signed in to (the tenant exists).",
		"Sign in to the account's home tenant (AZURE_TENANT_ID), or invite the account as a guest; for automation use a service principal in the target tenant.", docsB2B},
	{ErrInvalidClientSecret, "The client secret is wrong: often the secret's ID was used instead of its Value.",
		"Create a new client secret and set AZURE_CLIENT_SECRET to its Value column (not the Secret ID), or move to a certificate or federated credential.", docsAppSecrets},
	{ErrClientSecretExpired, "The application's client secret has expired.",
		"Create a new secret (az ad app credential reset --id <client-id> --append) and update AZURE_CLIENT_SECRET, or replace secrets with a federated credential.", docsAppSecrets},
	{ErrApplicationNotFound, "No application with this client ID exists in the tenant, or it is disabled.",
		"Check AZURE_CLIENT_ID (the Application (client) ID, not the object ID) and AZURE_TENANT_ID (the tenant the app is registered in).", docsErrorCodes},
	{ErrTenantNotFound, "The tenant ID or domain does not exist in this cloud.",
		"Set AZURE_TENANT_ID to the Directory (tenant) ID GUID, and AZURE_AUTHORITY_HOST to the tenant's cloud (sovereign clouds differ).", docsErrorCodes},
	{ErrFederatedIdentityMismatch, "No federated identity credential on the application matches the presented token's issuer, subject or audience (matching is case-sensitive).",
		"Create a federated credential whose issuer, subject and audience equal the token's exactly (az ad app federated-credential create).", docsWorkloadFed},
	{ErrFederatedTokenExpired, "The presented assertion (federated token or certificate-signed client assertion) was expired or not yet valid when Entra received it.",
		"Request a fresh assertion for each token request, check the machine clock (NTP), and do not cache assertions past their exp.", docsWorkloadFed},
	{ErrCertificateInvalid, "The certificate that signed the client assertion is not registered on the application, expired or invalid.",
		"Upload the certificate's public part to the app (az ad app credential reset --id <client-id> --cert @cert.pem --append) and check its thumbprint and validity.", docsCertCreds},
	{ErrResourceNotFound, "The requested scope names no resource (service principal) in the tenant.",
		"Request '<resource>/.default' for a resource that exists in the tenant, e.g. https://management.azure.com/.default.", docsErrorCodes},
	{ErrConsentRequired, "An administrator has not consented to the permission the application requests.",
		"Have an administrator grant consent: az ad app permission admin-consent --id <client-id>.", docsConsent},
	{ErrManagedIdentityNotFound, "The managed identity asked for is not assigned to this resource.",
		"Assign an identity to the resource: on a VM az vm identity assign --name <vm> --resource-group <rg> (add --identities <identity-resource-id> for a user-assigned one), on a scale set az vmss identity assign --name <vmss> --resource-group <rg>; " +
			"on an AKS node IMDS serves the kubelet identity (az aks show -g <rg> -n <cluster> --query identityProfile.kubeletidentity.clientId), shared by every pod: prefer workload identity. " +
			"Or set AZURE_CLIENT_ID to the client ID of a user-assigned identity that is assigned.", docsManagedID},
	{ErrManagedIdentityUnavailable, "No managed identity endpoint answered: this is not an Azure resource with managed identity, or the endpoint is blocked.",
		"Enable a managed identity on the resource, or configure another non-interactive identity for this environment.", docsManagedID},
	{ErrTokenCacheUnavailable, "A developer tool's token cache (the macOS keychain) could not be read without a prompt; this is not MFA.",
		"Do not depend on a desktop keychain in automation: use a non-interactive identity, or unlock the keychain (security unlock-keychain) for local runs.", docsTroubleshoot},
	{ErrAuthorizationFailed, "Authentication succeeded but the identity may not perform this action (RBAC 403 or a policy deny): not an authentication failure.",
		"Grant the identity a role on the scope (az role assignment create --assignee <client-id> --role <role> --scope <scope>), or fix the denying policy.", docsRBAC},
	{ErrThrottled, "Microsoft Entra ID throttled the caller (too many requests).",
		"Cache tokens and reuse credentials instead of creating one per request; retry after the Retry-After interval.", docsThrottling},
	{ErrNetwork, "The identity endpoint could not be reached (DNS, proxy, TLS or connection failure).",
		"Check DNS and outbound HTTPS to the authority host (login.microsoftonline.com or AZURE_AUTHORITY_HOST) and any proxy settings.", docsTroubleshoot},
	{ErrServiceUnavailable, "The identity endpoint answered, but not with a token: HTTP 5xx or a transient error after the retries, or a response that is not its JSON (a proxy, firewall or captive portal in between).",
		"Retry later and check Azure service health (https://azure.status.microsoft); if the answer was not JSON, check HTTPS_PROXY/NO_PROXY and TLS inspection so requests reach the identity endpoint (169.254.169.254 must bypass proxies).", docsIMDSErrors},
	{ErrTimeout, "The request's context deadline passed, or it was canceled, before a token arrived.",
		"Give authentication a longer deadline, and check that the identity endpoint is reachable.", docsTroubleshoot},
	{ErrClockSkew, "A token or assertion was outside its validity window by this machine's clock (a token that arrived already expired): the clock is probably wrong.",
		"Check the machine's clock (NTP): sync it (timedatectl set-ntp true; w32tm /resync) and check the time zone; if the clock is right, retry, since the endpoint sent a stale token.", docsTimeSync},
	{ErrCredentialClosed, "GetToken was called after the credential's Close, and no cached token was still valid: a closed credential asks for no new token.",
		"Close a credential only when the program is done with it (defer cred.Close() in main), or build a new one with credential.New.", docsCredentialClose},
	{ErrInvalidConfiguration, "A setting is malformed or contradicts another.",
		"Correct the named variable as the message says.", docsTroubleshoot},
	{ErrNoIdentity, "The environment configures no non-interactive identity.",
		"Configure one: a managed identity on Azure, AZURE_FEDERATED_TOKEN_FILE (workload identity), GitHub/Azure Pipelines OIDC, or AZURE_CLIENT_ID with a secret or certificate.", docsTroubleshoot},
	{ErrUnknown, "Not an identity failure autoidentity recognises, or an Entra code with no fix to prescribe; the diagnosis quotes the service's own words.",
		"Read the service's own words the summary quotes and the full error text; where Entra named an AADSTS code, docs links Microsoft's page for it.", docsErrorCodes},
}

var codeIndex = func() map[Code]codeInfo {
	m := make(map[Code]codeInfo, len(codeTable))
	for _, c := range codeTable {
		m[c.code] = c
	}
	return m
}()

func lookupCode(c Code) codeInfo {
	if i, ok := codeIndex[c]; ok {
		return i
	}
	return codeIndex[ErrUnknown]
}

// Codes returns every code, in documentation order.
func Codes() []Code {
	out := make([]Code, len(codeTable))
	for i, c := range codeTable {
		out[i] = c.code
	}
	return out
}

// Summary returns the code's one-line meaning.
func (c Code) Summary() string { return lookupCode(c).summary }
