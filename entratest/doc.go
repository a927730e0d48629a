// Package entratest is a local, loopback-only emulator of Microsoft Entra ID,
// the Azure managed identity endpoints and the GitHub Actions / Azure
// Pipelines OIDC issuers. It speaks their real wire formats, checked by
// azidentity's own credentials authenticating against it unmodified, so the
// whole credential path of a program can be tested offline.
//
// # Caveats
//
// Read these before writing a test; each one otherwise fails far from its
// cause.
//
//   - MSAL reads the managed identity variables ([Server.ManagedIdentityEnv])
//     from the process environment with os.Getenv, under every credential
//     built on it (ManagedIdentityCredential, DefaultAzureCredential,
//     autoidentity's managed identity kinds), and DefaultAzureCredential
//     reads the others there too. A test that points one at the emulator
//     sets them with t.Setenv, and so cannot call t.Parallel, nor run
//     beside parallel tests that read the same variables.
//   - MSAL caches managed identity tokens process-wide, keyed by identity
//     and resource, across credentials and servers. A test that counts
//     requests or injects faults must ask for a resource no other test, and
//     no earlier run of itself (go test -count=N), has asked for: take one
//     from [UniqueResource] and register it with [Server.AddResource].
//   - Credentials must set DisableInstanceDiscovery, or MSAL asks
//     login.microsoftonline.com, which the loopback guard refuses.
//   - Never set AZURE_REGIONAL_AUTHORITY_NAME=TryAutoDetect: MSAL then probes
//     IMDS for the region with its own HTTP client, which no transport
//     option reaches.
//
// # Starting it
//
//	srv := entratest.Start(t, nil) // or NewServer(&Options{...}) + Close
//	cred, err := azidentity.NewClientSecretCredential(
//		entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret,
//		&azidentity.ClientSecretCredentialOptions{
//			ClientOptions:            srv.ClientOptions(),
//			DisableInstanceDiscovery: true, // else MSAL asks login.microsoftonline.com
//		})
//
// [Start] takes a [TB], which *testing.T, *testing.B and *testing.F satisfy;
// entratest does not import the testing package, so programs may link it.
//
// Three ways to reach the emulator, one per kind of client:
// [Server.ClientOptions] for azidentity, ARM clients and azcore pipelines,
// [Server.Client] for a plain *http.Client, and [Server.CAFile] (with
// [Server.Env] or a scenario) for another process, such as az or Python,
// that reads SSL_CERT_FILE.
//
// A server has two loopback listeners: HTTPS (certificate from a CA it
// generates; [Server.CAFile] is its PEM) for Entra ID
// ([Server.AuthorityHost]), Resource Manager ([Server.ARMEndpoint]), the CI
// OIDC endpoints and Service Fabric; and
// plain HTTP ([Server.AdminURL]) for IMDS, App Service, Azure Arc, Cloud
// Shell and Azure ML, which are plain HTTP in reality too.
//
// # Defaults
//
// Every server registers [DefaultTenantID] (domain [DefaultTenantDomain]),
// the app [DefaultClientID] with [DefaultClientSecret], the already expired
// [ExpiredClientSecret], the certificate [Server.DefaultCertificate] and
// federated credentials for the emulator's [GitHubIssuer], [AzurePipelinesIssuer]
// and [AKSIssuer] with subjects [DefaultGitHubSubject], [DefaultPipelinesSubject]
// and [DefaultAKSSubject]; users [DefaultUsername] (no MFA) and [MFAUsername]
// (MFA) with [DefaultPassword]; Microsoft's first-party public clients
// [AzureCLIClientID] and [AzurePowerShellClientID] (and Visual Studio's and
// Visual Studio Code's) in every tenant; a system-assigned managed identity
// ([SystemAssignedClientID]) on every managed identity endpoint and the
// user-assigned [UserAssignedClientID] / [UserAssignedObjectID] /
// [UserAssignedResourceID]. Secrets, passwords and tokens are canaries:
// assert they never appear in output. Register more with [Server.AddApp],
// [Server.UpdateApp], [Server.AddUser], [Server.AddManagedIdentity],
// [Server.SetSystemAssigned], [Server.AddTenant] and [Server.AddResource]
// (with a resource from [UniqueResource], see Caveats).
//
// # Entra ID
//
// /{tenant}/oauth2/v2.0/token accepts client_credentials with client_secret
// or a jwt-bearer client_assertion, password (ROPC) and refresh_token. A
// client assertion with iss = sub = client_id is a certificate assertion:
// the x5t#S256 (or x5t) header must name a registered certificate, the
// signature (PS256 as MSAL sends, RS256 or ES256) must verify, aud must be
// the tenant's token endpoint and exp/nbf must hold (5 minutes skew). Any
// other assertion is a federated token, matched against the app's
// [FederatedCredential]s by issuer, then subject, then audience (all
// case-sensitive) and verified with the emulator issuer's key; one valid
// for more than 25 hours gets AADSTS70023. A registered certificate used
// outside its NotBefore/NotAfter gets AADSTS700027 ("The key used is
// expired."). A reused assertion (same jti) is accepted, as Entra accepts
// it.
//
// The password grant works through registered apps and the first-party
// public clients (as az login -u and Connect-AzAccount -Credential sign in;
// a secret sent for one gets AADSTS700025), and succeeds only for users
// without MFA: a wrong password gets AADSTS50126, and an MFA user, or a
// claims challenge asking for MFA (see Resource Manager), gets exactly what
// Entra sends (HTTP 400, invalid_grant, AADSTS50076, suberror basic_action,
// claims, trace and correlation IDs, timestamp). Every password grant is
// logged (see Request log).
//
// Errors carry Entra's real bodies and texts; see the Code* constants
// (90002, 700016, 7000215, 7000222, 70021, 700211-700213, 700023, 700024,
// 700025, 700027, 70023, 500011, 53003, 50076, 50126, ...). The emulator
// also serves the OpenID configuration, instance discovery, user realm
// discovery (/common/userrealm/{user} and /{tenant}/userrealm/{user}, per
// domain as Entra answers: "Managed" for a tenant's domain, "Unknown" for
// any other) and JWKS.
//
// Access tokens are RS256 JWTs with aud, iss (https://sts.windows.net/TENANT/),
// tid, oid, appid, idtyp (app or user), roles or scp, iat/nbf/exp, and
// xms_mirid for managed identities; user tokens carry amr ["pwd"], or
// ["pwd", "mfa"] for the Cloud Shell user. [Options].TokenLifetime and
// [Options].RefreshIn control expires_in and refresh_in.
//
// # Managed identity
//
// IMDS (Metadata: true required; client_id, object_id, msi_res_id; 400
// "Identity not found"), App Service (X-IDENTITY-HEADER, api-version
// 2019-08-01), Azure Arc (401 challenge with WWW-Authenticate: Basic
// realm=KEYFILE, then Authorization: Basic KEY), Cloud Shell and Azure ML
// without a managed identity (they return the signed-in user's token,
// idtyp=user, of [MFAUsername]; remove Azure ML's identity with
// SetSystemAssigned(AzureML, nil)), Azure ML with one, and Service Fabric
// (HTTPS; IDENTITY_SERVER_THUMBPRINT is the SHA-1 of the emulator's
// certificate, which MSAL pins). [Server.ManagedIdentityEnv] returns each
// host's environment, which MSAL reads from the process (see Caveats: t.Setenv,
// no parallel tests, a [UniqueResource] per run).
//
// What cannot run on loopback: MSAL hard-codes IMDS at 169.254.169.254:80,
// so only a client using [Server.Client]'s transport (which redirects that
// address) reaches the emulated IMDS; a separate process can only in a
// network namespace or test VM where 169.254.169.254 is a local address and
// [Options].IMDSAddr (`autoidentity emulate --imds-listen`) is
// 169.254.169.254:80. Tests bind loopback only. MSAL accepts the
// Azure Arc key file only from /var/opt/azcmagent/tokens (Linux) or
// %ProgramData%\AzureConnectedMachineAgent\Tokens (Windows); the emulator
// writes it under [Server.Dir], so azidentity's Arc flow gets the 401
// challenge and then refuses the path. The emulated protocol is tested with
// a raw HTTP client instead.
//
// Unknown domains: user realm discovery answers "Unknown" as Entra does,
// and MSAL stops before sending a password. MSAL for Python (az login -u)
// sends user realm discovery to port 443 whatever the authority's port;
// serve it with [Options].TLSAddr (`autoidentity emulate --https-port 443`)
// where binding 443 is allowed.
//
// # Resource Manager
//
// [Server.ARMEndpoint] serves resource groups, PUT and GET at
// /subscriptions/{id}/resourcegroups/{name}?api-version=..., with ARM's
// JSON (id, name, type Microsoft.Resources/resourceGroups, location,
// properties.provisioningState) and errors (404 ResourceGroupNotFound, 400
// MissingApiVersionParameter and LocationRequired, 401 AuthenticationFailed,
// InvalidAuthenticationToken, InvalidAuthenticationTokenAudience and
// ExpiredAuthenticationToken with a WWW-Authenticate Bearer challenge). It
// accepts tokens the emulator issued for https://management.azure.com or
// https://management.core.windows.net, any subscription, no RBAC. As under
// Azure's mandatory MFA phase 2, a user token without "mfa" in amr may read
// but a write gets 401 RequestDisallowedByPolicy with a claims challenge;
// azcore's BearerTokenPolicy answers it by asking Entra for a token with
// those claims, which a password grant cannot satisfy (AADSTS50076).
// Workload identities (apps, managed identities, federated credentials)
// write freely.
//
// # CI OIDC issuers
//
// GitHub Actions (ACTIONS_ID_TOKEN_REQUEST_URL of [Server.GitHubActionsEnv]:
// GET with Authorization: Bearer [ActionsRequestToken] and an audience
// parameter, answering {"value": JWT}), Azure Pipelines
// (SYSTEM_OIDCREQUESTURI of [Server.AzurePipelinesEnv]: POST ?api-version=7.1&
// serviceConnectionId=[DefaultServiceConnectionID] with Authorization: Bearer
// [SystemAccessToken], answering {"oidcToken": JWT}) and an AKS projected
// token file ([Server.WriteServiceAccountToken], atomically rewritten to
// rotate). [Server.FederatedToken] mints tokens directly; [Server.SetSubject]
// changes the subject an issuer hands out.
//
// # Faults
//
// [Server.Inject] scripts per-endpoint failures: status codes with
// Retry-After, AADSTS codes, latency, hangs (released when the client gives
// up or the server closes), connection resets, truncated or non-JSON
// bodies, and already expired tokens. [Server.ClearFaults] removes them.
//
// # Request log
//
// [Server.Requests] returns what crossed the wire (endpoint, path, grant
// type, client ID, tenant, identity, resource, status, AADSTS code), never a
// secret. [Server.EndpointRequests] counts the requests to one endpoint
// (EndpointRequests(TokenEndpoint): what reached Entra) and [Server.Count]
// those matching any predicate, e.g. password grants:
//
//	srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" })
//
// [Server.ClearRequests] empties the log; GET AdminURL/requests serves it
// as JSON.
//
// # Loopback guard
//
// [Server.Client] (and so [Server.ClientOptions]) dials only 127.0.0.0/8,
// ::1 and localhost, redirecting 169.254.169.254:80 to the emulator, and
// refuses anything else with a *[NonLoopbackError] before opening a socket;
// under [Start] each refusal also fails the test. [GuardTransport] wraps any
// other transport a test uses with the same refusal at the request level. No
// test may reach the network.
//
// # Scenarios
//
// [Scenarios] and [Server.Scenario] package common configurations
// (service-principal-secret, workload-identity, ropc-mfa, ...) as the
// environment a program would see; `autoidentity emulate --scenario NAME`
// serves them to other processes.
package entratest
