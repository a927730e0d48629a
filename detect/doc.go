// Package detect decides, from the process environment alone, which
// non-interactive Azure identity a program will use, and explains why.
//
// [Detect] is a pure function: environment in ([MapEnv], [OSEnv] or any
// [Env]), [*Result] out. It reads the files the environment names (through
// a seam its own tests replace), never touches the network and never
// starts a process.
// "Nothing usable" is a Result of kind [None] that lists what was seen,
// what is missing and what to fix; it is not an error. The Result marshals
// to stable JSON for machines and sums itself up in one line for logs
// ([Result.String]); `autoidentity detect` renders it for people. It is the
// one value package credential builds from. It
// holds no secret value; the values construction needs travel beside it,
// unexported, to package credential.
//
// The only network step, [ProbeIMDS], is separate and optional: it asks the
// Azure Instance Metadata Service whether it answers, and its [Probe] can be
// passed to Detect.
//
// # Precedence
//
// The first complete configuration wins; every other complete one is listed
// in [Result.Skipped] with the reason:
//
//  1. Explicit selection: [Options].Kind, else AZURE_TOKEN_CREDENTIALS with
//     azidentity's values (case-insensitive): prod (every kind below except
//     developer tools), EnvironmentCredential (service principal),
//     WorkloadIdentityCredential, ManagedIdentityCredential,
//     AzurePipelinesCredential (an autoidentity extension), and the
//     developer values dev, AzureCLICredential, AzureDeveloperCLICredential,
//     AzurePowerShellCredential. ManagedIdentityCredential asserts a managed
//     identity, so IMDS is selected without a probe, as azidentity does. An
//     empty value counts as unset; an unknown value selects nothing and is
//     reported as an error. When nothing the selection allows is
//     configured, [Result.Incomplete] starts with an entry per forced kind
//     whose ForcedBy names the variable (AZURE_TOKEN_CREDENTIALS or
//     Options.Kind) and whose reason says what that kind needs.
//  2. Service principal with a secret (AZURE_TENANT_ID, AZURE_CLIENT_ID,
//     AZURE_CLIENT_SECRET), then with a certificate
//     (AZURE_CLIENT_CERTIFICATE_PATH, optional
//     AZURE_CLIENT_CERTIFICATE_PASSWORD and
//     AZURE_CLIENT_SEND_CERTIFICATE_CHAIN). When both are set the secret
//     wins, as in azidentity; setting both always earns a warning naming
//     them, whichever configuration is complete.
//  3. Workload identity (AZURE_FEDERATED_TOKEN_FILE with AZURE_TENANT_ID and
//     AZURE_CLIENT_ID); the token file's public claims are reported.
//  4. GitHub Actions OIDC (ACTIONS_ID_TOKEN_REQUEST_URL and
//     ACTIONS_ID_TOKEN_REQUEST_TOKEN with AZURE_TENANT_ID and
//     AZURE_CLIENT_ID), then Azure Pipelines OIDC (SYSTEM_OIDCREQUESTURI,
//     SYSTEM_ACCESSTOKEN and AZURESUBSCRIPTION_TENANT_ID,
//     AZURESUBSCRIPTION_CLIENT_ID, AZURESUBSCRIPTION_SERVICE_CONNECTION_ID).
//  5. A managed identity endpoint the environment announces, decided exactly
//     as MSAL's managedidentity.GetSource decides (azidentity's
//     ManagedIdentityCredential calls it), on the raw values: a variable
//     counts when it is not empty, whitespace included. In MSAL's order:
//     Service Fabric (IDENTITY_ENDPOINT, IDENTITY_HEADER,
//     IDENTITY_SERVER_THUMBPRINT), App Service, Functions and Container Apps
//     (IDENTITY_ENDPOINT and IDENTITY_HEADER), Azure ML (MSI_ENDPOINT and
//     MSI_SECRET, whatever else is set: next to a WEBSITE_*, FUNCTIONS_* or
//     CONTAINER_APP_* marker too, since markers do not change the protocol
//     MSAL speaks), Cloud Shell (MSI_ENDPOINT alone; refused), Azure Arc
//     (IDENTITY_ENDPOINT and IMDS_ENDPOINT, or the agent's himds binary). A
//     variable of the chosen source that holds only whitespace makes it
//     incomplete; it never falls through to IMDS, since MSAL would not.
//  6. IMDS, only when a [Probe] reached it or a managed identity was
//     asserted.
//  7. Developer tools, only when [Options].AllowDeveloperTools is set.
//
// AZURE_CLIENT_ID next to a managed identity names a user-assigned identity
// on App Service, Azure ML and IMDS (as in azidentity); Service Fabric and
// Azure Arc serve a system identity, so it is ignored with a warning.
// [Options].ManagedIdentityID names the identity by client, object or
// resource ID instead, and the Result reports it (ClientID, ObjectID or
// ResourceID) as the identity azidentity will ask for; where the source
// cannot serve it, the managed identity is incomplete with a [ConfigError].
//
// # Refusals
//
// Some configurations act as a person, who must answer MFA; they are never
// selected and appear in [Result.Refused] with a code and the fix:
//
//   - AZURE_USERNAME or AZURE_PASSWORD (even one alone): a password sign-in
//     (ROPC), refused with [autherrors.ErrUserIdentityRefused] under kind
//     "user-password", which no caller can select.
//   - Azure Cloud Shell's protocol: MSI_ENDPOINT set (even to whitespace)
//     without MSI_SECRET, which MSAL sends to Cloud Shell's endpoint and
//     which returns the signed-in user's token, whatever other variables
//     are set: ErrUserIdentityRefused.
//   - Azure ML's protocol (MSI_ENDPOINT and MSI_SECRET) unless
//     DEFAULT_IDENTITY_CLIENT_ID or AZURE_CLIENT_ID is a GUID and no Cloud
//     Shell marker (ACC_CLOUD, AZUREPS_HOST_ENVIRONMENT starting with
//     cloud-shell) is present: a compute instance without a managed identity
//     (DEFAULT_IDENTITY_CLIENT_ID is the literal "clientid") and Cloud Shell
//     both return the user's token. ErrUserIdentityRefused.
//   - Developer tools (AZURE_TOKEN_CREDENTIALS=dev or a developer tool's
//     credential name) unless the caller opted in:
//     [autherrors.ErrDeveloperCredentialRefused].
//
// # Validation
//
// Detect reports what people get wrong, naming the variable and never
// quoting a secret:
//
//   - Tenants must be a GUID or a verified domain, not common,
//     organizations or consumers; client IDs must be GUIDs. A malformed
//     value makes its configuration incomplete and adds a [ConfigError]
//     with [autherrors.ErrInvalidConfiguration].
//   - AZURE_AUTHORITY_HOST must be an https URL whose host is at most 253
//     bytes long.
//   - ACTIONS_ID_TOKEN_REQUEST_URL and SYSTEM_OIDCREQUESTURI must be https
//     URLs, loopback hosts included: the request carries the job's bearer
//     token, the CI services only hand out https URLs, and the entratest
//     emulator serves https too. A malformed one makes its configuration
//     incomplete and is reported as a ConfigError naming the variable.
//   - AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PASSWORD,
//     ACTIONS_ID_TOKEN_REQUEST_TOKEN and SYSTEM_ACCESSTOKEN longer than
//     16 KiB are refused naming the variable and the length, never the value
//     (a client secret is about 40 characters, a request token a few KB).
//   - Messages quote at most 80 bytes of a value (1024 of a file path),
//     then "… (N bytes)", so a megabyte-long variable cannot flood a log.
//   - Files named by AZURE_CLIENT_CERTIFICATE_PATH and
//     AZURE_FEDERATED_TOKEN_FILE must exist, be readable and be regular
//     files of at most [MaxCertificateFileSize] and [MaxTokenFileSize]
//     bytes. A FIFO, device, directory or socket is refused before it is
//     read (the real file system opens with O_NONBLOCK and checks the
//     opened file, so a FIFO cannot block and a swapped file is caught), and
//     no more than the cap is ever read, so /dev/zero or a huge file cannot
//     exhaust memory.
//   - Surrounding whitespace and trailing newlines (common in values made
//     from files, such as Kubernetes secrets) are trimmed with a warning;
//     empty and whitespace-only variables count as unset, except where MSAL
//     reads them raw to choose the managed identity source (see Precedence).
//   - Lower-case look-alikes (azure_client_id) do not count, since Linux
//     variable names are case-sensitive; they earn a warning. So do
//     variables other tools read (Terraform's ARM_*, the AzureCLI task's
//     servicePrincipalId and servicePrincipalKey), naming the AZURE_*
//     equivalent.
//   - A configuration that was started but lacks something is listed in
//     [Result.Incomplete] with exactly what is missing: a secret without a
//     tenant, a token file that does not exist, a GitHub Actions job without
//     `permissions: id-token: write`.
//
// # CI runners
//
// [CI] names the variable that shows the program runs on a CI runner
// (GITHUB_ACTIONS, TF_BUILD, GITLAB_CI, JENKINS_URL, TEAMCITY_VERSION and
// other vendors' variables with any value, or CI unless it is empty, false
// or 0), and Detect reports it in [Result].CI.
package detect
