package autherrors

// The AADSTS catalog. Each meaning is checked against Microsoft's table,
// "Microsoft Entra authentication and authorization error codes"
// (https://learn.microsoft.com/entra/identity-platform/reference-error-codes,
// source MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md),
// or, for codes that table omits, against the wording Entra returns as seen
// in the public issue cited in the entry's source field.

// variant refines an entry whose meaning depends on its text.
type variant struct {
	contains string // lower-case substring of the text
	code     Code
	summary  string
	remedy   string // "" means the code's default
}

type aadstsEntry struct {
	num  int
	name string // Microsoft's name for the code
	code Code
	// generic codes (70002 InvalidClient, 50012 AuthenticationFailed, 50013
	// InvalidAssertion) wrap a more specific one; any other code wins.
	generic  bool
	summary  string
	remedy   string // "" means the code's default
	variants []variant
	source   string // "" means the learn.microsoft.com table
}

const (
	srcSecretExpired = "https://github.com/MicrosoftDocs/azure-docs/issues/48669"
	srcFIC           = "https://github.com/Azure/login/issues/482"
	srcFICCase       = "https://github.com/Azure/login/issues/515"
	srcFICIssuer     = "https://github.com/Azure/azure-workload-identity/issues/1200"
	srcFIC70021      = "https://github.com/Azure/azure-workload-identity/issues/340"
	srcAssertTime    = "https://github.com/Azure/login/issues/180"
	srcCertSig       = "https://github.com/Azure/azure-sdk-for-net/issues/29007"
	srcRealm         = "https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/2746"
	srcClientIDAsrt  = "https://login.microsoftonline.com/error?code=700021"
	srcTokenProtect  = "https://github.com/Azure/azure-cli/issues/31428"
	srcTenantIDBad   = "https://github.com/microsoft/Analysis-Services/issues/194"
	srcNoCredential  = "https://github.com/MicrosoftDocs/azure-docs/issues/30777"
)

const remedyUseWorkload = "Automation cannot satisfy this as a user: switch to a managed identity, workload identity or service principal."

var catalog = []aadstsEntry{
	// Multifactor authentication and interaction.
	{num: 50076, name: "UserStrongAuthClientAuthNRequired", code: ErrMFARequired, summary: "The user must use multifactor authentication to access the resource (Conditional Access, per-user MFA, or mandatory Azure MFA)."},
	{num: 50079, name: "UserStrongAuthEnrollmentRequired", code: ErrMFARequired, summary: "The user must register for multifactor authentication before signing in."},
	{num: 50072, name: "UserStrongAuthEnrollmentRequiredInterrupt", code: ErrMFARequired, summary: "The user must enroll a second factor (interactive)."},
	{num: 50074, name: "UserStrongAuthClientAuthNRequiredInterrupt", code: ErrMFARequired, summary: "Strong authentication is required and the user did not pass the MFA challenge."},
	{num: 50158, name: "ExternalSecurityChallenge", code: ErrMFARequired, summary: "An external security challenge (a third-party MFA provider) was not satisfied."},
	{num: 53004, name: "ProofUpBlockedDueToRisk", code: ErrMFARequired, summary: "The user must complete multifactor authentication registration before accessing this content."},
	{num: 700020, name: "InteractionRequired", code: ErrMFARequired, summary: "The access grant requires user interaction."},
	// Device-based Conditional Access: not MFA.
	{num: 50097, name: "DeviceAuthenticationRequired", code: ErrDeviceComplianceRequired, summary: "Device authentication is required: a Conditional Access policy wants a registered device.", remedy: remedyUseWorkload},
	{num: 53000, name: "DeviceNotCompliant", code: ErrDeviceComplianceRequired, summary: "Conditional Access requires a compliant device, and the device isn't compliant.", remedy: remedyUseWorkload},
	{num: 53001, name: "DeviceNotDomainJoined", code: ErrDeviceComplianceRequired, summary: "Conditional Access requires a domain-joined device, and the device isn't domain joined.", remedy: remedyUseWorkload},
	{num: 50155, name: "DeviceAuthenticationFailed", code: ErrDeviceComplianceRequired, summary: "Device authentication failed for this user.", remedy: remedyUseWorkload},
	// Conditional Access blocks.
	{num: 53003, name: "BlockedByConditionalAccess", code: ErrConditionalAccessBlocked, summary: "Access has been blocked by Conditional Access policies; the policy does not allow token issuance."},
	{num: 530032, name: "BlockedByConditionalAccessOnSecurityPolicy", code: ErrConditionalAccessBlocked, summary: "A tenant security policy blocks this request."},
	{num: 530035, name: "BlockedBySecurityDefaults", code: ErrConditionalAccessBlocked, summary: "Security defaults blocked the request (legacy authentication or an unsafe request)."},
	{num: 530084, name: "TokenProtectionBlocked", code: ErrConditionalAccessBlocked, summary: "A Conditional Access token protection policy blocked the request.", source: srcTokenProtect},
	{num: 50131, name: "ConditionalAccessFailed", code: ErrConditionalAccessBlocked, summary: "A Conditional Access decision failed the sign-in (device state, suspicious activity or policy)."},
	{num: 53002, name: "ApplicationUsedIsNotAnApprovedApp", code: ErrConditionalAccessBlocked, summary: "The app used isn't an approved app for Conditional Access."},
	{num: 50005, name: "DevicePolicyError", code: ErrConditionalAccessBlocked, summary: "The sign-in came from a platform Conditional Access does not support."},
	// User credentials.
	{num: 50126, name: "InvalidUserNameOrPassword", code: ErrInvalidCredentials, summary: "Error validating credentials due to an invalid username or password."},
	{num: 50053, name: "IdsLocked", code: ErrInvalidCredentials, summary: "The account is locked after too many sign-in attempts, or the sign-in came from a malicious IP address."},
	{num: 50055, name: "InvalidPasswordExpiredPassword", code: ErrInvalidCredentials, summary: "The user's password is expired."},
	{num: 50057, name: "UserDisabled", code: ErrInvalidCredentials, summary: "The user account is disabled."},
	{num: 50064, name: "CredentialAuthenticationError", code: ErrInvalidCredentials, summary: "Credential validation on username or password has failed."},
	{num: 50144, name: "InvalidPasswordExpiredOnPremPassword", code: ErrInvalidCredentials, summary: "The user's on-premises Active Directory password has expired."},
	// Account not in tenant (the tenant exists).
	{num: 90072, name: "PassThroughUserMfaError", code: ErrAccountNotInTenant, summary: "The external account doesn't exist in the tenant it signed in to, so it can't satisfy that tenant's MFA requirement."},
	{num: 50020, name: "UserUnauthorized", code: ErrAccountNotInTenant, summary: "The user account from this identity provider does not exist in the tenant and cannot access the application there."},
	{num: 50034, name: "UserAccountNotFound", code: ErrAccountNotInTenant, summary: "The user account isn't in the directory (mistyped, or the wrong tenant)."},
	{num: 51004, name: "UserAccountNotInDirectory", code: ErrAccountNotInTenant, summary: "The user account doesn't exist in the directory; the application likely chose the wrong tenant."},
	{num: 16000, name: "InteractionRequired", code: ErrAccountNotInTenant, summary: "The user account doesn't exist in the tenant and must be added as an external user first."},
	// Client secrets.
	{num: 7000215, name: "InvalidClientSecret", code: ErrInvalidClientSecret, summary: "Invalid client secret provided: the value sent is not the secret's Value (often the Secret ID was used)."},
	{num: 7000222, name: "InvalidClientSecretExpiredKeysProvided", code: ErrClientSecretExpired, summary: "The provided client secret keys are expired.", source: srcSecretExpired},
	{num: 70002, name: "InvalidClient", code: ErrInvalidClientSecret, generic: true, summary: "Error validating the client's credentials."},
	// Applications.
	{num: 700016, name: "UnauthorizedClient_DoesNotMatchRequest", code: ErrApplicationNotFound, summary: "The application wasn't found in the directory/tenant (wrong client ID or wrong tenant)."},
	{num: 70001, name: "UnauthorizedClient", code: ErrApplicationNotFound, summary: "The application is disabled or was not found."},
	{num: 7000112, name: "UnauthorizedClientApplicationDisabled", code: ErrApplicationNotFound, summary: "The application is disabled."},
	{num: 700011, name: "UnauthorizedClientAppNotFoundInOrgIdTenant", code: ErrApplicationNotFound, summary: "The client application doesn't exist in the tenant."},
	// Tenants.
	{num: 90002, name: "InvalidTenantName", code: ErrTenantNotFound, summary: "The tenant wasn't found: wrong tenant ID, or the wrong cloud."},
	{num: 900023, name: "InvalidTenantIdentifier", code: ErrTenantNotFound, summary: "The specified tenant identifier is neither a valid DNS name nor a valid external domain.", remedy: "Set AZURE_TENANT_ID to the Directory (tenant) ID GUID or a verified domain, with nothing appended.", source: srcTenantIDBad},
	{num: 90038, name: "NationalCloudTenantRedirection", code: ErrInvalidConfiguration, summary: "The tenant belongs to a national cloud the current authority does not federate with.", remedy: "Set AZURE_AUTHORITY_HOST to the tenant's cloud (for example https://login.microsoftonline.us/)."},
	// Workload identity federation.
	{num: 70021, name: "NoMatchingFederatedIdentityRecord", code: ErrFederatedIdentityMismatch, summary: "No matching federated identity record found for the presented assertion (issuer, subject or audience).", source: srcFIC70021},
	{num: 700211, name: "NoMatchingFederatedIdentityRecordIssuer", code: ErrFederatedIdentityMismatch, summary: "No federated identity credential matches the presented assertion's issuer.", source: srcFICIssuer},
	{num: 700212, name: "NoMatchingFederatedIdentityRecordAudience", code: ErrFederatedIdentityMismatch, summary: "No federated identity credential matches the presented assertion's audience.", source: srcFICIssuer},
	{num: 700213, name: "NoMatchingFederatedIdentityRecordSubject", code: ErrFederatedIdentityMismatch, summary: "No federated identity credential matches the presented assertion's subject.", source: srcFIC},
	{num: 7002138, name: "NoMatchingFederatedIdentityRecordCaseSensitive", code: ErrFederatedIdentityMismatch, summary: "The subject matches a federated credential only case-insensitively; matching is case-sensitive.", source: srcFICCase},
	{num: 50027, name: "InvalidJwtToken", code: ErrInvalidConfiguration, summary: "The presented JWT is invalid: malformed, missing a required claim, an unexpected issuer or audience, or a failed signature.",
		remedy:   "Check that AZURE_FEDERATED_TOKEN_FILE (or the CI's OIDC token) holds the issuer's JWT unmodified: a projected service account token, not a copy, a placeholder or a file with extra text.",
		variants: []variant{{contains: "valid time range", code: ErrFederatedTokenExpired, summary: "The presented JWT is not within its valid time range."}}},
	{num: 7000216, name: "MissingClientCredential", code: ErrInvalidConfiguration, summary: "The token request carried no client secret or client assertion: for workload identity, the token file was empty when it was read.",
		remedy: "Check that AZURE_FEDERATED_TOKEN_FILE holds the projected service account token (the kubelet rewrites it; a copy or an empty file does not work), or that AZURE_CLIENT_SECRET is set.", source: srcNoCredential},
	{num: 700024, name: "ClientAssertionNotWithinValidTimeRange", code: ErrFederatedTokenExpired, summary: "The client assertion is not within its valid time range (expired, clock skew, or a cached assertion).", source: srcAssertTime},
	// Certificates and assertions.
	{num: 700027, name: "ClientAssertionInvalidSignature", code: ErrCertificateInvalid, summary: "The client assertion failed signature validation: the signing certificate is not registered on the application.", source: srcCertSig},
	{num: 700021, name: "ClientAssertionAppIDMismatch", code: ErrInvalidConfiguration, summary: "The client assertion's application identifier doesn't match the client_id parameter (70021 is a different code).", remedy: "Set AZURE_CLIENT_ID to the application that owns the certificate or federated credential that signed the assertion.", source: srcClientIDAsrt},
	{num: 700023, name: "InvalidResourcelessScope", code: ErrResourceNotFound, summary: "The requested scope isn't valid for an access token: it names no resource.",
		variants: []variant{{contains: "audience claim does not match realm issuer", code: ErrInvalidConfiguration,
			summary: "The client assertion's audience does not match the authority (realm) it was sent to: a cross-cloud or regional authority mismatch.",
			remedy:  "Send the request to the authority the assertion was built for: check AZURE_AUTHORITY_HOST and regional endpoint settings."}}, source: srcRealm},
	{num: 50012, name: "AuthenticationFailed", code: ErrCertificateInvalid, generic: true, summary: "Authentication failed: the client assertion or its signing certificate isn't valid.",
		variants: []variant{
			{contains: "invalid client secret", code: ErrInvalidClientSecret, summary: "Invalid client secret is provided."},
			{contains: "valid time range", code: ErrFederatedTokenExpired, summary: "The client assertion is not within its valid time range."},
			{contains: "audience claim does not match realm issuer", code: ErrInvalidConfiguration, summary: "The client assertion's audience does not match the authority it was sent to.", remedy: "Check AZURE_AUTHORITY_HOST and the tenant: the assertion must be sent to the authority it names."},
		}},
	{num: 50013, name: "InvalidAssertion", code: ErrCertificateInvalid, generic: true, summary: "The assertion is invalid: failed signature validation, expired or malformed.",
		variants: []variant{{contains: "valid time range", code: ErrFederatedTokenExpired, summary: "The assertion is not within its valid time range."}}},
	// Resources, scopes and consent.
	{num: 500011, name: "InvalidResourceServicePrincipalNotFound", code: ErrResourceNotFound, summary: "The resource principal named in the scope wasn't found in the tenant."},
	{num: 50001, name: "InvalidResource", code: ErrResourceNotFound, summary: "The resource is disabled or doesn't exist."},
	{num: 70011, name: "InvalidScope", code: ErrResourceNotFound, summary: "The scope requested by the app is invalid."},
	{num: 65001, name: "DelegationDoesNotExist", code: ErrConsentRequired, summary: "The user or administrator hasn't consented to use the application."},
	{num: 65004, name: "UserDeclinedConsent", code: ErrConsentRequired, summary: "The user declined to consent to access the app."},
	{num: 90094, name: "AdminConsentRequired", code: ErrConsentRequired, summary: "Administrator consent is required."},
	{num: 650057, name: "InvalidResourceNotInRequiredPermissions", code: ErrConsentRequired, summary: "The requested resource isn't listed in the application's required permissions."},
	// Request configuration.
	{num: 7000218, name: "MissingClientCredential", code: ErrInvalidConfiguration, summary: "The request body must contain client_assertion or client_secret: no client credential was sent.", remedy: "Set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE for the application, or disable 'Allow public client flows' only if a public client was intended."},
	{num: 700025, name: "InvalidClientPublicClientWithCredential", code: ErrInvalidConfiguration, summary: "The client is public, so neither client_assertion nor client_secret may be presented.", remedy: "Use a confidential application registration for automation (Allow public client flows: No)."},
	{num: 50059, name: "MissingTenantRealmAndNoUserInformationProvided", code: ErrInvalidConfiguration, summary: "No tenant-identifying information was found in the request.", remedy: "Set AZURE_TENANT_ID to the tenant's ID; do not use the common or organizations authority for automation."},
	{num: 90014, name: "MissingRequiredField", code: ErrInvalidConfiguration, summary: "An expected field isn't present in the credential request."},
	// Throttling and timeouts.
	{num: 90055, name: "TenantThrottlingError", code: ErrThrottled, summary: "There are too many incoming requests for the tenant."},
	{num: 50196, name: "LoopDetected", code: ErrThrottled, summary: "A client loop was detected: too many identical requests in a short period.", remedy: "Cache and reuse tokens (one credential per process); never request a token per call."},
	{num: 90024, name: "RequestBudgetExceededError", code: ErrThrottled, summary: "A transient request budget error occurred."},
	{num: 90012, name: "RequestTimeout", code: ErrTimeout, summary: "The request has timed out."},
	// Transient service errors.
	{num: 90033, name: "MsodsServiceUnavailable", code: ErrServiceUnavailable, summary: "The Microsoft Online Directory Service (MSODS) isn't available."},
	{num: 50033, name: "RetryableError", code: ErrServiceUnavailable, summary: "A transient error not related to the database operations occurred."},
	{num: 50087, name: "SasRetryableError", code: ErrServiceUnavailable, summary: "A transient error occurred during strong authentication."},
}

var catalogIndex = func() map[int]*aadstsEntry {
	m := make(map[int]*aadstsEntry, len(catalog))
	for i := range catalog {
		if _, dup := m[catalog[i].num]; dup {
			panic("autherrors: duplicate catalog entry")
		}
		m[catalog[i].num] = &catalog[i]
	}
	return m
}()
