// Package certs loads a service principal's client certificate the way
// users really have it, and explains in plain words why one cannot be used.
//
// It uses only the standard library and software.sslmate.com/src/go-pkcs12;
// it imports nothing of autoidentity and not azidentity, so detect can call
// it for its report and credential can hand the result to
// azidentity.NewClientCertificateCredential.
//
// # Formats
//
// [Load] and [LoadFile] read:
//
//   - PEM: certificates (leaf and chain) and one private key, in any order;
//     the key as unencrypted PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE
//     KEY") or SEC 1 ("EC PRIVATE KEY").
//   - PEM with an encrypted PKCS#8 key ("ENCRYPTED PRIVATE KEY"), as
//     OpenSSL 1.1 and 3 write it: PBES2 with PBKDF2 (HMAC-SHA-1, -SHA-224,
//     -SHA-256, -SHA-384 or -SHA-512) and AES-128/192/256-CBC or
//     DES-EDE3-CBC. The standard library cannot decrypt these. scrypt and
//     PKCS#5 v1 schemes are refused with [ReasonUnsupportedEncryption].
//   - PEM with a legacy "Proc-Type: 4,ENCRYPTED" key (OpenSSL 1.x genrsa
//     -aes256), decrypted with the standard library's deprecated routine.
//   - PKCS#12 (.pfx/.p12): legacy (3DES or RC2, SHA-1 MAC), modern
//     (AES-256-CBC, PBKDF2, SHA-256 MAC: OpenSSL 3's default and current
//     Windows exports, which azidentity.ParseCertificates rejects with
//     "pkcs12: unknown digest algorithm: 2.16.840.1.101.3.4.2.1") and
//     unprotected files.
//
// The leaf is the certificate whose public key matches the private key; the
// chain is the leaf, then its issuers, then any other certificate.
//
// # Key types
//
// RSA, ECDSA and Ed25519 keys load, so a report can describe them, but only
// RSA keys pass [Bundle.Check]: azidentity v1.15 hands the key to MSAL Go,
// whose confidential.NewCredFromCert refuses anything else with "key must
// be an RSA key", and signs the client assertion with PS256.
//
// # Errors
//
// Every error is an [*Error] whose message names [PathVariable] (and the
// file), the problem and the fix, and never the password. Its [Reason] is
// the stable part: errors.Is(err, certs.ReasonWrongPassword).
//
// # Expiry
//
// Loading never fails because of dates. [Bundle.Check] fails for an expired
// certificate ("expired on <date>; Microsoft Entra answers AADSTS700027")
// or one not yet valid, and [Bundle.Describe] also warns when the
// certificate expires within [ExpiryWarning] (30 days).
//
// # Secrets
//
// A [Bundle] prints, logs and marshals as its public [Info] only.
package certs
