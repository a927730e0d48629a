package tokencache

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// t0 is the fake clock's start.
var t0 = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable clock with timers, safe for concurrent use. Timers
// fire when the clock is moved to or past their time.
type clock struct {
	ns     atomic.Int64
	mu     sync.Mutex
	timers []*fakeTimer
}

type fakeTimer struct {
	when int64
	ch   chan time.Time
}

func newClock() *clock {
	c := &clock{}
	c.ns.Store(t0.UnixNano())
	return c
}

func (c *clock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) set(t time.Time)     { c.move(func() { c.ns.Store(t.UnixNano()) }) }
func (c *clock) add(d time.Duration) { c.move(func() { c.ns.Add(int64(d)) }) }

// move changes the time and fires the timers that are due.
func (c *clock) move(change func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	change()
	now := c.ns.Load()
	c.timers = slices.DeleteFunc(c.timers, func(t *fakeTimer) bool {
		if t.when > now {
			return false
		}
		t.ch <- time.Unix(0, now)
		return true
	})
}

// timer is Options.timer on this clock.
func (c *clock) timer(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{when: c.ns.Load() + int64(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now()
		return t.ch, func() bool { return false }
	}
	c.timers = append(c.timers, t)
	return t.ch, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		n := len(c.timers)
		c.timers = slices.DeleteFunc(c.timers, func(x *fakeTimer) bool { return x == t })
		return len(c.timers) < n
	}
}

// pending returns the number of timers not yet fired or stopped: callers
// sleeping until a remembered failure's next attempt.
func (c *clock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// counter is an upstream that counts its calls and answers through fn,
// which gets the 1-based call number.
type counter struct {
	calls atomic.Int64
	fn    func(ctx context.Context, n int64, opts policy.TokenRequestOptions) (azcore.AccessToken, error)
}

func (u *counter) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return u.fn(ctx, u.calls.Add(1), opts)
}

// issue returns an upstream answering call n with token "token-n" that
// expires lifetime after clk's now.
func issue(clk *clock, lifetime time.Duration) *counter {
	return &counter{fn: func(_ context.Context, n int64, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
		return azcore.AccessToken{Token: fmt.Sprint("token-", n), ExpiresOn: clk.now().Add(lifetime)}, nil
	}}
}

// newTest returns a Cache over up with clk (and its timers), no jitter
// unless opts sets it, closed when the test ends.
func newTest(t testing.TB, up azcore.TokenCredential, clk *clock, opts Options) *Cache {
	t.Helper()
	opts.now, opts.timer = clk.now, clk.timer
	if opts.Jitter == 0 {
		opts.Jitter = -1
	}
	c, err := New(up, &opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

var scopeA = policy.TokenRequestOptions{Scopes: []string{"https://a.example/.default"}}

// get calls GetToken and fails the test on error.
func get(t *testing.T, c *Cache, opts policy.TokenRequestOptions) string {
	t.Helper()
	tok, err := c.GetToken(context.Background(), opts)
	if err != nil {
		t.Fatalf("GetToken(%v): %v", opts.Scopes, err)
	}
	return tok.Token
}

// waitIdle waits until no upstream request is in flight.
func waitIdle(t *testing.T, c *Cache) {
	t.Helper()
	waitFor(t, "no request in flight", func() bool {
		for _, e := range c.entries.all() {
			e.mu.Lock()
			busy := e.fl != nil
			e.mu.Unlock()
			if busy {
				return false
			}
		}
		return true
	})
}

// waitWaiters waits until n callers wait on a request in flight.
func waitWaiters(t *testing.T, c *Cache, n int) {
	t.Helper()
	waitFor(t, fmt.Sprint(n, " waiters on the request in flight"), func() bool {
		for _, e := range c.entries.all() {
			e.mu.Lock()
			ok := e.fl != nil && e.fl.waiters == n
			e.mu.Unlock()
			if ok {
				return true
			}
		}
		return false
	})
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for: %s", what)
		}
	}
}

// wantCalls fails the test unless up was called n times.
func wantCalls(t *testing.T, up *counter, n int64) {
	t.Helper()
	if got := up.calls.Load(); got != n {
		t.Fatalf("upstream calls = %d, want %d", got, n)
	}
}

// entryFor returns the entry of opts' key, or nil.
func entryFor(c *Cache, opts policy.TokenRequestOptions) *entry {
	return c.entries.find(c.entries.hash(&opts), &opts)
}

// next returns when the earliest timer fires, if any is pending.
func (c *clock) next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		return time.Time{}, false
	}
	at := c.timers[0].when
	for _, t := range c.timers[1:] {
		at = min(at, t.when)
	}
	return time.Unix(0, at).UTC(), true
}
