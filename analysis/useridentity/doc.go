// Package useridentity is a go/analysis analyzer that reports Go code
// which signs in to Microsoft Entra ID as a person.
//
// Microsoft Entra ID enforces multifactor authentication for user
// identities, so a program that runs unattended and signs in with a
// password, a browser, a device code, a person's token or a developer's
// az login fails in production, usually at night. [Analyzer] finds that
// code at build time. Each message names the API, why it needs a person,
// and the replacement: credential.New from
// github.com/autoidentity/autoidentity/credential, or a managed identity,
// workload identity or service principal. Run it with cmd/autoidentity-vet,
// alone or as go vet -vettool; docs/vet.md shows golangci-lint and CI.
//
// # What it reports
//
// Every object is resolved with go/types, by package path and name (a
// method by its receiver's type), never by identifier text; aliased and
// dot imports, vendored paths and promoted methods resolve the same way.
//
//   - azidentity: NewUsernamePasswordCredential, NewInteractiveBrowserCredential,
//     NewDeviceCodeCredential, NewOnBehalfOfCredentialWithCertificate,
//     NewOnBehalfOfCredentialWithClientAssertions, NewOnBehalfOfCredentialWithSecret;
//     the developer tools NewAzureCLICredential, NewAzureDeveloperCLICredential,
//     NewAzurePowerShellCredential; and NewDefaultAzureCredential and
//     NewEnvironmentCredential, which may select a password or a developer
//     login at run time.
//   - azidentity.NewChainedTokenCredential when a source flowing into it (a
//     slice literal, append, an index assignment) is one of the above.
//   - MSAL Go: public.Client's AcquireTokenByUsernamePassword,
//     AcquireTokenInteractive and AcquireTokenByDeviceCode; confidential.Client's
//     AcquireTokenByUsernamePassword and AcquireTokenOnBehalfOf.
//   - go-autorest adal: NewServicePrincipalTokenFromUsernamePassword,
//     NewServicePrincipalTokenFromAuthorizationCode and the device flow
//     (InitiateDeviceAuth, CheckForUserCompletion, WaitForUserCompletion,
//     each also WithContext).
//   - go-autorest azure/auth: NewAuthorizerFromCLI(WithResource),
//     NewUsernamePasswordConfig, NewDeviceFlowConfig, literals of
//     UsernamePasswordConfig and DeviceFlowConfig, EnvironmentSettings'
//     GetUsernamePassword, GetDeviceFlow and GetAuthorizer, and
//     NewAuthorizerFromEnvironment(WithResource), which may pick a password;
//     azure/cli: GetTokenFromCLI(WithParams) and LoadTokens.
//   - hashicorp/go-azure-sdk sdk/auth: NewAzureCliAuthorizer, and
//     Credentials.EnableAuthenticatingUsingAzureCLI set (in a literal or an
//     assignment) to anything but the constant false.
//
// App-only credentials are never reported: azidentity's ClientSecret,
// ClientCertificate, ClientAssertion, WorkloadIdentity, ManagedIdentity and
// AzurePipelines credentials, MSAL's AcquireTokenByCredential, and
// everything in package credential, which refuses user tokens at run time.
//
// # Forms it sees through
//
// A reference is reported where it is written, whether it is called or
// not: a function or method value (f := azidentity.NewDeviceCodeCredential),
// a method expression, a map of constructors. Values are followed through
// the package flow-insensitively: a variable any assignment stores a user
// credential (or a function returning one) in is a user credential, so a
// choice behind a flag or a switch counts. A function or method whose
// return statements return a user credential, a token taken from one, or
// an authorizer built on one, gets a [Fact]; calls to it and references to
// it are reported too, in its package and in every package importing it,
// transitively.
//
// Not followed: struct fields (a wrapper type holding a user credential),
// values passed into a function's parameters, and calls through an
// interface that MSAL's client happens to satisfy.
//
// # Allowing a finding
//
// Code that signs in as a person on purpose (a setup command a person
// runs, a developer tool behind an opt-in) carries a comment with the
// reason, on the line above or at the end of the line:
//
//	//autoidentity:allow the setup command asks a person once, on purpose
//	cred, err := azidentity.NewDeviceCodeCredential(nil)
//
// A comment without a reason is itself reported and allows nothing, and
// so is one on a line without a finding. An allowed finding is not carried
// further: a chain of allowed sources, or a function returning an allowed
// credential, is not reported. The flag -show-allowed reports each allowed
// finding with its reason instead of dropping it, to audit the exceptions.
//
// # Tests
//
// Findings in _test.go files are not reported unless -report-tests is
// set: tests build user credentials to prove that they are refused. This
// is independent of the driver's -test flag (singlechecker's, default
// true), which decides whether test packages are loaded at all; go vet
// always loads them.
//
// # Suggested fix
//
// azidentity.NewDefaultAzureCredential(nil) and NewEnvironmentCredential(nil)
// are replaced by credential.New(nil), adding the import, where the types
// line up: the result is discarded, assigned to an azcore.TokenCredential
// (any interface whose only method is GetToken), returned as one, or held
// in a new variable that is only used as one. credential.New returns
// (*credential.Credential, error). Apply it with autoidentity-vet -fix, or
// view it with -fix -diff.
package useridentity
