package tokencache

import (
	"testing"
	"time"
)

func fixed(v float64) func() float64 { return func() float64 { return v } }

func TestRefreshAt(t *testing.T) {
	t.Parallel()
	now := t0
	tests := []struct {
		name      string
		jitter    float64
		rand      float64
		lifetime  time.Duration
		refreshOn time.Duration // after now; 0 means unset
		want      time.Duration // after now
	}{
		{"hour token, no jitter", -1, 0.9, time.Hour, 0, 55 * time.Minute},
		{"hour token, jitter draw 0", 0.2, 0, time.Hour, 0, 55 * time.Minute},
		{"hour token, jitter draw 0.5", 0.2, 0.5, time.Hour, 0, 55*time.Minute + 30*time.Second},
		{"hour token, jitter draw 1", 0.2, 1, time.Hour, 0, 56 * time.Minute},
		{"120 s token: window is half the lifetime", -1, 0, 120 * time.Second, 0, 60 * time.Second},
		{"120 s token with jitter", 0.5, 1, 120 * time.Second, 0, 90 * time.Second},
		{"10 min token: window capped at half", -1, 0, 10 * time.Minute, 0, 5 * time.Minute},
		{"RefreshOn used as given", 0.2, 1, 2 * time.Hour, time.Hour, time.Hour},
		{"RefreshOn in the past ignored", -1, 0, time.Hour, -time.Minute, 55 * time.Minute},
		{"RefreshOn after expiry ignored", -1, 0, time.Hour, 2 * time.Hour, 55 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := Options{Jitter: tt.jitter, rand: fixed(tt.rand)}.withDefaults()
			var refreshOn time.Time
			if tt.refreshOn != 0 {
				refreshOn = now.Add(tt.refreshOn)
			}
			got := o.refreshAt(now, refreshOn, now.Add(tt.lifetime)).Sub(now)
			if got != tt.want {
				t.Fatalf("refresh after %v, want %v", got, tt.want)
			}
		})
	}
}

func TestJitterIsBounded(t *testing.T) {
	t.Parallel()
	for _, jitter := range []float64{0.05, DefaultJitter, 1} {
		o := Options{Jitter: jitter}.withDefaults() // real math/rand/v2
		expires := t0.Add(time.Hour)
		earliest, latest := expires.Add(-5*time.Minute), expires.Add(-time.Duration((1-jitter)*float64(5*time.Minute)))
		seen := map[time.Time]bool{}
		for range 10000 {
			at := o.refreshAt(t0, time.Time{}, expires)
			if at.Before(earliest) || at.After(latest) {
				t.Fatalf("jitter %v: refresh at %v, outside [%v, %v]", jitter, at, earliest, latest)
			}
			seen[at] = true
		}
		if len(seen) < 1000 {
			t.Fatalf("jitter %v: only %d distinct refresh times in 10000 draws", jitter, len(seen))
		}
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     Options
		failures int
		want     time.Duration
	}{
		{"first retry", Options{Jitter: -1}, 1, 2 * time.Second},
		{"doubles", Options{Jitter: -1}, 3, 8 * time.Second},
		{"capped", Options{Jitter: -1}, 10, time.Minute},
		{"many failures do not overflow", Options{Jitter: -1}, 1000, time.Minute},
		{"custom bounds", Options{Jitter: -1, RetryMin: time.Second, RetryMax: 3 * time.Second}, 3, 3 * time.Second},
		{"jitter shortens", Options{Jitter: 0.5, rand: fixed(1)}, 2, 2 * time.Second},
		{"jitter draw 0", Options{Jitter: 0.5, rand: fixed(0)}, 2, 4 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := tt.opts.withDefaults()
			if got := o.backoff(tt.failures); got != tt.want {
				t.Fatalf("backoff(%d) = %v, want %v", tt.failures, got, tt.want)
			}
		})
	}
}

func TestRetryDelay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		jitter   float64
		rand     float64
		f        Failure
		failures int
		want     time.Duration
	}{
		{"transient: the backoff", -1, 0, Failure{}, 2, 4 * time.Second},
		{"permanent: PermanentRetry", -1, 0, Failure{Permanent: true}, 5, 30 * time.Second},
		{"permanent, jitter draw 0: -20%", 0.2, 0, Failure{Permanent: true}, 1, 24 * time.Second},
		{"permanent, jitter draw 1: +20%", 0.2, 1, Failure{Permanent: true}, 1, 36 * time.Second},
		{"Retry-After longer than the backoff", -1, 0, Failure{RetryAfter: 45 * time.Second}, 1, 45 * time.Second},
		{"Retry-After shorter than the backoff", -1, 0, Failure{RetryAfter: time.Second}, 3, 8 * time.Second},
		{"Retry-After capped", -1, 0, Failure{Permanent: true, RetryAfter: 24 * time.Hour}, 1, MaxRetryAfter},
	}
	for _, tt := range tests {
		o := Options{Jitter: tt.jitter, rand: fixed(tt.rand)}.withDefaults()
		if got := o.retryDelay(tt.f, tt.failures); got != tt.want {
			t.Errorf("%s: retryDelay = %v, want %v", tt.name, got, tt.want)
		}
	}
}
