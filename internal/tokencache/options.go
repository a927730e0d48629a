package tokencache

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Defaults applied to zero-valued [Options] fields.
const (
	DefaultFetchTimeout  = 30 * time.Second
	DefaultJitter        = 0.2
	DefaultRefreshWindow = 5 * time.Minute
	DefaultRetryMax      = time.Minute
	DefaultRetryMin      = 2 * time.Second
)

// Options configures a [Cache]. The zero value (or a nil *Options) gives the
// defaults documented on each field. Fields are alphabetical.
type Options struct {
	// FetchTimeout bounds each upstream request the cache makes on behalf of
	// several callers or in the background. Such a request is detached from
	// any one caller's context (each caller's wait is still bounded by its
	// own context) and is also cancelled by [Cache.Close].
	// Default [DefaultFetchTimeout].
	FetchTimeout time.Duration

	// Jitter is the fraction of the refresh window by which a token's
	// refresh is delayed at random, so that a fleet started together does
	// not refresh in step. It must be at most 1. Zero means
	// [DefaultJitter]; a negative value disables jitter.
	Jitter float64

	// RefreshWindow is how long before expiry a token is refreshed in the
	// background when upstream gives no AccessToken.RefreshOn. For a token
	// whose remaining lifetime at receipt is shorter than twice the window,
	// half that lifetime is used instead. Default [DefaultRefreshWindow],
	// which matches azidentity's.
	RefreshWindow time.Duration

	// RetryMax caps the delay between retries of a failing background
	// refresh. Default [DefaultRetryMax].
	RetryMax time.Duration

	// RetryMin is the delay before the first retry of a failing background
	// refresh; each further failure doubles it up to RetryMax.
	// Default [DefaultRetryMin].
	RetryMin time.Duration

	// now and rand are test seams: the clock, and a source of numbers in
	// [0, 1). Nil means time.Now and math/rand/v2.Float64.
	now  func() time.Time
	rand func() float64
}

// validate rejects out-of-range values; it runs before defaults are applied.
func (o *Options) validate() error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"FetchTimeout", o.FetchTimeout},
		{"RefreshWindow", o.RefreshWindow},
		{"RetryMax", o.RetryMax},
		{"RetryMin", o.RetryMin},
	} {
		if d.v < 0 {
			return fmt.Errorf("tokencache: Options.%s is negative (%v); use 0 for the default", d.name, d.v)
		}
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
	return o
}

// errNilUpstream is returned by New when there is nothing to cache.
var errNilUpstream = errors.New("tokencache: upstream credential is nil; pass the azcore.TokenCredential to cache")

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
// consecutive failed refreshes (failures >= 1): RetryMin doubled per
// failure, capped at RetryMax, shortened by up to Jitter at random.
func (o *Options) backoff(failures int) time.Duration {
	d := o.RetryMin
	for i := 1; i < failures && d < o.RetryMax; i++ {
		d *= 2
	}
	d = min(d, o.RetryMax)
	return d - time.Duration(o.Jitter*o.rand()*float64(d))
}
