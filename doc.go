// Package autoidentity gives unattended Go programs an Azure credential that
// never needs a human.
//
// Microsoft Entra ID enforces multifactor authentication for user
// identities. Automation that signs in as a person — a password in
// AZURE_USERNAME/AZURE_PASSWORD, an Azure CLI login on a build agent — fails
// with AADSTS50076 or "Interactive authentication is needed", usually at
// night, in production. autoidentity selects an identity made for
// automation (managed identity, workload identity federation, a service
// principal), refuses user identities, and turns every failure into a
// stable code with the fix.
//
// This package holds only documentation; the library is in its
// sub-packages.
//
// # Quick start
//
// Replace azidentity.NewDefaultAzureCredential with [credential.New]:
//
//	cred, err := credential.New(nil) // reads the environment, no network
//	if err != nil {
//		log.Fatal(err) // e.g. "autoidentity: user-identity-refused: ..." with the fix
//	}
//	client, err := armresources.NewClientFactory(subscriptionID, cred, nil)
//
// The credential is an azcore.TokenCredential, so any Azure SDK client
// accepts it.
//
// # Packages
//
//   - [github.com/autoidentity/autoidentity/detect] decides, from the
//     environment alone, which identity to use and explains why.
//   - [github.com/autoidentity/autoidentity/credential] builds azidentity's
//     credential for that decision, refuses user tokens, caches tokens and
//     diagnoses errors.
//   - [github.com/autoidentity/autoidentity/errors] (imported as
//     autherrors) maps AADSTS codes and managed identity failures to stable
//     codes and remedies.
//   - [github.com/autoidentity/autoidentity/entratest] is a local Entra ID,
//     managed identity and CI OIDC emulator for tests.
//   - [github.com/autoidentity/autoidentity/tokeninfo] reads a token's
//     public claims, to explain it; it verifies nothing.
//   - cmd/autoidentity is the CLI: detect, token, explain, emulate, version.
//   - [github.com/autoidentity/autoidentity/analysis/useridentity] and
//     cmd/autoidentity-vet find code that signs in as a person, at build
//     time.
//
// [credential.New]: https://pkg.go.dev/github.com/autoidentity/autoidentity/credential#New
package autoidentity
