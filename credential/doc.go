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
//	workload-identity              WorkloadIdentityCredential
//	github-actions-oidc            ClientAssertionCredential with a GitHub OIDC token (audience api://AzureADTokenExchange)
//	azure-pipelines-oidc           AzurePipelinesCredential
//	managed-identity               ManagedIdentityCredential (system-assigned, or user-assigned by client, object or resource ID)
//	developer-tool                 Azure CLI, azd, Azure PowerShell — only with Options.AllowDeveloperTools
//
// # Refusals
//
// Nothing here constructs UsernamePasswordCredential,
// InteractiveBrowserCredential or DeviceCodeCredential. [Guard] and
// [NewChain] accept caller-supplied credentials and refuse those types (and
// EnvironmentCredential and DefaultAzureCredential, which may fall back to a
// password or a developer's sign-in) up front. Every token any path returns
// is inspected: a delegated user token (idtyp=user, or scp with a user
// principal) is refused with [autherrors.ErrUserIdentityRefused]. Developer
// tools are refused unless opted in, and on a CI runner (CI, GITHUB_ACTIONS
// or TF_BUILD set) even an opted-in developer tool must return an app token.
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
