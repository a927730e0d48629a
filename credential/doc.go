// Package credential gives unattended programs an azcore.TokenCredential
// that never signs in as a person.
//
// [New] reads the environment through package detect, builds azidentity's own
// credential for what it selected, and puts two things in front of it: an
// inspection that refuses user tokens, and a lock-free token cache. A program
// switching from azidentity.NewDefaultAzureCredential changes one line:
//
//	cred, err := credential.New(nil)
//
// # What New builds
//
// Each kind maps to one azidentity credential:
//
//	service-principal-secret       ClientSecretCredential
//	service-principal-certificate  ClientCertificateCredential (PEM, encrypted PKCS#8, legacy and modern PKCS#12)
//	workload-identity              ClientAssertionCredential reading AZURE_FEDERATED_TOKEN_FILE through a cap at each assertion (a regular file of at most 64 KiB; a token read is reused up to 10 minutes, as azidentity's WorkloadIdentityCredential does)
//	github-actions-oidc            ClientAssertionCredential with a GitHub OIDC token (audience api://AzureADTokenExchange)
//	azure-pipelines-oidc           AzurePipelinesCredential
//	managed-identity               ManagedIdentityCredential (system-assigned, or user-assigned by client, object or resource ID)
//	developer-tool                 Azure CLI, azd, Azure PowerShell — only with Options.AllowDeveloperTools
//
// # Refusals, in three layers, each failing closed
//
// Layer 0, the wire: every azidentity credential New builds sends its
// requests through a policy that refuses, before anything is sent, a form
// whose grant_type is not client_credentials (a password, device-code,
// refresh-token or on-behalf-of grant), any username or password field, and
// any device-code or authorize endpoint; and that reads every response
// through [MaxResponseBytes]. Zero password grants holds by transport, not
// by type switches. Nothing here constructs UsernamePasswordCredential,
// InteractiveBrowserCredential or DeviceCodeCredential in the first place.
//
// Layer 1, types: [Guard] and [NewChain] accept, by exact type, only what is
// app-only by construction (azidentity's ClientSecret, ClientCertificate,
// ClientAssertion, WorkloadIdentity, ManagedIdentity and AzurePipelines
// credentials, and a [*Credential]). The user flows, EnvironmentCredential
// and DefaultAzureCredential are refused always; developer tools, and every
// other type (a wrapper, azidentity's ChainedTokenCredential, a caller's
// own), only with [ChainOptions] saying so.
//
// Layer 2, tokens: every token any path returns must be proven app-only
// from its claims (exactly three base64url parts, a JSON object without
// duplicate keys, every claim of its documented type; no user claim, idtyp
// app if present, sub equal to oid). Anything else is refused with
// [autherrors.ErrUserIdentityRefused] and the reason, including opaque and
// encrypted tokens, unless the caller lists the resource in
// Options.OpaqueTokenResources. Developer tools are refused unless opted in,
// and on a CI runner (detect.CI, by Options.Env or by the process
// environment) even an opted-in developer tool must return an app token.
//
// A token is served until the earlier of azidentity's ExpiresOn and its own
// exp claim, never longer than [MaxTokenLifetime], and never once exp has
// passed.
//
// # Custom authority hosts
//
// For the public, China and US Government clouds, MSAL's instance discovery
// stays on. For any other authority host (Azure Stack, an air-gapped cloud,
// the entratest emulator) it is turned off: discovery asks
// login.microsoftonline.com about the host, which such a machine cannot
// reach. The host must be https.
//
// # Caching
//
// Tokens are cached per scopes, tenant and CAE setting. A hit costs two
// atomic loads and a map lookup; concurrent misses share one request; a
// token is refreshed in the background ahead of expiry (RefreshOn, or up to
// five minutes before, less for short-lived tokens, with jitter); a failed
// refresh keeps serving the valid token and retries with backoff; an expired
// token is never returned. Claims challenges bypass the cache.
//
// # Errors
//
// Every error from New and GetToken is a *autherrors.Diagnostic with a
// stable code, a summary and a remedy for the environment the program runs
// in. It unwraps to azidentity's error, so errors.As with
// *azidentity.AuthenticationFailedError keeps working.
package credential
