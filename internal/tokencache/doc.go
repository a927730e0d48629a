// Package tokencache puts a token cache in front of an
// [azcore.TokenCredential]: cached tokens are served in tens of nanoseconds
// with no lock and no allocation, concurrent misses make one upstream
// request, and tokens are refreshed in the background before they expire.
// The credential package wraps azidentity's credentials in it.
//
// azidentity (through MSAL) already caches tokens, but it holds a
// per-credential mutex across the cache read and the network fetch, costs
// microseconds and many allocations per cached call, treats any token
// within 5 minutes of expiry as expired (so short-lived tokens are never
// served from its cache), and makes every caller wait when a refresh is due.
//
// # Keys
//
// A token is cached per (scopes, TenantID, EnableCAE) of
// [policy.TokenRequestOptions] — every field azcore v1.23 defines except
// Claims, which bypasses the cache (see Failures and challenges). Scopes
// are compared as a multiset: the order does not matter (Entra joins them
// with spaces; the token is the same), duplicates do. The key is never
// built as a string: the hot path hashes the scopes with [hash/maphash]
// (summing per-scope hashes, which is order-insensitive), looks the hash up
// in an immutable map published through an atomic pointer, and compares
// the stored scopes element by element, so a lookup allocates nothing.
// Entries are never evicted; a program asks for a handful of keys.
//
// # Refresh
//
// A token is served from the fast path until its refresh time:
// AccessToken.RefreshOn when upstream sets it (Entra's refresh_in, already
// spread per token), otherwise ExpiresOn minus a window of
// min(RefreshWindow, remaining lifetime/2) — 5 minutes for an hour-long
// token, 60 s for a 120 s token — delayed by a random fraction (at most
// Jitter) of the window so a fleet does not refresh in step. Jitter only
// delays: azidentity returns its own cached token until 5 minutes before
// expiry, so an earlier refresh would fetch the same token.
//
// From the refresh time until expiry, callers still get the cached token
// immediately and exactly one background request refreshes it. A token is
// never returned at or after its ExpiresOn; callers then wait for the
// shared request.
//
// # Concurrency
//
// The fast path is an atomic load of the index, a map lookup, an atomic
// load of the entry's immutable state and a clock read: no mutex, no
// shared writes, so it scales across cores. Everything else takes the
// entry's mutex, which is never held across a request.
//
// Each entry has at most one upstream request in flight, run in its own
// goroutine and shared by every caller that needs it (a hand-written
// singleflight). Its context is detached from all callers — one caller
// leaving must not fail the request for the others, and a result that
// arrives after every caller left still fills the cache for the next — and
// bounded by [Options.FetchTimeout] and by [Cache.Close]. Each caller
// waits bounded by its own context and returns ctx.Err() as soon as it
// ends. A request that every waiter abandoned that way is cancelled when
// the next caller arrives, which starts a fresh one: the old one may be
// hung, and azidentity holds a per-credential lock across its request, so
// waiting it out would block the whole credential for FetchTimeout. While
// callers overlap, the request keeps its waiters and is never cancelled. Close cancels requests in flight (their waiters get an error
// wrapping [ErrClosed]) and waits for their goroutines, so none outlives
// the Cache; afterwards cached tokens are served until they expire and
// anything needing upstream fails with ErrClosed.
//
// Results are ordered by the start of their request: a result replaces the
// cached token only if its request started after the one that produced the
// cached token, so a slow, stale refresh never overwrites a newer token.
//
// # Failures and challenges
//
// Errors are returned as upstream gave them (unwrapped, so errors.As
// finds azidentity's types) and are not cached: the next caller that needs
// a token makes a new request. The credential layer decides whether to
// cache failures. A failed background refresh keeps the valid token in
// service and is retried after a backoff (RetryMin doubling to RetryMax,
// with jitter), not on every call.
//
// A token that upstream returns already expired (ExpiresOn not after now,
// including an unset ExpiresOn) is given to nobody: callers get an error
// wrapping [ErrExpiredToken]. azidentity would pass it on, but a caller
// could only fail with it later and less clearly.
//
// A request with Claims set (a Continuous Access Evaluation claims
// challenge) goes straight upstream with the caller's context; on success
// its token replaces the cached one for the same scopes, tenant and CAE,
// since the old token may have been revoked.
package tokencache
