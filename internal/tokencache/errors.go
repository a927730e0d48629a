package tokencache

import (
	"errors"
	"fmt"
	"time"
)

// ErrClosed is returned by [Cache.GetToken] when, after [Cache.Close], it
// would need to ask upstream for a token, and wraps the error of a request
// that Close cancelled.
var ErrClosed = errors.New("tokencache: GetToken after Close: the cache no longer requests tokens")

// ErrExpiredToken is wrapped by the error [Cache.GetToken] returns when
// upstream answers with a token whose ExpiresOn is not in the future.
var ErrExpiredToken = errors.New("tokencache: upstream returned an expired token")

// RememberedError is what [Cache.GetToken] returns, without asking
// upstream, while the last request for the key failed too recently to ask
// again (see the package documentation, Failure memory). It wraps that
// request's error, so errors.Is and errors.As see it.
type RememberedError struct {
	// Err is the error of the request that failed, as upstream gave it.
	Err error
	// NextAttempt is the earliest time the cache asks upstream again.
	NextAttempt time.Time
	// Permanent reports whether [Options.Classify] called the failure
	// permanent.
	Permanent bool
	// Now is the cache's clock when GetToken answered.
	Now time.Time
}

// Error returns the remembered error's text after [RememberedError.Note].
func (e *RememberedError) Error() string {
	return "tokencache: " + e.Note() + ": " + e.Err.Error()
}

// Note says when the cache asks upstream again, as
// "… next attempt after 2026-01-02T15:04:05Z (in 27s)".
func (e *RememberedError) Note() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	in := e.NextAttempt.Sub(e.Now)
	if in >= time.Second {
		in = in.Round(time.Second)
	} else {
		in = in.Round(time.Millisecond)
	}
	return fmt.Sprintf("the last token request failed (%s) and is not repeated yet; next attempt after %s (in %v)",
		kind, e.NextAttempt.UTC().Format(time.RFC3339), in)
}

// Unwrap returns the remembered error.
func (e *RememberedError) Unwrap() error { return e.Err }

// RefreshError describes a request that failed while the cache kept
// serving a valid token for the key; see [Options.OnRefreshError].
type RefreshError struct {
	// Err is the request's error, as upstream gave it.
	Err error
	// Scopes, TenantID and EnableCAE are the key (Scopes is a copy).
	Scopes    []string
	TenantID  string
	EnableCAE bool
	// ExpiresOn is the expiry of the token still served; it is served until
	// [ExpirySkew] (or less, for short-lived tokens) before it.
	ExpiresOn time.Time
	// NextAttempt is the earliest time the cache asks upstream again.
	NextAttempt time.Time
	// Permanent reports whether [Options.Classify] called the failure
	// permanent.
	Permanent bool
}

// Error says what failed and what is served meanwhile.
func (e *RefreshError) Error() string {
	return fmt.Sprintf("tokencache: refreshing the token for %v failed; the cached token, which expires at %s, is served meanwhile; next attempt after %s: %v",
		e.Scopes, e.ExpiresOn.UTC().Format(time.RFC3339), e.NextAttempt.UTC().Format(time.RFC3339), e.Err)
}

// Unwrap returns the request's error.
func (e *RefreshError) Unwrap() error { return e.Err }

// checkExpiry rejects a token that is already expired at now. Such a token
// is returned to no caller: azidentity would pass it on, but a caller could
// only fail with it, and the cache promises never to hand out an expired
// token.
func checkExpiry(expires, now time.Time) error {
	if now.Before(expires) {
		return nil
	}
	if expires.IsZero() {
		return fmt.Errorf("%w: ExpiresOn is not set", ErrExpiredToken)
	}
	return fmt.Errorf("%w: it expired at %s, %s ago", ErrExpiredToken,
		expires.UTC().Format(time.RFC3339), now.Sub(expires).Round(time.Second))
}
