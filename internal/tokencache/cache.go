package tokencache

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

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
	closed atomic.Bool // set under mu
	mu     sync.Mutex  // orders closed against wg.Add
	wg     sync.WaitGroup
}

var _ azcore.TokenCredential = (*Cache)(nil)

// entry is the cache slot for one key.
type entry struct {
	// Immutable after creation.
	h      uint64
	born   uint64 // creation order, for eviction
	scopes []string
	tenant string
	cae    bool

	state atomic.Pointer[state] // read lock-free; written under mu
	used  atomic.Int64          // last use, in Unix seconds (see touch)

	mu        sync.Mutex
	fl        *flight   // the upstream request in progress, if any
	failures  int       // consecutive failed requests
	fail      error     // the last request's error, remembered until retryAt
	permanent bool      // fail is permanent
	retryAt   time.Time // no request before it while fail is set
	evicted   bool      // dropped from the index; callers look again
}

// remembering reports whether a failure holds back requests at now. The
// caller holds e.mu.
func (e *entry) remembering(now time.Time) bool {
	return e.fail != nil && now.Before(e.retryAt)
}

// touch records a use at now, writing at most once a second, so the fast
// path almost never writes shared memory.
func (e *entry) touch(now time.Time) {
	if s := now.Unix(); e.used.Load() != s {
		e.used.Store(s)
	}
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
	c.entries = newEntries(c.opts.MaxEntries)
	c.base, c.cancel = context.WithCancel(context.Background())
	return c, nil
}

// GetToken returns a token for opts, from the cache when it holds one that
// is servable. See the package documentation for when it refreshes, waits,
// answers with a remembered failure, or bypasses the cache. Serving a
// cached token takes no lock and does not allocate.
func (c *Cache) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if opts.Claims != "" {
		return c.challenge(ctx, &opts)
	}
	h := c.entries.hash(&opts)
	if e := c.entries.find(h, &opts); e != nil {
		if st := e.state.Load(); st != nil {
			if now := c.opts.now(); now.Before(st.next) {
				e.touch(now)
				return st.tok, nil
			}
		}
	}
	return c.slow(ctx, h, &opts)
}

// Close stops background refreshes, cancels requests the cache made
// upstream, and waits for their goroutines to return (as promptly as
// upstream honours its context). Afterwards GetToken still serves cached
// tokens until they stop being servable, and returns [ErrClosed] when it
// would need upstream. Close is safe to call more than once.
func (c *Cache) Close() {
	c.mu.Lock()
	c.closed.Store(true)
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
}

// horizon returns until when the fast path may serve st, the entry's
// state, without a look under the lock. The caller holds e.mu.
func (c *Cache) horizon(e *entry, st *state, now time.Time) time.Time {
	switch {
	case c.closed.Load(): // nothing will refresh it: serve it while servable
		return st.until
	case e.fl != nil: // the request's end publishes a new state
		return st.mandatory
	case e.remembering(now): // static stability until the next attempt
		return e.retryAt
	default:
		return st.refresh
	}
}

// publish republishes e's state with its horizon at now. The caller holds
// e.mu.
func (c *Cache) publish(e *entry, now time.Time) {
	if st := e.state.Load(); st != nil {
		if next := minTime(c.horizon(e, st, now), st.until); !next.Equal(st.next) {
			e.state.Store(st.with(next))
		}
	}
}
