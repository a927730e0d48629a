package tokencache

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// gated is an upstream whose calls block until release is closed (or their
// context ends). entered receives each call's number as it starts.
type gated struct {
	*counter
	entered chan int64
	release chan struct{}
	ctxErr  atomic.Pointer[error] // the context error seen after release
}

func newGated(clk *clock, lifetime time.Duration) *gated {
	g := &gated{entered: make(chan int64, 100), release: make(chan struct{})}
	inner := issue(clk, lifetime)
	g.counter = &counter{fn: func(ctx context.Context, n int64, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
		g.entered <- n
		select {
		case <-g.release:
		case <-ctx.Done():
			return azcore.AccessToken{}, ctx.Err()
		}
		err := ctx.Err()
		g.ctxErr.Store(&err)
		return inner.fn(ctx, n, o)
	}}
	return g
}

func TestCallerCancelReturnsWhileFetchContinues(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := newGated(clk, time.Hour)
	c := newTest(t, up, clk, Options{})

	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		tok azcore.AccessToken
		err error
	}
	first, second := make(chan result, 1), make(chan result, 1)
	go func() {
		tok, err := c.GetToken(ctx, scopeA)
		first <- result{tok, err}
	}()
	<-up.entered // the shared request started on the first caller's behalf
	go func() {
		tok, err := c.GetToken(context.Background(), scopeA)
		second <- result{tok, err}
	}()
	waitWaiters(t, c, 2)
	cancel()
	// The first caller returns although upstream has not answered.
	if r := <-first; !errors.Is(r.err, context.Canceled) || r.tok.Token != "" {
		t.Fatalf("cancelled caller got (%q, %v), want context.Canceled", r.tok.Token, r.err)
	}
	close(up.release)
	if r := <-second; r.err != nil || r.tok.Token != "token-1" {
		t.Fatalf("remaining caller got (%q, %v), want token-1", r.tok.Token, r.err)
	}
	if err := *up.ctxErr.Load(); err != nil {
		t.Fatalf("upstream's context was cancelled by the leaving caller: %v", err)
	}
	wantCalls(t, up.counter, 1)
}

func TestResultAfterAllCallersLeftFillsCache(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := newGated(clk, time.Hour)
	c := newTest(t, up, clk, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := c.GetToken(ctx, scopeA); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want DeadlineExceeded", err)
	}
	close(up.release)
	waitIdle(t, c)
	if got := get(t, c, scopeA); got != "token-1" {
		t.Fatalf("got %s, want the token fetched for the caller that left", got)
	}
	wantCalls(t, up.counter, 1)
}

func TestDoneContextOnMissDoesNotCallUpstream(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := issue(clk, time.Hour)
	c := newTest(t, up, clk, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetToken(ctx, scopeA); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	wantCalls(t, up, 0)
}

func TestFetchTimeoutBoundsSharedRequest(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := newGated(clk, time.Hour) // never released: only the timeout ends the call
	c := newTest(t, up, clk, Options{FetchTimeout: 20 * time.Millisecond})
	if _, err := c.GetToken(context.Background(), scopeA); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want the fetch's DeadlineExceeded", err)
	}
}

func TestClose(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := newGated(clk, time.Hour)
	c := newTest(t, up, clk, Options{})

	close(up.release)
	get(t, c, scopeA)                // cached before Close
	up.release = make(chan struct{}) // later calls block until cancelled

	other := policy.TokenRequestOptions{Scopes: []string{"other"}}
	waiter := make(chan error, 1)
	go func() {
		_, err := c.GetToken(context.Background(), other)
		waiter <- err
	}()
	<-up.entered
	<-up.entered
	c.Close() // cancels the request in flight and waits for it
	if err := <-waiter; !errors.Is(err, ErrClosed) || !errors.Is(err, context.Canceled) {
		t.Fatalf("waiter error = %v, want ErrClosed wrapping upstream's context.Canceled", err)
	}
	c.Close() // a second Close is harmless

	if got := get(t, c, scopeA); got != "token-1" {
		t.Fatalf("after Close got %s, want the cached token", got)
	}
	for _, opts := range []policy.TokenRequestOptions{
		{Scopes: []string{"cold"}},
		{Scopes: scopeA.Scopes, Claims: "c"},
	} {
		if _, err := c.GetToken(context.Background(), opts); !errors.Is(err, ErrClosed) {
			t.Fatalf("GetToken(%v) after Close error = %v, want ErrClosed", opts, err)
		}
	}
	clk.add(time.Hour - ExpirySkew - time.Nanosecond) // refresh due: served, but nothing starts
	if got := get(t, c, scopeA); got != "token-1" {
		t.Fatalf("after Close in the mandatory window got %s, want token-1", got)
	}
	clk.add(time.Nanosecond) // ExpiresOn less the skew margin: no longer servable
	if _, err := c.GetToken(context.Background(), scopeA); !errors.Is(err, ErrClosed) {
		t.Fatalf("expired after Close: error = %v, want ErrClosed", err)
	}
	wantCalls(t, up.counter, 2)
}
