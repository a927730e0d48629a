// Package claims decodes the public claims of a JSON Web Token without
// verifying its signature, and decides whether a Microsoft Entra access
// token is app-only. It is for explaining and classifying a token (which
// tenant, which audience, app or user, when it expires), never for trusting
// its origin: the signature is the resource's business.
//
// # Parsing
//
// [Parse] is strict because its callers decide on what it returns: a token
// it cannot read must never look like a token with nothing to check. It
// accepts exactly three dot-separated parts of unpadded base64url, a header
// that is a JSON object naming its alg, and a payload that is exactly one
// JSON object. Two claim names that differ only in case (after Unicode case
// folding, so "idtyp", "IDTYP" and "ıdtyp" are one name) are refused, as is a
// known claim spelled in any case but the documented lower case, and every
// claim Parse reads must have the type Entra documents for it. Input larger
// than [MaxLen] is refused before decoding.
//
// Every error wraps [ErrNotJWT]. Input with no dot at all, or a five-part
// encrypted token (JWE), also wraps [ErrOpaque]: its claims cannot be read,
// which a caller may tolerate for resources known to issue such tokens.
// Everything else that fails is malformed and is never to be accepted.
//
// # App-only
//
// [Claims.AppOnly] returns nil only for a token positively proven app-only
// under the rules Microsoft documents; anything else wraps [ErrNotAppOnly]
// with the reasons in plain words. [Claims.IsUser] is weaker: it reports
// signs of a user, and its being false proves nothing.
//
// # Secrets
//
// Errors never contain the token or any part of it, claim names and values
// included: a token is a bearer credential. Messages name only the claims
// this package knows, spelled as Entra documents them.
package claims
