package tokencache

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

func scopes(n int) []policy.TokenRequestOptions {
	opts := make([]policy.TokenRequestOptions, n)
	for i := range opts {
		opts[i] = policy.TokenRequestOptions{Scopes: []string{fmt.Sprintf("https://r%06d.example/.default", i)}}
	}
	return opts
}

// TestManyKeysBoundedByMaxEntries is issue 13's fourth finding: adding a
// key copied the whole index (2.6 ms per insert at 50,000 keys) and keys
// were never evicted. 100,000 keys (30,000 under the race detector) go
// through the default bound of 10,000: the cache holds at most that many,
// its table stays proportionate and well spread, and the most recent keys
// are still served without a request.
func TestManyKeysBoundedByMaxEntries(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := issue(clk, time.Hour)
	c := newTest(t, up, clk, Options{})
	n := 100_000
	if raceEnabled {
		n = 30_000
	}
	keys := scopes(n)
	ctx := context.Background()
	for i, o := range keys {
		if i%5000 == 0 {
			clk.add(time.Second) // later keys are more recently used
		}
		if _, err := c.GetToken(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if n, slots := c.entries.len(), len(c.entries.tab.Load().slots); n > DefaultMaxEntries || slots > 4*DefaultMaxEntries {
		t.Fatalf("%d entries in %d slots; want at most %d entries", n, slots, DefaultMaxEntries)
	}
	if run := longestRun(c.entries.tab.Load()); run > 100 {
		t.Fatalf("%d occupied slots in a row: lookups scan the table", run)
	}
	for _, o := range keys[len(keys)-100:] {
		get(t, c, o)
	}
	wantCalls(t, up, int64(len(keys)))
}

func TestEvictionKeepsRecentlyUsedKeys(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := issue(clk, time.Hour)
	c := newTest(t, up, clk, Options{MaxEntries: 64})
	hot, cold := scopes(8), scopes(1008)[8:]
	for _, o := range cold {
		clk.add(time.Second)
		for _, h := range hot {
			get(t, c, h)
		}
		get(t, c, o)
	}
	wantCalls(t, up, int64(len(hot)+len(cold)))
	if n := c.entries.len(); n > 64 {
		t.Fatalf("%d entries, want at most 64", n)
	}
}

// TestRequestInFlightIsNotEvicted: an entry whose request is in flight
// stays, so its waiters' result fills the cache and no second request for
// the key starts.
func TestRequestInFlightIsNotEvicted(t *testing.T) {
	t.Parallel()
	clk := newClock()
	release := make(chan struct{})
	up := &counter{fn: func(_ context.Context, n int64, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
		if o.Scopes[0] == scopeA.Scopes[0] {
			<-release
		}
		return azcore.AccessToken{Token: fmt.Sprint("token-", n), ExpiresOn: clk.now().Add(time.Hour)}, nil
	}}
	c := newTest(t, up, clk, Options{MaxEntries: 8})
	done := make(chan string, 1)
	go func() { done <- get(t, c, scopeA) }()
	waitWaiters(t, c, 1)
	for _, o := range scopes(100) {
		clk.add(time.Second)
		get(t, c, o)
	}
	close(release)
	if got := <-done; got != "token-1" {
		t.Fatalf("got %s", got)
	}
	if got := get(t, c, scopeA); got != "token-1" {
		t.Fatalf("got %s, want the cached token-1", got)
	}
	wantCalls(t, up, 101)
}

// TestEvictedEntryIsLookedUpAgain: a caller holding an entry evicted since
// it looked it up looks again rather than start a request on it.
func TestEvictedEntryIsLookedUpAgain(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := issue(clk, time.Hour)
	c := newTest(t, up, clk, Options{})
	get(t, c, scopeA)
	old := entryFor(c, scopeA)
	c.entries.mu.Lock()
	old.mu.Lock()
	old.evicted = true
	old.mu.Unlock()
	c.entries.rebuild(16)
	c.entries.mu.Unlock()
	if got := get(t, c, scopeA); got != "token-2" {
		t.Fatalf("got %s, want a token for a new entry", got)
	}
	if e := entryFor(c, scopeA); e == old || e.state.Load().tok.Token != "token-2" {
		t.Fatal("the new token went to the evicted entry")
	}
}

// longestRun returns the longest run of occupied slots in t: how far a
// lookup may have to probe.
func longestRun(t *table) int {
	run, longest := 0, 0
	for i := range t.slots {
		if t.slots[i].Load() == nil {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	return longest
}
