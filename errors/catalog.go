package autherrors

import "slices"

// The AADSTS catalog. Each meaning is checked against Microsoft's table,
// "Microsoft Entra authentication and authorization error codes"
// (https://learn.microsoft.com/entra/identity-platform/reference-error-codes,
// source MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md),
// or, for codes that table omits, against the wording Entra returns as seen
// in the public issue cited in the entry's source field. An entry whose
// source is "" follows the table.
//
// The table's rows are tableEntries in catalog_table.go, which says how a
// meaning maps to a Code; this file holds the types and specialEntries.

// variant refines an entry whose meaning depends on its text.
type variant struct {
	contains string // lower-case substring of the text
	code     Code
	summary  string
	remedy   string // "" means the code's default
}

type aadstsEntry struct {
	num  int
	name string // Microsoft's name for the code, or one in its style where it gives none
	code Code
	// generic codes (70002 InvalidClient, 50012 AuthenticationFailed, 50013
	// InvalidAssertion, 70000 InvalidGrant, 90023 and 9002313
	// InvalidRequest) wrap a more specific one; any other code wins.
	generic  bool
	summary  string
	remedy   string // "" means the code's default
	variants []variant
	source   string // "" means the learn.microsoft.com table
}

const (
	srcFIC              = "https://github.com/Azure/login/issues/482"
	srcFICCase          = "https://github.com/Azure/login/issues/515"
	srcFICIssuer        = "https://github.com/Azure/azure-workload-identity/issues/1200"
	srcFIC70021         = "https://github.com/Azure/azure-workload-identity/issues/340"
	srcAssertTime       = "https://github.com/Azure/login/issues/180"
	srcCertSig          = "https://github.com/Azure/azure-sdk-for-net/issues/29007"
	srcRealm            = "https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/2746"
	srcClientIDAsrt     = "https://login.microsoftonline.com/error?code=700021"
	srcTokenProtect     = "https://github.com/Azure/azure-cli/issues/31428"
	srcTenantIDBad      = "https://github.com/microsoft/Analysis-Services/issues/194"
	srcNoCredential     = "https://github.com/MicrosoftDocs/azure-docs/issues/30777"
	srcDeviceManaged    = "https://github.com/Azure/azure-workload-identity/issues/618"
	srcDeviceManagedCLI = "https://github.com/Azure/azure-cli/issues/27919"
	srcGuestDisabled    = "https://github.com/microsoft/AzureStorageExplorer/issues/7111"
	srcFICAgent         = "https://github.com/microsoft/Agents/issues/202"
	srcFICLifetime      = "https://github.com/Azure/azure-sdk-for-python/issues/32124"
	srcScopeDefault     = "https://github.com/microsoftgraph/msgraph-sdk-python/issues/181"
)

const remedyUseWorkload = "Automation cannot satisfy this as a user: switch to a managed identity, workload identity or service principal."

// specialEntries are the entries that tableEntries (catalog_table.go)
// cannot hold: codes whose meaning depends on their text (variants), and
// codes Microsoft's table omits or words too vaguely to act on, each with
// the public source of its wording. Names of codes outside the table are
// short names in Microsoft's style taken from the message; Microsoft
// publishes none.
var specialEntries = []aadstsEntry{
	// Conditional Access and device management.
	{num: 530003, name: "DeviceNotManaged", code: ErrDeviceComplianceRequired, summary: "Conditional Access requires the device to be managed to access this resource.", remedy: remedyUseWorkload, source: srcDeviceManaged},
	{num: 530033, name: "DeviceNotManagedByOrganization", code: ErrDeviceComplianceRequired, summary: "The sign-in succeeded, but the administrator requires the device that requests access to be managed by the organization.", remedy: remedyUseWorkload, source: srcDeviceManagedCLI},
	{num: 530084, name: "TokenProtectionBlocked", code: ErrConditionalAccessBlocked, summary: "A Conditional Access token protection policy blocked the request.", source: srcTokenProtect},
	// User accounts.
	{num: 500571, name: "GuestUserDisabled", code: ErrInvalidCredentials, summary: "The guest user account is disabled in the resource tenant.", source: srcGuestDisabled},
	// Tenants.
	{num: 900023, name: "InvalidTenantIdentifier", code: ErrTenantNotFound, summary: "The specified tenant identifier is neither a valid DNS name nor a valid external domain.", remedy: "Set AZURE_TENANT_ID to the Directory (tenant) ID GUID or a verified domain, with nothing appended.", source: srcTenantIDBad},
	// Workload identity federation.
	{num: 70021, name: "NoMatchingFederatedIdentityRecord", code: ErrFederatedIdentityMismatch, summary: "No matching federated identity record found for the presented assertion (issuer, subject or audience).", source: srcFIC70021},
	{num: 700211, name: "NoMatchingFederatedIdentityRecordIssuer", code: ErrFederatedIdentityMismatch, summary: "No federated identity credential matches the presented assertion's issuer.", source: srcFICIssuer},
	{num: 700212, name: "NoMatchingFederatedIdentityRecordAudience", code: ErrFederatedIdentityMismatch, summary: "No federated identity credential matches the presented assertion's audience.", source: srcFICIssuer},
	{num: 700213, name: "NoMatchingFederatedIdentityRecordSubject", code: ErrFederatedIdentityMismatch, summary: "No federated identity credential matches the presented assertion's subject.", source: srcFIC},
	{num: 7002137, name: "NoMatchingFederatedIdentityRecordSubjectPattern", code: ErrFederatedIdentityMismatch, summary: "No federated identity credential matches the presented assertion's subject; Entra names the subject the credential must have.", source: srcFICAgent},
	{num: 7002138, name: "NoMatchingFederatedIdentityRecordCaseSensitive", code: ErrFederatedIdentityMismatch, summary: "The subject matches a federated credential only case-insensitively; matching is case-sensitive.", source: srcFICCase},
	{num: 70023, name: "ExternalOidcTokenLifetimeTooLong", code: ErrInvalidConfiguration, summary: "The external OIDC provider's token is valid for longer than Microsoft Entra ID accepts (at most 1 day and 1 hour).",
		remedy: "Present a federated token that lives at most 24 hours: a projected service account token (expirationSeconds of 86400 or less), not a long-lived one.", source: srcFICLifetime},
	{num: 50027, name: "InvalidJwtToken", code: ErrInvalidConfiguration, summary: "The presented JWT is invalid: malformed, missing a required claim, an unexpected issuer or audience, or a failed signature.",
		remedy: "Check that AZURE_FEDERATED_TOKEN_FILE (or the CI's OIDC token) holds the issuer's JWT unmodified: a projected service account token, not a copy, a placeholder or a file with extra text.",
		variants: []variant{
			{contains: "valid time range", code: ErrFederatedTokenExpired, summary: "The presented JWT is not within its valid time range."},
			// A certificate-signed client assertion whose header names no
			// certificate (x5t): the certificate credential is built wrong.
			{contains: "certificate thumbprint", code: ErrCertificateInvalid, summary: "The client assertion is invalid: its header names no certificate thumbprint (x5t)."},
		}},
	{num: 7000216, name: "MissingClientCredential", code: ErrInvalidConfiguration, summary: "The token request carried no client secret or client assertion; for workload identity, the token file was empty when it was read.",
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
	// Scopes.
	{num: 1002012, name: "InvalidClientCredentialsScope", code: ErrResourceNotFound, summary: "The scope isn't valid for the client credentials flow, which needs a scope with /.default suffixed to the resource identifier.",
		remedy: "Request '<resource>/.default' (for example https://graph.microsoft.com/.default): an application's permissions are granted to it in advance, not named in the request.", source: srcScopeDefault},
}

// catalog is every AADSTS code the package knows: Microsoft's table
// (tableEntries) and the special entries. catalogIndex is built from it
// once, so each code in a text is a map lookup; nothing else in the
// package lists codes.
var catalog = slices.Concat(specialEntries, tableEntries)

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
