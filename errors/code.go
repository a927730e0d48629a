package autherrors

// Code is a stable identifier for an authentication failure. Codes are the
// contract: they are spelled exactly as the CLI's JSON prints them and are
// never renamed. Message text is not a contract.
//
// Code implements error so that errors.Is(err, autherrors.ErrMFARequired)
// matches any [*Diagnostic] carrying that code (the syscall.Errno pattern).
type Code string

// Error returns the code itself.
func (c Code) Error() string { return string(c) }

// The codes. Each constant is both the code a [*Diagnostic] carries and the
// sentinel to match it with errors.Is.
const (
	// ErrMFARequired: a user identity was asked for multifactor
	// authentication, which unattended automation cannot answer.
	ErrMFARequired Code = "mfa-required"
	// ErrUserIdentityRefused: the credential would act as a signed-in user
	// (a password, Cloud Shell, an Azure ML compute instance without a
	// managed identity, or a delegated token); autoidentity refuses it.
	ErrUserIdentityRefused Code = "user-identity-refused"
	// ErrDeveloperCredentialRefused: a developer tool (Azure CLI, azd,
	// Azure PowerShell) was asked for and not opted in to.
	ErrDeveloperCredentialRefused Code = "developer-credential-refused"
	// ErrConditionalAccessBlocked: a Conditional Access policy blocked the
	// sign-in.
	ErrConditionalAccessBlocked Code = "conditional-access-blocked"
	// ErrInvalidCredentials: a user name or password is wrong.
	ErrInvalidCredentials Code = "invalid-credentials"
	// ErrInvalidClientSecret: the client secret is not the secret's value.
	ErrInvalidClientSecret Code = "invalid-client-secret"
	// ErrClientSecretExpired: the client secret has expired.
	ErrClientSecretExpired Code = "client-secret-expired"
	// ErrApplicationNotFound: no application with this client ID exists in
	// the tenant.
	ErrApplicationNotFound Code = "application-not-found"
	// ErrTenantNotFound: the tenant ID or domain does not exist.
	ErrTenantNotFound Code = "tenant-not-found"
	// ErrFederatedIdentityMismatch: no federated identity credential on the
	// application matches the presented token's issuer, subject or audience.
	ErrFederatedIdentityMismatch Code = "federated-identity-mismatch"
	// ErrFederatedTokenExpired: the presented assertion has expired.
	ErrFederatedTokenExpired Code = "federated-token-expired"
	// ErrCertificateInvalid: the certificate is unknown to the application,
	// expired, or cannot be used.
	ErrCertificateInvalid Code = "certificate-invalid"
	// ErrResourceNotFound: the requested scope names no resource in the
	// tenant.
	ErrResourceNotFound Code = "resource-not-found"
	// ErrConsentRequired: an administrator has not consented to the
	// permission.
	ErrConsentRequired Code = "consent-required"
	// ErrManagedIdentityNotFound: the managed identity asked for is not
	// assigned to this resource.
	ErrManagedIdentityNotFound Code = "managed-identity-not-found"
	// ErrManagedIdentityUnavailable: no managed identity endpoint answered.
	ErrManagedIdentityUnavailable Code = "managed-identity-unavailable"
	// ErrThrottled: the service asked the caller to slow down.
	ErrThrottled Code = "throttled"
	// ErrNetwork: the service could not be reached.
	ErrNetwork Code = "network"
	// ErrInvalidConfiguration: a setting is malformed or contradicts
	// another; the diagnostic names the variable and the fix.
	ErrInvalidConfiguration Code = "invalid-configuration"
	// ErrNoIdentity: the environment configures no non-interactive identity.
	ErrNoIdentity Code = "no-identity"
	// ErrDeviceComplianceRequired: a device-based Conditional Access
	// policy (AADSTS50097, 53000, 53001) wants a registered, compliant or
	// domain-joined device. It is not an MFA prompt, and no automation
	// identity can satisfy it as a user.
	ErrDeviceComplianceRequired Code = "device-compliance-required"
	// ErrAccountNotInTenant: the signing-in user account does not exist in
	// the tenant it signed in to (AADSTS90072, 50020, 50034); the tenant
	// itself exists.
	ErrAccountNotInTenant Code = "account-not-in-tenant"
	// ErrAuthorizationFailed: authentication succeeded but the identity may
	// not perform the action (an ARM AuthorizationFailed 403, a policy
	// deny). The fix is a role assignment, not a different credential.
	ErrAuthorizationFailed Code = "authorization-failed"
	// ErrTokenCacheUnavailable: a developer tool's token cache (the macOS
	// keychain) could not be read without a prompt ("User interaction is
	// not allowed"). It is not MFA.
	ErrTokenCacheUnavailable Code = "token-cache-unavailable"
	// ErrTimeout: the context's deadline passed, or it was canceled, before
	// a token arrived.
	ErrTimeout Code = "timeout"
	// ErrServiceUnavailable: the identity endpoint (Microsoft Entra ID, a
	// managed identity endpoint, a CI OIDC endpoint) answered, but not with
	// a token: an HTTP 5xx or a transient AADSTS error after the retries,
	// or a response that is not the endpoint's JSON (truncated, or an HTML
	// page from a proxy, firewall or captive portal in between). Retrying
	// later may succeed; a proxy needs fixing.
	ErrServiceUnavailable Code = "service-unavailable"
	// ErrClockSkew: a token or assertion was outside its validity window by
	// this machine's clock (a token that arrived already expired, an ID
	// token "not yet valid"): the clock is probably wrong.
	ErrClockSkew Code = "clock-skew"
	// ErrCredentialClosed: GetToken was called on a credential after its
	// Close, and no cached token was still valid, so no token can be had
	// from it any more. It is a program error, not an authentication
	// failure: build a new credential, or close it only when done.
	ErrCredentialClosed Code = "credential-closed"
	// ErrUnknown: not an identity failure the package recognises, or an
	// Entra code the catalog maps to no fix; the diagnosis quotes the
	// service's own words.
	ErrUnknown Code = "unknown"
)
