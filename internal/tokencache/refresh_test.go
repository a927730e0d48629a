package tokencache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

func TestBackgroundRefreshServesOldTokenMeanwhile(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := newGated(clk, time.Hour)
	c := newTest(t, up, clk, Options{})
	close(up.release)
	get(t, c, scopeA)
	<-up.entered
	up.release = make(chan struct{})

	clk.add(55*time.Minute - time.Nanosecond) // just before the 5-minute window
	if got := get(t, c, scopeA); got != "token-1" {
		t.Fatalf("before the window got %s", got)
	}
	wantCalls(t, up.counter, 1)

	clk.add(time.Nanosecond) // the window opens: refresh due
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if got := get(t, c, scopeA); got != "token-1" {
				t.Errorf("during the refresh got %s, want token-1 at once", got)
			}
		})
	}
	wg.Wait() // every caller returned while the refresh is still blocked
	if n := <-up.entered; n != 2 {
		t.Fatalf("refresh was call %d", n)
	}
	wantCalls(t, up.counter, 2)

	close(up.release)
	waitIdle(t, c)
	if got := get(t, c, scopeA); got != "token-2" {
		t.Fatalf("after the refresh got %s, want token-2", got)
	}
	wantCalls(t, up.counter, 2)
}

func TestFailedRefreshKeepsServingAndBacksOff(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := &counter{fn: func(_ context.Context, n int64, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
		if n == 2 || n == 3 {
			return azcore.AccessToken{}, errors.New("token endpoint unavailable")
		}
		return azcore.AccessToken{Token: "token-" + string(rune('0'+n)), ExpiresOn: clk.now().Add(time.Hour)}, nil
	}}
	c := newTest(t, up, clk, Options{RetryMin: 10 * time.Second, RetryMax: 15 * time.Second})
	get(t, c, scopeA)

	// step advances the clock, calls GetToken (always served token-1 while
	// valid), lets any refresh finish, and checks the call count.
	step := func(d time.Duration, want string, calls int64) {
		t.Helper()
		clk.add(d)
		if got := get(t, c, scopeA); got != want {
			t.Fatalf("at %v got %s, want %s", clk.now().Sub(t0), got, want)
		}
		waitIdle(t, c)
		wantCalls(t, up, calls)
	}
	step(55*time.Minute, "token-1", 2)                 // refresh fails
	step(0, "token-1", 2)                              // not retried on the next call
	step(10*time.Second-time.Nanosecond, "token-1", 2) // nor before RetryMin
	step(time.Nanosecond, "token-1", 3)                // retried, fails again
	step(15*time.Second-time.Nanosecond, "token-1", 3) // backoff doubled, capped at RetryMax
	step(time.Nanosecond, "token-1", 4)                // retried, succeeds
	step(0, "token-4", 4)
}

func TestExpiredTokenIsNeverReturned(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := newGated(clk, 10*time.Minute)
	c := newTest(t, up, clk, Options{})
	close(up.release)
	get(t, c, scopeA)
	up.release = make(chan struct{})

	clk.set(t0.Add(10 * time.Minute)) // ExpiresOn == now: expired
	done := make(chan string, 1)
	go func() { done <- get(t, c, scopeA) }()
	<-up.entered
	<-up.entered
	select {
	case got := <-done:
		t.Fatalf("returned %s before upstream answered", got)
	default:
	}
	close(up.release)
	if got := <-done; got != "token-2" {
		t.Fatalf("got %s, want token-2", got)
	}
	wantCalls(t, up.counter, 2)
}

func TestExpiryDuringRefreshJoinsIt(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := newGated(clk, time.Hour)
	c := newTest(t, up, clk, Options{})
	close(up.release)
	get(t, c, scopeA)
	<-up.entered
	up.release = make(chan struct{})

	clk.add(56 * time.Minute)
	get(t, c, scopeA) // starts the background refresh
	<-up.entered
	clk.add(4 * time.Minute) // the old token expires while it runs
	done := make(chan string, 1)
	go func() { done <- get(t, c, scopeA) }()
	close(up.release)
	if got := <-done; got != "token-2" {
		t.Fatalf("got %s, want the refresh's token-2", got)
	}
	wantCalls(t, up.counter, 2)
}

func TestRefreshOnIsHonoured(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := &counter{fn: func(_ context.Context, n int64, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
		now := clk.now()
		return azcore.AccessToken{
			Token:     "token-" + string(rune('0'+n)),
			ExpiresOn: now.Add(2 * time.Hour),
			RefreshOn: now.Add(10 * time.Minute),
		}, nil
	}}
	c := newTest(t, up, clk, Options{})
	get(t, c, scopeA)
	clk.add(10*time.Minute - time.Nanosecond)
	get(t, c, scopeA)
	waitIdle(t, c)
	wantCalls(t, up, 1)
	clk.add(time.Nanosecond)
	get(t, c, scopeA)
	waitIdle(t, c)
	wantCalls(t, up, 2)
	if got := get(t, c, scopeA); got != "token-2" {
		t.Fatalf("got %s, want token-2", got)
	}
}

func TestShortLivedTokenServedFromCache(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := issue(clk, 120*time.Second) // MSAL would not cache this at all
	c := newTest(t, up, clk, Options{})
	for range 100 {
		get(t, c, scopeA)
		clk.add(500 * time.Millisecond) // 100 calls over 50 s, inside the 60 s half-life
	}
	wantCalls(t, up, 1)
	clk.add(10 * time.Second) // 60 s in: window of min(5m, 60s) is open
	get(t, c, scopeA)
	waitIdle(t, c)
	wantCalls(t, up, 2)
}

func TestStaleRefreshDoesNotOverwriteNewerToken(t *testing.T) {
	t.Parallel()
	clk := newClock()
	entered, release := make(chan struct{}), make(chan struct{})
	up := &counter{fn: func(_ context.Context, n int64, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
		if n == 2 { // the background refresh answers last
			close(entered)
			<-release
		}
		return azcore.AccessToken{Token: fmt.Sprint("token-", n), ExpiresOn: clk.now().Add(time.Hour)}, nil
	}}
	c := newTest(t, up, clk, Options{})
	get(t, c, scopeA)
	clk.add(56 * time.Minute)
	get(t, c, scopeA) // starts the background refresh: call 2
	<-entered
	challenge := scopeA
	challenge.Claims = "claims"
	if got := get(t, c, challenge); got != "token-3" {
		t.Fatalf("challenge got %s", got)
	}
	close(release)
	waitIdle(t, c)
	if got := get(t, c, scopeA); got != "token-3" {
		t.Fatalf("got %s, want token-3: the refresh started before the challenge must not replace it", got)
	}
	wantCalls(t, up, 3)
}
