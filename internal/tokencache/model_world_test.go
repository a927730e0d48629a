package tokencache

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// The model test's world: an upstream whose every request waits for the
// driver to answer it, callers on goroutines whose deadlines the driver
// enforces on the fake clock, and settle, which waits until every goroutine
// is blocked on something only the driver can change. Between steps the
// world is quiescent, so a schedule is deterministic for its seed.

var modelKeys = []policy.TokenRequestOptions{{Scopes: []string{"k0"}}, {Scopes: []string{"k1"}}}

// modelCall is one request upstream, waiting for the driver's answer.
type modelCall struct {
	key    int
	n      int // the key's request number, from 1
	at     time.Time
	ignore bool // ignores cancellation: returns only when answered
	answer chan modelAnswer
	// answered is set (under the upstream's mu) when the driver answers.
	answered bool
}

type modelAnswer struct {
	tok azcore.AccessToken
	err error
}

// modelUpstream records requests and counts them in flight per key.
type modelUpstream struct {
	clk  *clock
	seed uint64

	mu         sync.Mutex
	pending    []*modelCall // in flight, in the order they arrived
	arrived    []*modelCall // arrived since the driver last looked
	inflight   [2]int
	requests   [2]int
	violations []string
}

func (u *modelUpstream) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	k := slices.IndexFunc(modelKeys, func(o policy.TokenRequestOptions) bool { return o.Scopes[0] == opts.Scopes[0] })
	u.mu.Lock()
	if u.inflight[k] > 0 {
		u.violations = append(u.violations, fmt.Sprintf("key %d: a second request while one is in flight", k))
	}
	u.inflight[k]++
	u.requests[k]++
	// Whether it ignores cancellation is a function of the seed and the
	// key's request number, both deterministic.
	call := &modelCall{key: k, n: u.requests[k], at: u.clk.now(), answer: make(chan modelAnswer, 1),
		ignore: mix(u.seed^uint64(k<<32|u.requests[k]))%3 == 0}
	u.pending = append(u.pending, call)
	u.arrived = append(u.arrived, call)
	u.mu.Unlock()

	var a modelAnswer
	if call.ignore {
		a = <-call.answer
	} else {
		select {
		case a = <-call.answer:
		case <-ctx.Done():
			a.err = ctx.Err()
		}
	}
	u.mu.Lock()
	u.inflight[k]--
	u.pending = slices.DeleteFunc(u.pending, func(c *modelCall) bool { return c == call })
	u.mu.Unlock()
	return a.tok, a.err
}

// modelCaller is one GetToken call.
type modelCaller struct {
	id, key   int
	cancelled bool          // by the driver: it must return within the step
	budget    time.Duration // 0: no deadline
	deadline  time.Time     // on the fake clock; zero: none
	step      int           // the step that started it
	want      outcome
	cancel    context.CancelFunc
	done      chan struct{} // closed when GetToken returned; then:
	tok       azcore.AccessToken
	err       error
	at        time.Time // the fake clock at the return
	checked   bool
}

// deadlineCtx has the deadline the driver chose; the driver cancels it
// when the fake clock reaches the caller's deadline.
type deadlineCtx struct {
	context.Context
	deadline time.Time
}

func (d deadlineCtx) Deadline() (time.Time, bool) { return d.deadline, !d.deadline.IsZero() }

func (cl *modelCaller) returned() bool {
	select {
	case <-cl.done:
		return true
	default:
		return false
	}
}

// call starts cl on its own goroutine.
func (w *world) call(cl *modelCaller) {
	ctx, cancel := context.WithCancel(context.Background())
	cl.cancel, cl.done = cancel, make(chan struct{})
	w.callers = append(w.callers, cl)
	go func() {
		d := deadlineCtx{Context: ctx}
		if cl.budget > 0 {
			d.deadline = time.Now().Add(cl.budget)
		}
		cl.tok, cl.err = w.c.GetToken(d, modelKeys[cl.key])
		cl.at = w.clk.now()
		close(cl.done)
	}()
}

// settle waits until every caller has returned or is blocked on a request
// in flight or on a timer, and every request the cache started is with
// the upstream (or finished). It fails after 10 s: a deadlock.
func (w *world) settle() error {
	start := time.Now()
	for spins := 0; !w.settled(); spins++ {
		if time.Since(start) > 10*time.Second {
			w.up.mu.Lock()
			defer w.up.mu.Unlock()
			return fmt.Errorf("did not settle in 10 s: a caller or request is stuck (upstream: %v)", w.up.violations)
		}
		if spins < 50 {
			runtime.Gosched()
		} else {
			time.Sleep(20 * time.Microsecond)
		}
	}
	return nil
}

func (w *world) settled() bool {
	active := 0
	for _, cl := range w.callers {
		if !cl.returned() {
			if cl.cancelled {
				return false
			}
			active++
		}
	}
	blocked := w.clk.pending()
	if w.closed && (w.c.base.Err() == nil || blocked > 0) { // Close wakes every sleeper
		return false
	}
	var flying [2]bool
	for k, o := range modelKeys {
		if e := entryFor(w.c, o); e != nil {
			e.mu.Lock()
			if e.fl != nil {
				flying[k] = true
				blocked += e.fl.waiters
			}
			e.mu.Unlock()
		}
	}
	if active != blocked {
		return false
	}
	w.up.mu.Lock()
	defer w.up.mu.Unlock()
	for _, c := range w.up.pending {
		if c.answered || (w.closed && !c.ignore) { // about to return
			return false
		}
	}
	return flying[0] == (w.up.inflight[0] > 0) && flying[1] == (w.up.inflight[1] > 0)
}

// answer answers call with a, waits for the world to settle and returns
// the error if it did not.
func (w *world) answer(call *modelCall, a modelAnswer) error {
	w.up.mu.Lock()
	call.answered = true
	w.up.mu.Unlock()
	call.answer <- a
	return w.settle()
}
