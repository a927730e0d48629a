package tokencache

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// slow serves a token when the fast path could not: none cached, a refresh
// due, a window changed, or a failure remembered. It decides under the
// entry's lock and never holds it across a wait.
func (c *Cache) slow(ctx context.Context, h uint64, o *policy.TokenRequestOptions) (azcore.AccessToken, error) {
	slept, evicted := false, false
	for {
		var e *entry
		if evicted { // wait for the sweep to publish the table without it
			e = c.entries.add(h, o, c.opts.now())
		} else {
			e = c.entries.get(h, o, c.opts.now())
		}
		e.mu.Lock()
		if e.evicted { // dropped from the index after we found it
			e.mu.Unlock()
			evicted = true
			continue
		}
		now := c.opts.now()
		e.touch(now)
		st := e.state.Load()
		servable := st != nil && now.Before(st.until)
		closed := c.closed.Load()
		remembering := e.remembering(now)

		// Serve the cached token at once: before the mandatory window (a
		// refresh starts in the background once due), after Close, or
		// while a failure holds back requests (static stability).
		if servable && (closed || now.Before(st.mandatory) || (e.fl == nil && remembering)) {
			if !closed && e.fl == nil && !remembering && !now.Before(st.refresh) {
				c.start(e)
			}
			c.publish(e, now)
			e.mu.Unlock()
			return st.tok, nil
		}
		if closed {
			e.mu.Unlock()
			return azcore.AccessToken{}, ErrClosed
		}
		if err := ctx.Err(); err != nil {
			e.mu.Unlock()
			return azcore.AccessToken{}, err
		}
		if e.fl == nil && remembering { // and no servable token
			r := &RememberedError{Err: e.fail, NextAttempt: e.retryAt, Permanent: e.permanent, Now: now}
			wait := e.retryAt.Sub(now)
			e.mu.Unlock()
			// A caller waits for at most one next attempt: if it woke to
			// find that attempt failed already, it gets that failure.
			if slept || r.Permanent || !deadlineAllows(ctx, wait) || !c.sleep(ctx, wait) {
				return azcore.AccessToken{}, c.recall(r)
			}
			slept = true
			continue // the next attempt is due: look again
		}
		if e.fl == nil && !c.start(e) {
			e.mu.Unlock()
			return azcore.AccessToken{}, ErrClosed
		}
		c.publish(e, now)
		f := e.fl
		f.waiters++
		e.mu.Unlock()
		return c.wait(ctx, e, f)
	}
}

// wait waits for flight f of e, bounded by the caller's context. If f fails
// while e holds a servable token (the caller was in the mandatory window),
// that token is returned: static stability.
func (c *Cache) wait(ctx context.Context, e *entry, f *flight) (azcore.AccessToken, error) {
	select {
	case <-f.done:
		if f.err == nil {
			return f.tok, nil
		}
		if st := e.state.Load(); st != nil && c.opts.now().Before(st.until) {
			return st.tok, nil
		}
		return azcore.AccessToken{}, f.err
	case <-ctx.Done():
		e.mu.Lock()
		f.waiters--
		e.mu.Unlock()
		return azcore.AccessToken{}, ctx.Err()
	}
}

// deadlineAllows reports whether ctx leaves at least d to wait.
func deadlineAllows(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Until(dl) >= d
}

// sleep waits d on the cache's clock. It reports false if ctx ended first,
// true if d passed or the cache was closed (the caller looks again).
func (c *Cache) sleep(ctx context.Context, d time.Duration) bool {
	ch, stop := c.opts.timer(d)
	select {
	case <-ch:
		return true
	case <-c.base.Done():
		stop()
		return true
	case <-ctx.Done():
		stop()
		return false
	}
}

// recall returns the error a caller gets for a remembered failure.
func (c *Cache) recall(r *RememberedError) error {
	if c.opts.Remembered != nil {
		if err := c.opts.Remembered(r); err != nil {
			return err
		}
	}
	return r
}

// challenge handles a request with claims (a CAE claims challenge): it goes
// straight upstream with the caller's context, bypassing the failure
// memory, and on success replaces the cached token for the same scopes,
// tenant and CAE. Its failures are not remembered.
func (c *Cache) challenge(ctx context.Context, opts *policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if c.closed.Load() {
		return azcore.AccessToken{}, ErrClosed
	}
	e := c.entries.get(c.entries.hash(opts), opts, c.opts.now())
	seq := c.seq.Add(1)
	// Upstream may not honour ctx while it waits (azidentity holds a
	// per-client lock across an earlier, hung request), so the caller
	// waits on its own deadline and leaves; the request goes on until
	// upstream returns, and a token it brings still fills the cache.
	type result struct {
		tok azcore.AccessToken
		err error
	}
	done := make(chan result, 1)
	o := *opts // the goroutine takes a copy, so GetToken's opts stays on the stack
	go func() {
		tok, err := c.upstream.GetToken(ctx, o)
		if err == nil {
			now := c.opts.now()
			if err = checkExpiry(tok.ExpiresOn, now); err == nil {
				e.mu.Lock()
				c.store(e, tok, seq, now)
				e.mu.Unlock()
			}
		}
		done <- result{tok, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return azcore.AccessToken{}, r.err
		}
		return r.tok, nil
	case <-ctx.Done():
		return azcore.AccessToken{}, ctx.Err()
	}
}
