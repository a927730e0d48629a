// Package tokencache puts a token cache in front of an
// [azcore.TokenCredential]: cached tokens are served in tens of nanoseconds
// with no lock and no allocation, each key has at most one upstream request
// in flight, tokens are refreshed before they expire, and failures are
// remembered so that a program retrying in a loop does not hammer the
// identity endpoint. The credential package wraps azidentity's credentials
// in it.
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
// [policy.TokenRequestOptions]: every field azcore v1.23 defines except
// Claims, which bypasses the cache (see Claims challenges). Scopes are
// compared as a multiset: the order does not matter (Entra joins them with
// spaces; the token is the same), duplicates do. The key is never built as
// a string: the hot path hashes the scopes with [hash/maphash] (summing
// per-scope hashes, which is order-insensitive) and looks the hash up in an
// open-addressing table of atomic pointers, comparing the stored scopes
// element by element, so a lookup takes no lock and allocates nothing.
//
// # Bounds
//
// Adding a key costs amortised O(1): it is stored into a free slot of the
// table, which is rebuilt only to double it (it is kept at most half full)
// or to drop evicted keys. The cache holds at most [Options.MaxEntries]
// keys (default 10,000, about 400 bytes each plus the token): adding one
// more evicts the least recently used keys without a request in flight,
// down to 3/4 of the bound. "Used" is a coarse per-key time, written by the
// fast path at most once a second per key. Keys with a request in flight
// are never evicted, so the bound can be exceeded while more than a quarter
// of MaxEntries keys are all waiting for upstream at once.
//
// # Windows
//
// Each token's times are fixed when it arrives, from its lifetime (its
// ExpiresOn less the time of arrival):
//
//   - Advisory window, from the refresh time: AccessToken.RefreshOn when
//     upstream sets it (Entra's refresh_in, already spread per token),
//     otherwise ExpiresOn less min(RefreshWindow, lifetime/2), delayed by a
//     random fraction (at most Jitter) of that window: 5 to 4 minutes
//     before expiry for an hour-long token, 60 to 48 s for a 120 s token.
//     Jitter only delays: azidentity returns its own cached token until 5
//     minutes before expiry, so an earlier refresh would fetch the same
//     token. The first caller in the window starts one request in the
//     background; every caller still gets the cached token at once.
//   - Mandatory window, from min([MandatoryWindow], lifetime/12) before
//     expiry: 60 s for tokens living 12 minutes or more, 10 s for a 120 s
//     token. Callers no longer get the cached token without a look: each
//     waits for the refresh (starting it if none is in flight), up to its
//     own deadline. If the refresh fails, the waiters get the cached token
//     (static stability).
//   - Skew margin: a token is never served at or after ExpiresOn less
//     min([ExpirySkew], half the mandatory window): 10 s for tokens living
//     4 minutes or more, 5 s for a 120 s token, 167 ms for a 4 s one. Ten
//     seconds covers the trip to the resource and a clock a few seconds
//     off; the cap keeps a short-lived token servable for the other half of
//     its mandatory window rather than not at all.
//
// Static stability: when a refresh fails while the token is servable, the
// token stays in service until the failure's next attempt (or the skew
// margin), served at once even in the mandatory window, and
// [Options.OnRefreshError] is told, so that the credential package can log
// a warning.
//
// # Failure memory
//
// A failed request is remembered per key until its next attempt; until
// then no request for the key is made. [Options.Classify] says whether the
// failure is permanent and whether upstream asked for a Retry-After:
//
//   - A permanent failure (a wrong or expired secret, a missing
//     application, a refusal) is remembered for PermanentRetry, 30 s ±20 %
//     by default: a hot loop costs one request per period. Callers get a
//     [*RememberedError] at once, wrapping the original error (errors.Is
//     and errors.As see it) and saying when the next attempt is.
//   - A transient failure (network, 5xx, throttling, timeout, and anything
//     Classify does not call permanent) is remembered for the backoff:
//     RetryMin (2 s) doubling per consecutive failure up to RetryMax (1
//     min), shortened by up to Jitter. A caller whose deadline is past the
//     next attempt (or that has none) waits for it and shares it with the
//     others; one whose deadline comes first gets the RememberedError at
//     once. A caller waits for at most one next attempt.
//   - Either way the next attempt is no sooner than the failure's
//     RetryAfter, capped at [MaxRetryAfter] (5 minutes).
//
// The same memory paces background refreshes. A success clears it. A
// failure from a request that started before the cached token's request
// (a slow claims challenge) is not remembered, and a stale result changes
// nothing, not even the failure count. Failures of requests that Close
// cancelled are not remembered.
//
// # Concurrency
//
// The fast path is an atomic load of the table, a probe, an atomic load of
// the entry's immutable state and a clock read: no mutex, no allocation,
// and no shared write but the once-a-second use time, so it scales across
// cores. Everything else takes the entry's mutex, which is never held
// across a request or a wait.
//
// Each key has at most one upstream request in flight, ever: one shared
// request (a hand-written singleflight) run in its own goroutine. Its
// context is detached from every caller, as [context.WithoutCancel] makes
// it (aws-sdk-go-v2's credential cache does the same): one caller leaving
// must not fail it for the others, a result that arrives after every
// caller left still fills the cache for the next, and nothing a newer
// caller does cancels it. Only [Options.FetchTimeout] (30 s) and
// [Cache.Close] end it; a request that does not honour its context keeps
// the key's slot until it returns. Each caller waits bounded by its own
// context and returns ctx.Err() as soon as it ends.
//
// So a hung upstream blocks that key's callers, each until its own
// deadline, until FetchTimeout ends the request (with azidentity, whose
// confidential clients hold one lock across a request, other keys of the
// same credential wait behind it too). The alternative, replacing a
// request every caller abandoned, let successive callers with short
// deadlines cancel each other forever (ten callers with 100 ms deadlines
// against a 150 ms endpoint got no token from ten requests, none of which
// completed) and piled up requests against an endpoint slow to honour
// cancellation. Waiting out one request bounds both the load on the
// endpoint and the outage: at most FetchTimeout, after which the failure
// is remembered for the backoff and the next attempt starts afresh.
// FetchTimeout stays at 30 s because azidentity's own retries need it: its
// managed identity client alone waits up to tens of seconds between tries.
//
// Close cancels requests in flight (their waiters get an error wrapping
// [ErrClosed], or the cached token while it is servable) and waits for
// their goroutines, so none outlives the Cache; afterwards cached tokens
// are served from the fast path until the skew margin, and anything
// needing upstream fails with ErrClosed.
//
// Results are ordered by the start of their request: a result replaces the
// cached token only if its request started after the one that produced the
// cached token, so a slow, stale result never overwrites a newer token.
//
// # Errors
//
// Errors are returned as upstream gave them (unwrapped, so errors.As finds
// azidentity's types), or as a RememberedError wrapping them, which
// [Options.Remembered] may turn into an error of the caller's choosing.
//
// A token that upstream returns already expired (ExpiresOn not after now,
// including an unset ExpiresOn) is given to nobody: callers get an error
// wrapping [ErrExpiredToken], remembered as a transient failure.
//
// # Claims challenges
//
// A request with Claims set (a Continuous Access Evaluation claims
// challenge) goes straight upstream with the caller's context, bypassing
// the failure memory and the one-request rule; on success its token
// replaces the cached one for the same scopes, tenant and CAE, since the
// old token may have been revoked, and clears the failure memory. Its
// failures are not remembered.
package tokencache
