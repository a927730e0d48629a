package tokencache

import (
	"context"
	"errors"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// ErrClosed is returned by [Cache.GetToken] when, after [Cache.Close], it
// would need to ask upstream for a token, and wraps the error of a request
// that Close cancelled.
var ErrClosed = errors.New("tokencache: GetToken after Close: the cache no longer requests tokens")

// ErrExpiredToken is wrapped by the error [Cache.GetToken] returns when
// upstream answers with a token whose ExpiresOn is not in the future.
var ErrExpiredToken = errors.New("tokencache: upstream returned an expired token")

// Cache is an [azcore.TokenCredential] that serves tokens from an upstream
// credential out of a cache. It is safe for concurrent use. See the package
// documentation for the design.
type Cache struct {
	upstream azcore.TokenCredential
	opts     Options
	entries  entries
	seq      atomic.Uint64 // orders upstream requests; see state.seq

	base   context.Context // parent of detached fetches; cancelled by Close
	cancel context.CancelFunc
	mu     sync.Mutex // guards closed and wg.Add
	closed bool
	wg     sync.WaitGroup
}

var _ azcore.TokenCredential = (*Cache)(nil)

// entry is the cache slot for one key.
type entry struct {
	// Immutable after creation.
	scopes []string
	tenant string
	cae    bool

	state atomic.Pointer[state] // read lock-free; written under mu

	mu       sync.Mutex
	fl       *flight // the upstream request in progress, if any
	failures int     // consecutive failed fetches
}

// state is an immutable snapshot of an entry's token.
type state struct {
	tok azcore.AccessToken
	// next is when the fast path stops serving tok without a second look:
	// the scheduled refresh, a pending retry, or the end of an in-flight
	// refresh's timeout. It is never after tok.ExpiresOn.
	next time.Time
	// seq is the sequence number of the upstream request that produced tok;
	// a result replaces the state only if its request started later.
	seq uint64
}

// CredentialFunc adapts a function to [azcore.TokenCredential].
type CredentialFunc func(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error)

// GetToken calls f.
func (f CredentialFunc) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return f(ctx, opts)
}

// New returns a Cache in front of upstream. A nil opts means defaults; opts
// is copied. It returns an error if upstream is nil or opts is out of range.
// Call [Cache.Close] when done with the Cache to stop background work.
func New(upstream azcore.TokenCredential, opts *Options) (*Cache, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	if upstream == nil {
		return nil, errNilUpstream
	}
	c := &Cache{upstream: upstream, opts: o.withDefaults()}
	c.entries.seed = maphash.MakeSeed()
	c.base, c.cancel = context.WithCancel(context.Background())
	return c, nil
}

// GetToken returns a token for opts, from the cache when it holds one that
// is not expired. See the package documentation for when it refreshes,
// waits, or bypasses the cache. Serving a cached token takes no lock and
// does not allocate.
func (c *Cache) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if opts.Claims != "" {
		return c.challenge(ctx, &opts)
	}
	h := c.entries.hash(&opts)
	if e := c.entries.find(h, &opts); e != nil {
		if st := e.state.Load(); st != nil && c.opts.now().Before(st.next) {
			return st.tok, nil
		}
	}
	return c.slow(ctx, c.entries.get(h, &opts))
}

// slow serves a token when the fast path could not: none cached, refresh
// due, or expired.
func (c *Cache) slow(ctx context.Context, e *entry) (azcore.AccessToken, error) {
	e.mu.Lock()
	now := c.opts.now()
	st := e.state.Load()
	if st != nil && now.Before(st.tok.ExpiresOn) {
		if now.Before(st.next) { // another caller got here first
			e.mu.Unlock()
			return st.tok, nil
		}
		// Refresh due: serve the valid token, refresh in the background.
		if e.fl == nil && c.start(e) {
			e.state.Store(&state{tok: st.tok, next: minTime(now.Add(c.opts.FetchTimeout), st.tok.ExpiresOn), seq: st.seq})
		}
		e.mu.Unlock()
		return st.tok, nil
	}
	// Nothing valid: wait for the shared request.
	if err := ctx.Err(); err != nil {
		e.mu.Unlock()
		return azcore.AccessToken{}, err
	}
	f := c.join(e)
	e.mu.Unlock()
	if f == nil {
		return azcore.AccessToken{}, ErrClosed
	}
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		e.mu.Lock()
		leave(f)
		e.mu.Unlock()
		return azcore.AccessToken{}, ctx.Err()
	}
}

// challenge handles a request with claims (a CAE claims challenge): it goes
// straight upstream with the caller's context, and on success replaces the
// cached token for the same scopes, tenant and CAE.
func (c *Cache) challenge(ctx context.Context, opts *policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return azcore.AccessToken{}, ErrClosed
	}
	e := c.entries.get(c.entries.hash(opts), opts)
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
			if err = checkExpiry(tok, now); err == nil {
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

// Close stops background refreshes, cancels requests the cache made
// upstream, and waits for its goroutines to return (as promptly as upstream
// honours its context). Afterwards GetToken still serves cached tokens until
// they expire, and returns [ErrClosed] when it would need upstream. Close is safe to call more than once.
func (c *Cache) Close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
