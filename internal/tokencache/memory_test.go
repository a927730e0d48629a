package tokencache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

var (
	errWrongSecret = errors.New("AADSTS7000215: invalid client secret")
	errUnavailable = errors.New("HTTP 503")
)

// failing returns an upstream that fails every request with err, and a
// classifier calling errWrongSecret permanent and asking retryAfter.
func failing(err error, retryAfter time.Duration) (*counter, func(error) Failure) {
	up := &counter{fn: func(context.Context, int64, policy.TokenRequestOptions) (azcore.AccessToken, error) {
		return azcore.AccessToken{}, err
	}}
	return up, func(err error) Failure {
		return Failure{Permanent: errors.Is(err, errWrongSecret), RetryAfter: retryAfter}
	}
}

// burst has n callers call GetToken at once with ctx and returns their
// errors.
func burst(c *Cache, ctx context.Context, n int) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = c.GetToken(ctx, scopeA) })
	}
	wg.Wait()
	return errs
}

// TestPermanentFailureIsRemembered is issue 13's third measurement: a
// permanent failure (a wrong secret) cost one request per burst of callers.
// A burst of 100 callers every simulated second for 60 s now costs one
// request per PermanentRetry (30 s): two. Callers in between get the
// remembered error at once, wrapping the original and saying when the next
// attempt is.
func TestPermanentFailureIsRemembered(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up, classify := failing(errWrongSecret, 0)
	c := newTest(t, up, clk, Options{Classify: classify})
	for s := range 60 {
		for _, err := range burst(c, context.Background(), 100) {
			if !errors.Is(err, errWrongSecret) {
				t.Fatalf("at %ds: error = %v, want the wrong secret's", s, err)
			}
		}
		if s == 3 {
			_, err := c.GetToken(context.Background(), scopeA)
			var r *RememberedError
			if !errors.As(err, &r) || !r.Permanent || !r.NextAttempt.Equal(t0.Add(30*time.Second)) {
				t.Fatalf("error = %#v, want a permanent RememberedError with the next attempt at 12:00:30", err)
			}
			if want := "next attempt after 2025-01-01T12:00:30Z (in 27s)"; !strings.Contains(err.Error(), want) {
				t.Fatalf("error = %q, want it to say %q", err, want)
			}
		}
		clk.add(time.Second)
	}
	wantCalls(t, up, 2)
}

// TestTransientFailureIsRememberedForBackoff: after a 503, a burst of
// callers makes no request before the backoff ends. A caller whose
// deadline comes first gets the remembered error at once; one whose
// deadline allows waits for the next attempt, shared by all such callers.
func TestTransientFailureIsRememberedForBackoff(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up, classify := failing(errUnavailable, 0)
	c := newTest(t, up, clk, Options{Classify: classify})
	if _, err := c.GetToken(context.Background(), scopeA); !errors.Is(err, errUnavailable) {
		t.Fatalf("error = %v", err)
	}
	short, cancel := context.WithTimeout(context.Background(), time.Second) // before the 2 s backoff
	defer cancel()
	for _, err := range burst(c, short, 100) {
		var r *RememberedError
		if !errors.As(err, &r) || r.Permanent || !errors.Is(err, errUnavailable) {
			t.Fatalf("error = %v, want the remembered 503", err)
		}
	}
	wantCalls(t, up, 1)

	errs := make(chan []error, 1)
	go func() { errs <- burst(c, context.Background(), 100) }() // no deadline: they wait
	waitFor(t, "100 callers waiting for the next attempt", func() bool { return clk.pending() == 100 })
	wantCalls(t, up, 1)
	clk.add(2 * time.Second)
	for _, err := range <-errs {
		if !errors.Is(err, errUnavailable) {
			t.Fatalf("error = %v", err)
		}
	}
	wantCalls(t, up, 2) // one request for the 100 waiters
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up, classify := failing(errUnavailable, 45*time.Second)
	c := newTest(t, up, clk, Options{Classify: classify})
	_, _ = c.GetToken(context.Background(), scopeA)
	short, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	clk.add(44 * time.Second)
	_, err := c.GetToken(short, scopeA)
	var r *RememberedError
	if !errors.As(err, &r) || !r.NextAttempt.Equal(t0.Add(45*time.Second)) {
		t.Fatalf("error = %v, want the next attempt at the Retry-After, 45 s", err)
	}
	wantCalls(t, up, 1)
	clk.add(time.Second)
	_, _ = c.GetToken(context.Background(), scopeA)
	wantCalls(t, up, 2)
}

func TestBackoffDoublesAcrossForegroundFailures(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up, classify := failing(errUnavailable, 0)
	c := newTest(t, up, clk, Options{Classify: classify, RetryMin: time.Second, RetryMax: 4 * time.Second})
	_, _ = c.GetToken(context.Background(), scopeA)
	for i, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		clk.add(wait - 100*time.Millisecond)
		short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		_, _ = c.GetToken(short, scopeA) // fails at once: its deadline is before the retry
		cancel()
		wantCalls(t, up, int64(i+1))
		clk.add(100 * time.Millisecond)
		_, _ = c.GetToken(context.Background(), scopeA)
		wantCalls(t, up, int64(i+2))
	}
}

func TestClaimsBypassFailureMemory(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := &counter{fn: func(_ context.Context, _ int64, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
		if o.Claims == "" {
			return azcore.AccessToken{}, errWrongSecret
		}
		return azcore.AccessToken{Token: "challenged", ExpiresOn: clk.now().Add(time.Hour)}, nil
	}}
	_, classify := failing(nil, 0)
	c := newTest(t, up, clk, Options{Classify: classify})
	_, _ = c.GetToken(context.Background(), scopeA) // remembered for 30 s
	challenge := scopeA
	challenge.Claims = "claims"
	if got := get(t, c, challenge); got != "challenged" {
		t.Fatalf("got %s", got)
	}
	if got := get(t, c, scopeA); got != "challenged" {
		t.Fatalf("after the challenge got %s, want its token: a success clears the memory", got)
	}
	wantCalls(t, up, 2)
}

// TestStaleResultKeepsFailureCount is issue 13's fifth finding, second
// part: store reset the failure count even when it discarded a stale
// result, so the backoff restarted from RetryMin. Here a slow claims
// challenge (request 2) answers after request 3 refreshed the token and
// request 4 failed.
func TestStaleResultKeepsFailureCount(t *testing.T) {
	t.Parallel()
	clk := newClock()
	entered, release := make(chan struct{}), make(chan struct{})
	up := &counter{fn: func(_ context.Context, n int64, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
		switch {
		case o.Claims != "":
			close(entered)
			<-release
		case n == 4:
			return azcore.AccessToken{}, errUnavailable
		}
		return azcore.AccessToken{Token: fmt.Sprint("token-", n), ExpiresOn: clk.now().Add(time.Hour)}, nil
	}}
	c := newTest(t, up, clk, Options{})
	get(t, c, scopeA) // request 1
	challenge := scopeA
	challenge.Claims = "claims"
	done := make(chan string, 1)
	go func() { done <- get(t, c, challenge) }() // request 2
	<-entered
	for range 2 { // request 3 refreshes the token, request 4 fails
		clk.add(56 * time.Minute)
		get(t, c, scopeA)
		waitIdle(t, c)
	}
	close(release)
	if got := <-done; got != "token-2" {
		t.Fatalf("challenge got %s", got)
	}
	e := entryFor(c, scopeA)
	e.mu.Lock()
	failures, remembering, cached := e.failures, e.remembering(clk.now()), e.state.Load().tok.Token
	e.mu.Unlock()
	if failures != 1 || !remembering || cached != "token-3" {
		t.Fatalf("after a stale result: failures = %d, remembering = %v, cached %s; want 1, true, token-3", failures, remembering, cached)
	}
}
