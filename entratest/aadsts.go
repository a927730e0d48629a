package entratest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// AADSTS codes the emulator answers with. Their texts and HTTP shapes are
// Entra's (taken from real responses); the codes are stable, the texts are
// not a contract.
const (
	CodeTenantNotFound             = 90002   // unknown tenant
	CodeUserNotFound               = 50034   // unknown user (ROPC)
	CodeMFARequired                = 50076   // user must do MFA (ROPC)
	CodeInvalidPassword            = 50126   // wrong password (ROPC)
	CodeConditionalAccessBlocked   = 53003   // Conditional Access refuses token issuance
	CodeExternalOIDCFailed         = 50166   // federated token from an issuer Entra cannot reach
	CodeNoMatchingFederation       = 70021   // app has no matching federated credential
	CodeFederationIssuerMismatch   = 700211  // no federated credential for the token's issuer
	CodeFederationAudienceMismatch = 700212  // no federated credential for the token's audience
	CodeFederationSubjectMismatch  = 700213  // no federated credential for the token's subject
	CodeAppNotFound                = 700016  // unknown client ID in the tenant
	CodeAssertionAppMismatch       = 700021  // client assertion iss/sub is not client_id
	CodeAssertionAudience          = 700023  // client assertion aud is not the token endpoint
	CodeAssertionExpired           = 700024  // client assertion outside its validity
	CodeInvalidSignature           = 700027  // unknown, expired or not yet valid certificate, or bad signature
	CodeInvalidClientSecret        = 7000215 // wrong client secret
	CodeClientSecretExpired        = 7000222 // expired client secret
	CodeMissingCredential          = 7000216 // client_credentials without secret or assertion
	CodeResourceNotFound           = 500011  // unknown resource (scope)
	CodeInvalidScope               = 1002012 // client credentials scope without /.default
	CodeInvalidRefreshToken        = 70008   // unknown or expired refresh token
	CodePublicClientCredential     = 700025  // secret or assertion sent for a public client
	CodeFederatedTokenLifetime     = 70023   // federated token valid for more than 25 hours
)

// codeUnsupportedGrant answers a grant type the emulator does not implement.
const codeUnsupportedGrant = 70003

// aadError is one answer of the Entra token endpoint.
type aadError struct {
	status   int
	err      string // OAuth error
	code     int
	msg      string // text after "AADSTSnnnn: "
	suberror string
	claims   string
}

// The JSON body Entra returns, field for field.
type aadErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
	Suberror         string `json:"suberror,omitempty"`
	Claims           string `json:"claims,omitempty"`
}

func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (e *aadError) write(w http.ResponseWriter, r *http.Request) {
	now := time.Now().UTC()
	ts := now.Format("2006-01-02 15:04:05Z")
	trace, corr := newGUID(), r.Header.Get("client-request-id")
	if corr == "" {
		corr = newGUID()
	}
	body := aadErrorBody{
		Error: e.err,
		ErrorDescription: fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			e.code, e.msg, trace, corr, ts),
		ErrorCodes:    []int{e.code},
		Timestamp:     ts,
		TraceID:       trace,
		CorrelationID: corr,
		ErrorURI:      "https://login.microsoftonline.com/error?code=" + strconv.Itoa(e.code),
		Suberror:      e.suberror,
		Claims:        e.claims,
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("x-ms-request-id", trace)
	info(w).Code = e.code
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(body)
}

// aadsts builds the error for code with Entra's text; args fill the text's
// placeholders in order.
func aadsts(code int, args ...any) *aadError {
	f, ok := catalog[code]
	if !ok {
		return &aadError{status: 400, err: "invalid_request", code: code, msg: "The request failed (emulated)."}
	}
	e := f
	e.code = code
	e.msg = fmt.Sprintf(f.msg, args...)
	if code == CodeMFARequired || code == CodeConditionalAccessBlocked {
		e.claims = `{"access_token":{"capolids":{"essential":true,"values":["` + derivedGUID("ca-policy") + `"]}}}`
	}
	return &e
}

const certDocs = "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."
const wifDocs = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation"

var catalog = map[int]aadError{
	CodeTenantNotFound: {status: 400, err: "invalid_tenant",
		msg: "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."},
	CodeAppNotFound: {status: 400, err: "unauthorized_client",
		msg: "Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."},
	CodeInvalidClientSecret: {status: 401, err: "invalid_client",
		msg: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'."},
	CodeClientSecretExpired: {status: 401, err: "invalid_client",
		msg: "The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds."},
	CodeMissingCredential: {status: 401, err: "invalid_client",
		msg: "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."},
	CodeNoMatchingFederation: {status: 400, err: "invalid_request",
		msg: "No matching federated identity record found for presented assertion. Assertion Issuer: '%s'. Assertion Subject: '%s'. Assertion Audience: '%s'. " + wifDocs},
	CodeFederationIssuerMismatch: {status: 401, err: "invalid_client",
		msg: "No matching federated identity record found for presented assertion issuer '%s'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. " + wifDocs},
	CodeFederationAudienceMismatch: {status: 401, err: "invalid_client",
		msg: "No matching federated identity record found for presented assertion audience '%s'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. " + wifDocs},
	CodeFederationSubjectMismatch: {status: 401, err: "invalid_client",
		msg: "No matching federated identity record found for presented assertion subject '%s'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. " + wifDocs},
	CodeExternalOIDCFailed: {status: 401, err: "invalid_client",
		msg: "Request to External OIDC endpoint failed. Issuer '%s' is not known to this emulator."},
	CodeAssertionAppMismatch: {status: 401, err: "invalid_client",
		msg: "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."},
	CodeAssertionAudience: {status: 401, err: "invalid_client",
		msg: "Client assertion audience claim does not match Realm issuer. " + certDocs},
	CodeAssertionExpired: {status: 401, err: "invalid_client",
		msg: "Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry time of assertion %s. " + certDocs},
	CodeInvalidSignature: {status: 401, err: "invalid_client",
		msg: "%s [Reason - %s, Thumbprint of key used by client: '%s', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'.]"},
	CodeResourceNotFound: {status: 400, err: "invalid_resource",
		msg: "The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."},
	CodeInvalidScope: {status: 400, err: "invalid_scope",
		msg: "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."},
	CodeConditionalAccessBlocked: {status: 400, err: "invalid_grant", suberror: "message_only",
		msg: "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance."},
	// Real ROPC answers for a user under MFA carry error, error_description,
	// error_codes [50076], timestamp, trace_id, correlation_id, error_uri
	// and suberror "basic_action" (e.g. the 2024 body quoted at
	// https://stackoverflow.com/questions/76460724/aad-outh-generate-token-failure-aadsts50076),
	// and, when Conditional Access demands MFA, claims naming the policies:
	// {"access_token":{"capolids":{"essential":true,"values":[...]}}}.
	CodeMFARequired: {status: 400, err: "invalid_grant", suberror: "basic_action",
		msg: "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '%s'."},
	CodeUserNotFound: {status: 400, err: "invalid_grant",
		msg: "The user account {EUII Hidden} does not exist in the %s directory. To sign into this application, the account must be added to the directory."},
	// Body and status as in https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/1126
	// (the text has since become "Error validating credentials due to
	// invalid username or password.").
	CodeInvalidPassword: {status: 400, err: "invalid_grant",
		msg: "Error validating credentials due to invalid username or password."},
	codeUnsupportedGrant: {status: 400, err: "unsupported_grant_type",
		msg: "The provided grant type is not supported by the emulator: %s."},
	CodeInvalidRefreshToken: {status: 400, err: "invalid_grant",
		msg: "Provided grant is invalid or malformed."},
	// Text from Entra's error code reference (InvalidClientPublicClientWithCredential):
	// https://github.com/MicrosoftDocs/entra-docs/blob/main/docs/identity-platform/reference-error-codes.md
	CodePublicClientCredential: {status: 401, err: "invalid_client",
		msg: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."},
	// A real answer, status, error and text, quoted in
	// https://github.com/MicrosoftDocs/azure-docs/issues/86916 (a token
	// from an external OIDC provider valid for 26 hours).
	CodeFederatedTokenLifetime: {status: 400, err: "invalid_request",
		msg: "External OIDC Provider token must have a lifetime of less than or equal to 1.01:00:00. Token issued at %d. Token expires on %d."},
}
