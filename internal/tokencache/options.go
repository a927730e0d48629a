package tokencache

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Defaults applied to zero-valued [Options] fields.
const (
	DefaultFetchTimeout   = 30 * time.Second
	DefaultJitter         = 0.2
	DefaultMaxEntries     = 10_000
	DefaultPermanentRetry = 30 * time.Second
	DefaultRefreshWindow  = 5 * time.Minute
	DefaultRetryMax       = time.Minute
	DefaultRetryMin       = 2 * time.Second
)

// Options configures a [Cache]. The zero value (or a nil *Options) gives the
// defaults documented on each field. Fields are alphabetical.
type Options struct {
	// Classify says whether an upstream error is permanent and whether
	// upstream asked for a delay before the next request (see [Failure]).
	// It is called once per failed request, from the request's goroutine.
	// Default nil: every failure is transient, with no Retry-After.
	Classify func(error) Failure

	// FetchTimeout bounds each upstream request the cache makes. Such a
	// request is shared by every caller of its key and detached from their
	// contexts (each caller's wait is bounded by its own context); only
	// FetchTimeout and [Cache.Close] end it. Default [DefaultFetchTimeout].
	FetchTimeout time.Duration

	// Jitter spreads refresh times, retry delays and PermanentRetry at
	// random by up to this fraction, so that a fleet started together does
	// not act in step. It must be at most 1. Zero means [DefaultJitter]; a
	// negative value disables jitter.
	Jitter float64

	// MaxEntries bounds the number of keys the cache holds. Adding a key
	// beyond it evicts the least recently used keys that have no request in
	// flight, down to 3/4 of MaxEntries. Default [DefaultMaxEntries].
	MaxEntries int

	// OnRefreshError, if set, is called when a request fails while the
	// cache keeps serving a token that is still valid (static stability),
	// so that the failure can be logged: no caller sees it. It is called
	// from the request's goroutine, with no lock held, and must not block.
	// Default nil.
	OnRefreshError func(*RefreshError)

	// PermanentRetry is how long the cache waits after a permanent failure
	// (see [Failure]) before it asks upstream again for that key, varied by
	// ±Jitter. Default [DefaultPermanentRetry].
	PermanentRetry time.Duration

	// RefreshWindow is how long before expiry a token is refreshed in the
	// background when upstream gives no AccessToken.RefreshOn. For a token
	// whose remaining lifetime at receipt is shorter than twice the window,
	// half that lifetime is used instead. Default [DefaultRefreshWindow],
	// which matches azidentity's.
	RefreshWindow time.Duration

	// Remembered, if set, turns the error returned while a failure is
	// remembered into the error callers get (the credential package makes
	// it a diagnostic again). It is called once per such call, with no
	// lock held; a nil result stands for its argument. Default nil:
	// callers get the *RememberedError.
	Remembered func(*RememberedError) error

	// RetryMax caps the delay before the next request after transient
	// failures. Default [DefaultRetryMax].
	RetryMax time.Duration

	// RetryMin is the delay before the next request after one transient
	// failure; each further consecutive failure doubles it up to RetryMax.
	// Default [DefaultRetryMin].
	RetryMin time.Duration

	// Test seams: the clock; a source of numbers in [0, 1); and a timer on
	// the same clock as now. Nil means time.Now, math/rand/v2.Float64 and
	// time.NewTimer.
	now   func() time.Time
	rand  func() float64
	timer func(time.Duration) (<-chan time.Time, func() bool)
}

// Failure is what [Options.Classify] says about an upstream error.
type Failure struct {
	// Permanent means asking again soon would fail the same way until
	// someone changes something (a wrong secret, a missing application):
	// the cache answers the key's callers with the remembered error for
	// Options.PermanentRetry. Otherwise the failure is transient (a network
	// error, a 5xx, throttling) and remembered for the retry backoff.
	Permanent bool

	// RetryAfter is how long upstream asked clients to wait before asking
	// again (an HTTP Retry-After), or 0. The cache waits at least this long,
	// up to [MaxRetryAfter].
	RetryAfter time.Duration
}

// validate rejects out-of-range values; it runs before defaults are applied.
func (o *Options) validate() error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"FetchTimeout", o.FetchTimeout},
		{"PermanentRetry", o.PermanentRetry},
		{"RefreshWindow", o.RefreshWindow},
		{"RetryMax", o.RetryMax},
		{"RetryMin", o.RetryMin},
	} {
		if d.v < 0 {
			return fmt.Errorf("tokencache: Options.%s is negative (%v); use 0 for the default", d.name, d.v)
		}
	}
	if o.MaxEntries < 0 {
		return fmt.Errorf("tokencache: Options.MaxEntries is negative (%d); use 0 for the default", o.MaxEntries)
	}
	if o.Jitter > 1 {
		return fmt.Errorf("tokencache: Options.Jitter is %v; it must be at most 1 (0 for the default, negative to disable)", o.Jitter)
	}
	if o.RetryMin > 0 && o.RetryMax > 0 && o.RetryMin > o.RetryMax {
		return fmt.Errorf("tokencache: Options.RetryMin (%v) is greater than Options.RetryMax (%v)", o.RetryMin, o.RetryMax)
	}
	return nil
}

// withDefaults returns a copy of o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.FetchTimeout == 0 {
		o.FetchTimeout = DefaultFetchTimeout
	}
	switch {
	case o.Jitter == 0:
		o.Jitter = DefaultJitter
	case o.Jitter < 0:
		o.Jitter = 0
	}
	if o.MaxEntries == 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.PermanentRetry == 0 {
		o.PermanentRetry = DefaultPermanentRetry
	}
	if o.RefreshWindow == 0 {
		o.RefreshWindow = DefaultRefreshWindow
	}
	if o.RetryMax == 0 {
		o.RetryMax = max(DefaultRetryMax, o.RetryMin)
	}
	if o.RetryMin == 0 {
		o.RetryMin = min(DefaultRetryMin, o.RetryMax)
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.rand == nil {
		o.rand = rand.Float64
	}
	if o.timer == nil {
		o.timer = func(d time.Duration) (<-chan time.Time, func() bool) {
			t := time.NewTimer(d)
			return t.C, t.Stop
		}
	}
	return o
}

// errNilUpstream is returned by New when there is nothing to cache.
var errNilUpstream = errors.New("tokencache: upstream credential is nil; pass the azcore.TokenCredential to cache")
