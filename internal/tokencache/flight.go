package tokencache

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// flight is one upstream request shared by every caller of its entry.
// tok and err are written before done is closed.
type flight struct {
	done chan struct{}
	tok  azcore.AccessToken
	err  error

	ctx    context.Context // detached from callers; see fly
	cancel context.CancelFunc
	// waiters counts callers blocked on done; abandoned is set when the last
	// of them left because its context ended. Both are guarded by the
	// entry's mu.
	waiters   int
	abandoned bool
}

// start begins an upstream request for e in a new goroutine and records it
// in e.fl. The caller holds e.mu and has checked e.fl is nil. It reports
// false, starting nothing, once the cache is closed.
func (c *Cache) start(e *entry) bool {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	c.wg.Add(1)
	c.mu.Unlock()
	f := &flight{done: make(chan struct{})}
	f.ctx, f.cancel = context.WithTimeout(c.base, c.opts.FetchTimeout)
	e.fl = f
	go c.fly(e, f, c.seq.Add(1))
	return true
}

// fly runs flight f for e. Its context is detached from every caller — one
// caller giving up must not fail the request for the others, and a result
// that arrives after all callers left still fills the cache for the next —
// and is bounded by FetchTimeout, by Close, and by [Cache.replace] when a
// new caller finds it abandoned.
func (c *Cache) fly(e *entry, f *flight, seq uint64) {
	defer c.wg.Done()
	tok, err := c.upstream.GetToken(f.ctx, policy.TokenRequestOptions{
		Scopes:    slices.Clone(e.scopes), // upstream may keep or change it
		TenantID:  e.tenant,
		EnableCAE: e.cae,
	})
	f.cancel()
	now := c.opts.now()
	if err == nil {
		err = checkExpiry(tok, now)
	} else if c.base.Err() != nil {
		err = fmt.Errorf("%w; the request in flight was cancelled: %w", ErrClosed, err)
	}

	e.mu.Lock()
	if e.fl == f { // not replaced after it was abandoned
		e.fl = nil
	}
	if err != nil {
		tok = azcore.AccessToken{}
		// A refresh failed while the cached token is still valid: keep
		// serving it and retry after a backoff, not on every call. A state
		// stored by a later request (a claims challenge) is left alone.
		if st := e.state.Load(); st != nil && st.seq < seq && now.Before(st.tok.ExpiresOn) {
			e.failures++
			next := minTime(now.Add(c.opts.backoff(e.failures)), st.tok.ExpiresOn)
			e.state.Store(&state{tok: st.tok, next: next, seq: st.seq})
		}
	} else {
		c.store(e, tok, seq, now)
	}
	f.tok, f.err = tok, err
	e.mu.Unlock()
	close(f.done)
}

// join returns the flight a caller that needs a token should wait on, as a
// waiter. A flight every waiter abandoned (their contexts ended before it
// answered) is cancelled and replaced: it may be hung, and azidentity holds
// a per-credential lock across its request, so waiting for it would block
// the whole credential until FetchTimeout. A flight that answers before a
// new caller arrives still fills the cache. The caller holds e.mu; join
// returns nil once the cache is closed.
func (c *Cache) join(e *entry) *flight {
	if f := e.fl; f != nil && f.abandoned && f.waiters == 0 {
		f.cancel()
		e.fl = nil
	}
	if e.fl == nil && !c.start(e) {
		return nil
	}
	e.fl.waiters++
	return e.fl
}

// leave records that a waiter of f stopped waiting because its context
// ended. The caller holds e.mu.
func leave(f *flight) {
	f.waiters--
	if f.waiters == 0 {
		f.abandoned = true
	}
}

// store caches tok, received at now from the request numbered seq, unless a
// request that started later already stored its result. The caller holds
// e.mu.
func (c *Cache) store(e *entry, tok azcore.AccessToken, seq uint64, now time.Time) {
	e.failures = 0
	if st := e.state.Load(); st != nil && st.seq > seq {
		return
	}
	next := c.opts.refreshAt(now, tok.RefreshOn, tok.ExpiresOn)
	e.state.Store(&state{tok: tok, next: next, seq: seq})
}

// checkExpiry rejects a token that is already expired at now. Such a token
// is returned to no caller: azidentity would pass it on, but a caller could
// only fail with it, and the cache promises never to hand out an expired
// token.
func checkExpiry(tok azcore.AccessToken, now time.Time) error {
	if now.Before(tok.ExpiresOn) {
		return nil
	}
	if tok.ExpiresOn.IsZero() {
		return fmt.Errorf("%w: ExpiresOn is not set", ErrExpiredToken)
	}
	return fmt.Errorf("%w: it expired at %s, %s ago", ErrExpiredToken,
		tok.ExpiresOn.UTC().Format(time.RFC3339), now.Sub(tok.ExpiresOn).Round(time.Second))
}
