package tokencache

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

func TestWindowSizes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lifetime                  time.Duration
		refresh, mandatory, until time.Duration // before ExpiresOn
	}{
		{24 * time.Hour, 5 * time.Minute, time.Minute, 10 * time.Second},
		{time.Hour, 5 * time.Minute, time.Minute, 10 * time.Second},
		{10 * time.Minute, 5 * time.Minute, 50 * time.Second, 10 * time.Second},
		{120 * time.Second, 60 * time.Second, 10 * time.Second, 5 * time.Second},
		{4 * time.Second, 2 * time.Second, 333333333, 166666666},
		{time.Second, 500 * time.Millisecond, 83333333, 41666666},
	}
	o := Options{Jitter: -1}.withDefaults()
	for _, tt := range tests {
		expires := t0.Add(tt.lifetime)
		st := o.newState(azcore.AccessToken{ExpiresOn: expires}, 1, t0)
		got := [3]time.Duration{expires.Sub(st.refresh), expires.Sub(st.mandatory), expires.Sub(st.until)}
		if want := [3]time.Duration{tt.refresh, tt.mandatory, tt.until}; got != want {
			t.Errorf("lifetime %v: refresh, mandatory window, skew = %v, want %v", tt.lifetime, got, want)
		}
	}
}

// TestMandatoryWindowWaitsForRefresh is issue 13's second measurement: with
// the refresh hung, a caller got the cached token with 1 ns left. In the
// mandatory window callers wait for the refresh, each up to its deadline;
// at ExpiresOn less the skew margin the token is served to nobody.
func TestMandatoryWindowWaitsForRefresh(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := newGated(clk, time.Hour)
	c := newTest(t, up, clk, Options{})
	close(up.release)
	get(t, c, scopeA)
	<-up.entered
	up.release = make(chan struct{})

	clk.add(56 * time.Minute) // advisory window: served at once, refresh starts
	if got := get(t, c, scopeA); got != "token-1" {
		t.Fatalf("in the advisory window got %s", got)
	}
	<-up.entered // the refresh hangs

	for _, at := range []time.Duration{59 * time.Minute, time.Hour - ExpirySkew - time.Nanosecond, time.Hour - time.Nanosecond} {
		clk.set(t0.Add(at))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		tok, err := c.GetToken(ctx, scopeA)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%v before expiry, refresh hung: got (%q, %v), want the caller's deadline", time.Hour-at, tok.Token, err)
		}
	}

	clk.set(t0.Add(59*time.Minute + 30*time.Second))
	done := make(chan string, 1)
	go func() { done <- get(t, c, scopeA) }()
	waitWaiters(t, c, 1)
	close(up.release)
	if got := <-done; got != "token-2" {
		t.Fatalf("the waiting caller got %s, want the refresh's token-2", got)
	}
	wantCalls(t, up.counter, 2)
}

// TestStaticStability: a refresh that fails while the token is still
// valid leaves it in service: waiters in the mandatory window get it, the
// failure is reported to OnRefreshError, and until the next attempt
// callers get it at once, up to ExpiresOn less the skew margin.
func TestStaticStability(t *testing.T) {
	t.Parallel()
	clk := newClock()
	fail := make(chan struct{})
	up := &counter{fn: func(_ context.Context, n int64, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
		if n > 1 {
			<-fail
			return azcore.AccessToken{}, errors.New("token endpoint unavailable")
		}
		return azcore.AccessToken{Token: "token-1", ExpiresOn: clk.now().Add(time.Hour)}, nil
	}}
	var mu sync.Mutex
	var reports []*RefreshError
	c := newTest(t, up, clk, Options{OnRefreshError: func(r *RefreshError) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, r)
	}})
	get(t, c, scopeA)

	clk.add(59 * time.Minute) // mandatory window: the caller waits for the refresh
	done := make(chan string, 1)
	go func() { done <- get(t, c, scopeA) }()
	waitWaiters(t, c, 1)
	close(fail)
	if got := <-done; got != "token-1" {
		t.Fatalf("after the refresh failed the waiter got %s, want token-1 (still valid)", got)
	}
	waitIdle(t, c)
	mu.Lock()
	if len(reports) != 1 || reports[0].ExpiresOn != t0.Add(time.Hour) || !reports[0].NextAttempt.Equal(t0.Add(59*time.Minute+2*time.Second)) {
		t.Fatalf("reports = %v, want one for the token expiring at 13:00, next attempt at 12:59:02", reports)
	}
	mu.Unlock()

	clk.add(2*time.Second - time.Nanosecond) // before the next attempt: at once, no request
	if got := get(t, c, scopeA); got != "token-1" {
		t.Fatalf("got %s", got)
	}
	wantCalls(t, up, 2)
	clk.set(t0.Add(time.Hour - ExpirySkew)) // no longer servable
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := c.GetToken(ctx, scopeA); err == nil {
		t.Fatal("a token was served within the skew margin of its expiry")
	}
}

// TestClosedCacheServesFromFastPath is issue 13's fifth finding: after
// Close, a token due for refresh sent every call through the locked slow
// path. Now the first such call republishes the token for the fast path
// until it stops being servable: with the entry's lock held elsewhere, a
// call still returns.
func TestClosedCacheServesFromFastPath(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c := newTest(t, issue(clk, time.Hour), clk, Options{})
	get(t, c, scopeA)
	c.Close()
	clk.add(58 * time.Minute) // refresh due; nothing will refresh it
	get(t, c, scopeA)
	e := entryFor(c, scopeA)
	e.mu.Lock()
	done := make(chan string, 1)
	go func() { done <- get(t, c, scopeA) }()
	select {
	case got := <-done:
		e.mu.Unlock()
		if got != "token-1" {
			t.Fatalf("got %s", got)
		}
	case <-time.After(10 * time.Second):
		e.mu.Unlock()
		<-done
		t.Fatal("after Close, a token due for refresh was served only through the entry's lock")
	}
}
