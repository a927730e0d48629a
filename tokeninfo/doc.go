// Package tokeninfo reads the public claims of an access token, to show
// which token a program got: its audience, tenant, application, identity
// type, roles and expiry. It is what the examples print after
// credential.GetToken, and what a program may log to explain itself.
//
//	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: scopes})
//	…
//	if c, err := tokeninfo.Parse(tok.Token); err == nil {
//		log.Printf("token for %v from tenant %s, app %s (%s)", c.Audience, c.TenantID, c.AppID, c.IdentityType)
//	}
//
// # Explanation, not verification
//
// Parse does not check the signature, the issuer or anything else: claims
// read this way say what a token claims to be, which is for explaining it,
// never for trusting it. A resource verifies its tokens; a client only
// passes them on. autoidentity's own check that a token is app-only is part
// of package credential and is not offered here.
//
// # Parsing
//
// Parse is strict, as for anything that crosses a trust boundary: exactly
// three dot-separated parts of unpadded base64url, a header that is a JSON
// object naming its alg, a payload that is exactly one JSON object with no
// duplicate claim (in any case), each claim it reads of the type Microsoft
// documents, and no more than 64 KiB. An opaque or encrypted token has no
// claims to read and is an error, like a malformed one.
//
// # Secrets
//
// A token is a bearer credential. Errors never contain the token or any
// part of it, and [Claims] holds only the public claims listed on it; the
// token's user claims (names, e-mail addresses, sign-in details) are not
// copied.
package tokeninfo
