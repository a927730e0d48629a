package tokencache

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// inFlight is an upstream that counts its requests in flight per key (the
// first scope) and records the most ever seen at once. Each request takes
// latency (real time); if ignoreCancel is set it runs to the end after its
// context is done, as an endpoint slow to honour cancellation does.
type inFlight struct {
	latency      func() time.Duration
	ignoreCancel bool
	expires      func() time.Time

	mu        sync.Mutex
	now, most map[string]int
	calls     atomic.Int64
	completed atomic.Int64
}

func newInFlight(latency time.Duration, ignoreCancel bool) *inFlight {
	return &inFlight{
		latency:      func() time.Duration { return latency },
		ignoreCancel: ignoreCancel,
		expires:      func() time.Time { return time.Now().Add(time.Hour) },
		now:          map[string]int{},
		most:         map[string]int{},
	}
}

func (u *inFlight) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	n := u.calls.Add(1)
	key := opts.Scopes[0]
	u.mu.Lock()
	u.now[key]++
	u.most[key] = max(u.most[key], u.now[key])
	u.mu.Unlock()
	defer func() {
		u.mu.Lock()
		u.now[key]--
		u.mu.Unlock()
	}()
	t := time.NewTimer(u.latency())
	defer t.Stop()
	if u.ignoreCancel {
		<-t.C
	} else {
		select {
		case <-t.C:
		case <-ctx.Done():
			return azcore.AccessToken{}, ctx.Err()
		}
	}
	u.completed.Add(1)
	return azcore.AccessToken{Token: fmt.Sprint("token-", n), ExpiresOn: u.expires()}, nil
}

func (u *inFlight) maxInFlight() map[string]int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return maps.Clone(u.most)
}

// TestNoStarvationOfSuccessiveCallers is issue 13's first measurement: ten
// callers in a row, each with a 100 ms deadline, against a 150 ms endpoint.
// Each caller used to cancel the request the one before had abandoned and
// start its own: 0 tokens, 10 requests, none completed. Now the one
// request runs to its end and serves the callers that come after it.
func TestNoStarvationOfSuccessiveCallers(t *testing.T) {
	t.Parallel()
	up := newInFlight(150*time.Millisecond, false)
	c, err := New(up, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tokens := 0
	for range 10 {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		if _, err := c.GetToken(ctx, scopeA); err == nil {
			tokens++
		} else if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("GetToken: %v", err)
		}
		cancel()
	}
	t.Logf("%d tokens, %d requests, %d completed", tokens, up.calls.Load(), up.completed.Load())
	if up.calls.Load() != 1 || up.completed.Load() != 1 || tokens == 0 {
		t.Fatalf("%d tokens, %d requests, %d completed; want 1 request, completed, serving the later callers",
			tokens, up.calls.Load(), up.completed.Load())
	}
}

// TestNoPileUpWhenUpstreamIgnoresCancellation: an endpoint slow to honour
// cancellation once piled up 5 concurrent requests for one key. A request
// still running after its FetchTimeout keeps the key's flight until it
// returns; callers wait on it (each until its own deadline) and start
// nothing.
func TestNoPileUpWhenUpstreamIgnoresCancellation(t *testing.T) {
	t.Parallel()
	up := newInFlight(300*time.Millisecond, true)
	c, err := New(up, &Options{FetchTimeout: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		if _, err := c.GetToken(ctx, scopeA); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("GetToken = %v, want its deadline", err)
		}
		cancel()
	}
	waitIdle(t, c)
	if most := up.maxInFlight()[scopeA.Scopes[0]]; most != 1 || up.calls.Load() != 1 {
		t.Fatalf("%d requests, at most %d at once; want 1", up.calls.Load(), most)
	}
}

// TestAtMostOneRequestInFlightPerKey hammers two keys from many goroutines
// with random deadlines, against endpoints that are slow, some ignoring
// cancellation, with tokens that expire within the run, and counts the
// requests in flight per key.
func TestAtMostOneRequestInFlightPerKey(t *testing.T) {
	t.Parallel()
	for _, ignore := range []bool{false, true} {
		t.Run(fmt.Sprint("ignoreCancel=", ignore), func(t *testing.T) {
			t.Parallel()
			up := newInFlight(0, ignore)
			up.latency = func() time.Duration { return time.Duration(rand.IntN(5)) * time.Millisecond }
			up.expires = func() time.Time { return time.Now().Add(50 * time.Millisecond) }
			c, err := New(up, &Options{FetchTimeout: 2 * time.Millisecond, RetryMin: time.Millisecond, RetryMax: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			keys := []policy.TokenRequestOptions{scopeA, {Scopes: []string{"b"}}}
			var wg sync.WaitGroup
			for g := range 32 {
				wg.Go(func() {
					for i := range 100 {
						ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rand.IntN(4))*time.Millisecond)
						_, _ = c.GetToken(ctx, keys[(g+i)%2])
						cancel()
					}
				})
			}
			wg.Wait()
			for key, most := range up.maxInFlight() {
				if most != 1 {
					t.Errorf("key %s: %d requests in flight at once, want at most 1", key, most)
				}
			}
			t.Logf("%d requests", up.calls.Load())
		})
	}
}
