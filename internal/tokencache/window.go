package tokencache

import (
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// The fixed sizes of a token's windows; see the package documentation.
const (
	// MandatoryWindow caps the mandatory window: from min(MandatoryWindow,
	// lifetime/12) before ExpiresOn, callers wait for a refresh rather than
	// take the cached token at once.
	MandatoryWindow = time.Minute

	// ExpirySkew caps the margin before ExpiresOn after which a token is
	// never served: min(ExpirySkew, half the mandatory window).
	ExpirySkew = 10 * time.Second

	// MaxRetryAfter caps how long a Retry-After (see [Failure]) can hold
	// back the next request.
	MaxRetryAfter = 5 * time.Minute
)

// state is an immutable snapshot of an entry's token and its windows, all
// computed when the token was received.
type state struct {
	tok azcore.AccessToken
	// refresh starts the advisory window: a refresh starts in the
	// background and callers still get tok at once. Never after mandatory.
	refresh time.Time
	// mandatory starts the mandatory window: callers wait for the refresh.
	mandatory time.Time
	// until is ExpiresOn less the skew margin: tok is never served at or
	// after it.
	until time.Time
	// next is when the fast path stops serving tok without a look under
	// the entry's lock (see Cache.horizon). Never after until.
	next time.Time
	// seq is the sequence number of the upstream request that produced tok;
	// a result replaces the state only if its request started later.
	seq uint64
}

// newState returns the state of tok, received at now from request seq; next
// is left for the caller to set.
func (o *Options) newState(tok azcore.AccessToken, seq uint64, now time.Time) *state {
	lifetime := tok.ExpiresOn.Sub(now)
	window := min(MandatoryWindow, lifetime/12)
	st := &state{
		tok:       tok,
		mandatory: tok.ExpiresOn.Add(-window),
		until:     tok.ExpiresOn.Add(-min(ExpirySkew, window/2)),
		seq:       seq,
	}
	st.refresh = minTime(o.refreshAt(now, tok.RefreshOn, tok.ExpiresOn), st.mandatory)
	return st
}

// with returns a copy of st with next set.
func (st *state) with(next time.Time) *state {
	c := *st
	c.next = minTime(next, st.until)
	return &c
}

// refreshAt returns when a token received at now should be refreshed.
//
// With RefreshOn set (and inside (now, expires)) it is used as given: Entra
// computes it per token, so it is already spread across a fleet. Otherwise
// the window is min(RefreshWindow, lifetime/2) and the refresh time is drawn
// uniformly from [expires-window, expires-(1-Jitter)*window]. Jitter only
// ever delays the refresh, never advances it: azidentity (MSAL) serves its
// own cached token until 5 minutes before expiry, so refreshing earlier than
// the window would fetch the same token again.
func (o *Options) refreshAt(now, refreshOn, expires time.Time) time.Time {
	if !refreshOn.IsZero() && refreshOn.After(now) && refreshOn.Before(expires) {
		return refreshOn
	}
	lifetime := expires.Sub(now)
	window := min(o.RefreshWindow, lifetime/2)
	delay := time.Duration(o.Jitter * o.rand() * float64(window))
	return expires.Add(-window + delay)
}

// backoff returns the delay before retrying after the given number of
// consecutive failed requests (failures >= 1): RetryMin doubled per
// failure, capped at RetryMax, shortened by up to Jitter at random.
func (o *Options) backoff(failures int) time.Duration {
	d := o.RetryMin
	for i := 1; i < failures && d < o.RetryMax; i++ {
		d *= 2
	}
	d = min(d, o.RetryMax)
	return d - time.Duration(o.Jitter*o.rand()*float64(d))
}

// retryDelay returns how long a failure is remembered: PermanentRetry
// ±Jitter for a permanent one, the backoff for a transient one, and in
// either case at least its Retry-After (capped at MaxRetryAfter).
func (o *Options) retryDelay(f Failure, failures int) time.Duration {
	var d time.Duration
	if f.Permanent {
		d = o.PermanentRetry + time.Duration(o.Jitter*(2*o.rand()-1)*float64(o.PermanentRetry))
	} else {
		d = o.backoff(failures)
	}
	return max(d, min(f.RetryAfter, MaxRetryAfter))
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
