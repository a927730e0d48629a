// Package autherrors turns Azure authentication failures into a stable
// [Code], a one-line summary and the exact fix for the environment the
// program runs in. Import it as autherrors:
//
//	import autherrors "github.com/autoidentity/autoidentity/errors"
//
// # Name
//
// The directory is errors, the name the design gives this part of the
// library (detect, credential, errors), so that the import path says what
// the package holds. The package name is autherrors because a package
// named errors would shadow the standard library's in every file that
// needs both, and every caller does: errors.Is and errors.As are how a
// [Code] is matched. Examples and documentation always import it under
// that name.
//
// It is a leaf on the standard library: it imports neither azidentity nor
// MSAL, and every other package of the module may use it. It knows no
// other package's vocabulary: a credential kind is a string its caller
// passes ([Environment.Kind]), and the errors other packages of this module
// return are matched by type (errors.Is) where they are handled, never by
// their text here.
//
// # Codes
//
// A [*Diagnostic] carries a [Code] such as [ErrMFARequired]
// ("mfa-required"). Codes are the contract and are never renamed; message
// text is not. Code implements error, so errors.Is(err,
// autherrors.ErrMFARequired) matches any Diagnostic with that code anywhere
// in err's chain, and errors.As(err, &d) reads its fields. A Diagnostic
// unwraps to its cause, so errors.As still reaches azidentity's
// *AuthenticationFailedError. [New] builds the refusals detect and
// credential report ([ErrUserIdentityRefused],
// [ErrDeveloperCredentialRefused], [ErrInvalidConfiguration],
// [ErrNoIdentity]). The repository README lists every code; a test keeps
// that table equal to the catalog.
//
// # Classification rules
//
// [Classify] reads Go errors (context deadlines, *net.DNSError,
// *net.OpError, *url.Error) and then the error's text; [Parse] reads text
// pasted from a log. The text they read is what other programs print:
// azidentity, MSAL, the Azure CLI and PowerShell, Microsoft Entra ID and
// the managed identity endpoints (and this package's own one-line
// [Diagnostic.Error], which Parse recognises by its code). The catalog maps
// every AADSTS code of Microsoft's published table (more than 350), each
// checked against Microsoft's meaning, and families of error forms without
// a code, by producer (Go azidentity, MSAL, Terraform, .NET, Python, the
// Azure CLI, JavaScript, Java, Azure PowerShell) and topic (token caches,
// claims challenges, authorization, password flows, certificates,
// configuration, managed identity, network). [ParseAll] reports every
// distinct failure of a whole log. What real pastes teach, and the rules
// therefore applied:
//
//   - Structure before words: the text is normalized once (JSON escapes at
//     any depth undone, white space collapsed), and Entra's code is read
//     from AADSTS numbers, the error_codes array, MSAL's
//     "temporarily_unavailable: 50033" prefix and "Error Code: 530033"
//     (the last only for a code the catalog knows), before any phrase.
//   - An unrecognised failure says so: its summary quotes the service's own
//     error_description or message (redacted), never a guess.
//   - An AADSTS code decides over any phrase. The Azure CLI appends
//     "Interactive authentication is needed. Please run: az login" to most
//     sign-in failures, and interaction_required accompanies Conditional
//     Access blocks; only without a code does such a phrase mean
//     [ErrMFARequired].
//   - When several codes appear ("AADSTS70002: … AADSTS50126: …"), a
//     specific code beats a generic wrapper (70002, 50012, 50013) and the
//     later, inner one wins among equals.
//   - AADSTS50097 is device-based Conditional Access
//     ([ErrDeviceComplianceRequired]), not MFA; AADSTS90072 is an account
//     missing from an existing tenant ([ErrAccountNotInTenant]).
//   - AADSTS700023 is a resourceless scope ([ErrResourceNotFound]) unless
//     its text says the assertion audience does not match the realm
//     ([ErrInvalidConfiguration]); 50012 likewise depends on its text.
//   - 70021 (no matching federated identity record) and 700021 (assertion
//     application ID differs from client_id) are different codes.
//   - AADSTS700024 hits federated tokens and certificate-signed assertions
//     alike; the remedy follows what the failure names (azidentity's
//     ClientCertificateCredential, a GitHub subject) and the platform.
//   - "User interaction is not allowed" is the macOS keychain
//     ([ErrTokenCacheUnavailable]), not MFA; an ARM AuthorizationFailed 403
//     or a policy deny is [ErrAuthorizationFailed], not authentication.
//
// # Environment-aware remedies
//
// [Diagnostic.For] takes an [Environment] (filled by package detect from
// the variables it read, detect.Result.Environment, or by hand; this
// package reads no environment variable) and writes the remedy for it: the az ad app federated-credential create command for the subject
// Entra quoted or GITHUB_REPOSITORY/GITHUB_REF, the AKS service-account
// annotation, the App Service identity to enable. Parse(text).For(env)
// and Classify(err).For(env) are the two steps together.
//
// # Redaction
//
// A Diagnostic never contains a secret, a password, a client assertion or
// an access token, even when its cause's text did: its fields come from the
// catalog, from identifiers whose shape is checked (GUIDs, AADSTS numbers),
// from the subject Entra quoted and, for an unrecognised failure, from the
// service's own description (cut between words), and all of them pass through
// [Redact], which masks JWTs, bearer values, Entra client secret values and
// client_secret=, client_assertion=, access_token=, password= pairs.
// [Diagnostic.For] also masks the values registered with
// [Environment.AddSecrets] (the credential package registers the secrets it
// holds), and their base64, URL, JSON and hex encodings, also inside a
// longer base64 string. The subject is the one field copied from a response: it is
// redacted before anything is cut from it or quoted in a remedy, capped at
// [MaxSubjectLen] and cut at the first character no subject has; every
// other field is capped at [MaxFieldLen]. A cut field ends with
// [Truncated], and a secret that straddled the cut leaves no prefix
// behind. Error, Format (%v, %+v, %s, and for a dereferenced Diagnostic
// too), %#v, JSON and log/slog never print the cause's text; Unwrap
// returns the cause as it is.
package autherrors
