package tokencache

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// flight is the one upstream request of an entry, shared by every caller
// that waits for it. tok and err are written before done is closed.
type flight struct {
	done chan struct{}
	tok  azcore.AccessToken
	err  error

	ctx    context.Context // detached from callers; see fly
	cancel context.CancelFunc
	// waiters counts callers blocked on done that have not left; guarded
	// by the entry's mu. Nothing depends on it but tests.
	waiters int
}

// start begins an upstream request for e in a new goroutine and records it
// in e.fl. The caller holds e.mu and has checked that e.fl is nil. It
// reports false, starting nothing, once the cache is closed.
func (c *Cache) start(e *entry) bool {
	c.mu.Lock()
	if c.closed.Load() {
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

// fly runs flight f for e. Its context is detached from every caller, as
// context.WithoutCancel would make it: a caller leaving must not fail the
// request for the others, a result that arrives after every caller left
// still fills the cache for the next, and nothing a later caller does
// cancels it. Only FetchTimeout and Close end it.
func (c *Cache) fly(e *entry, f *flight, seq uint64) {
	defer c.wg.Done()
	tok, err := c.upstream.GetToken(f.ctx, policy.TokenRequestOptions{
		Scopes:    slices.Clone(e.scopes), // upstream may keep or change it
		TenantID:  e.tenant,
		EnableCAE: e.cae,
	})
	f.cancel()
	now := c.opts.now()
	closing := false
	if err == nil {
		err = checkExpiry(tok.ExpiresOn, now)
	} else if c.base.Err() != nil {
		err = fmt.Errorf("%w; the request in flight was cancelled: %w", ErrClosed, err)
		closing = true
	}
	var class Failure
	if err != nil && !closing && c.opts.Classify != nil {
		class = c.opts.Classify(err)
	}

	e.mu.Lock()
	e.fl = nil
	var report *RefreshError
	if err != nil {
		tok = azcore.AccessToken{}
		report = c.remember(e, err, class, seq, now, closing)
	} else {
		c.store(e, tok, seq, now)
	}
	c.publish(e, now)
	f.tok, f.err = tok, err
	e.mu.Unlock()
	close(f.done)
	if report != nil && c.opts.OnRefreshError != nil {
		c.opts.OnRefreshError(report)
	}
}

// remember records the failure of request seq at now, so that no request
// for e is made before its retry delay, unless the cache is closing or a
// later request already succeeded (a claims challenge). It returns the
// report for OnRefreshError when a servable token stays in service. The
// caller holds e.mu.
func (c *Cache) remember(e *entry, err error, class Failure, seq uint64, now time.Time, closing bool) *RefreshError {
	st := e.state.Load()
	if closing || (st != nil && st.seq > seq) {
		return nil
	}
	e.failures++
	e.fail, e.permanent = err, class.Permanent
	e.retryAt = now.Add(c.opts.retryDelay(class, e.failures))
	if st == nil || !now.Before(st.until) {
		return nil
	}
	return &RefreshError{
		Err: err, Scopes: slices.Clone(e.scopes), TenantID: e.tenant, EnableCAE: e.cae,
		ExpiresOn: st.tok.ExpiresOn, NextAttempt: e.retryAt, Permanent: class.Permanent,
	}
}

// store caches tok, received at now from the request numbered seq, unless a
// request that started later already stored its result; a stale result
// changes nothing, not even the failure count. The caller holds e.mu.
func (c *Cache) store(e *entry, tok azcore.AccessToken, seq uint64, now time.Time) {
	if st := e.state.Load(); st != nil && st.seq > seq {
		return
	}
	e.failures, e.fail, e.permanent, e.retryAt = 0, nil, false, time.Time{}
	st := c.opts.newState(tok, seq, now)
	e.state.Store(st.with(c.horizon(e, st, now)))
}
