package tokencache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// outcome is what the model predicts for a new caller.
type outcome int

const (
	unknown outcome = iota // too close to call (a jittered time near a deadline)
	token                  // the cached token, at once
	failure                // an error, at once
	block                  // it waits
)

func (o outcome) String() string { return [...]string{"unknown", "token", "failure", "block"}[o] }

// startCheck is what a new caller's step must show.
type startCheck struct {
	caller *modelCaller
	starts int // requests for its key: 1 or 0; -1 unknown
}

// predict returns what a caller of key k with budget gets now, and whether
// it starts a request (1, 0, or -1 unknown).
func (w *world) predict(k int, budget time.Duration) (outcome, int) {
	now, km := w.clk.now(), &w.keys[k]
	w.up.mu.Lock()
	flying := w.up.inflight[k] > 0
	w.up.mu.Unlock()
	servable := km.cur != nil && now.Before(km.cur.until)
	remembering := km.mem != nil && now.Before(km.mem.retryAt)
	switch {
	case w.closed && servable:
		return token, 0
	case w.closed:
		return failure, 0
	case servable && now.Before(km.cur.mandatory): // advisory, or not even
		return token, b2i(!flying && !remembering && !now.Before(km.cur.refresh))
	case flying:
		return block, 0
	case servable && remembering: // static stability
		return token, 0
	case remembering && km.mem.permanent:
		return failure, 0
	case remembering: // transient: it waits for the next attempt if its deadline allows
		margin, wait := time.Duration(0), km.mem.retryAt.Sub(now)
		if w.jitter > 0 {
			margin = 50 * time.Millisecond
		}
		switch {
		case budget == 0 || budget > wait+margin:
			return block, 0
		case budget <= wait-margin:
			return failure, 0
		}
		return unknown, -1
	}
	return block, 1 // a request starts, in the mandatory window or cold
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// respond answers a random request in flight with a random answer.
func (w *world) respond() error {
	calls := w.pending()
	call := calls[w.rnd.IntN(len(calls))]
	now, km := w.clk.now(), &w.keys[call.key]
	var a modelAnswer
	var want error // what its waiters without a servable token get
	switch r := w.rnd.IntN(100); {
	case r < 40:
		life := []time.Duration{4 * time.Second, 2 * time.Minute, time.Hour}[w.rnd.IntN(3)]
		a.tok = azcore.AccessToken{Token: fmt.Sprintf("k%d-%d", call.key, call.n), ExpiresOn: now.Add(life)}
		if w.rnd.IntN(3) == 0 {
			a.tok.RefreshOn = now.Add(life / 3)
		}
	case r < 50:
		a.tok, want = azcore.AccessToken{Token: "expired", ExpiresOn: now.Add(-time.Second)}, ErrExpiredToken
	case r < 65:
		a.err = errModelTransient
	case r < 75:
		a.err = &throttled{[]time.Duration{time.Second, 10 * time.Second, 90 * time.Second, 10 * time.Minute}[w.rnd.IntN(4)]}
	case r < 90:
		a.err = errModelPermanent
	default:
		a.err = context.DeadlineExceeded // the fetch timed out
	}
	if want == nil {
		want = a.err
	}
	w.logf("answer key %d request %d: %q %v", call.key, call.n, a.tok.Token, a.err)
	old := km.cur
	if err := w.answer(call, a); err != nil {
		return err
	}
	// The waiters got the answer: the token, or the old token while it is
	// servable, or the error.
	for _, cl := range w.callers {
		if cl.key != call.key || cl.checked || !cl.returned() {
			continue
		}
		switch {
		case want == nil && (cl.err != nil || cl.tok.Token != a.tok.Token):
			return fmt.Errorf("caller %d got (%q, %v), want the answer %q", cl.id, cl.tok.Token, cl.err, a.tok.Token)
		case want != nil && old != nil && now.Before(old.until) && (cl.err != nil || cl.tok.Token != old.tok.Token):
			return fmt.Errorf("caller %d got (%q, %v) after a failed refresh, want the still servable %q", cl.id, cl.tok.Token, cl.err, old.tok.Token)
		case want != nil && (old == nil || !now.Before(old.until)) && !errors.Is(cl.err, want) && !(w.closed && errors.Is(cl.err, ErrClosed)):
			return fmt.Errorf("caller %d got (%q, %v), want the error %v", cl.id, cl.tok.Token, cl.err, want)
		}
	}
	return w.learn(call.key, want, now)
}

// learn updates the model of key k after its request ended at now with
// failure want (nil: success), and checks the cache's jittered times
// against their bounds.
func (w *world) learn(k int, want error, now time.Time) error {
	km := &w.keys[k]
	e := entryFor(w.c, modelKeys[k])
	e.mu.Lock()
	st, retryAt := e.state.Load(), e.retryAt
	e.mu.Unlock()
	if want == nil {
		tok := st.tok
		life := tok.ExpiresOn.Sub(now)
		window := min(MandatoryWindow, life/12)
		mt := &modelToken{tok: tok, mandatory: tok.ExpiresOn.Add(-window), until: tok.ExpiresOn.Add(-min(ExpirySkew, window/2)), refresh: st.refresh}
		lo, hi := tok.RefreshOn, tok.RefreshOn
		if tok.RefreshOn.IsZero() {
			rw := min(DefaultRefreshWindow, life/2)
			lo, hi = tok.ExpiresOn.Add(-rw), tok.ExpiresOn.Add(-rw+time.Duration(w.jitter*float64(rw)))
		}
		if lo, hi = minTime(lo, mt.mandatory), minTime(hi, mt.mandatory); st.refresh.Before(lo) || st.refresh.After(hi) ||
			!st.mandatory.Equal(mt.mandatory) || !st.until.Equal(mt.until) {
			return fmt.Errorf("key %d: windows refresh %v mandatory %v until %v; want refresh in [%v, %v], %v, %v",
				k, st.refresh, st.mandatory, st.until, lo, hi, mt.mandatory, mt.until)
		}
		km.cur, km.mem, km.failures = mt, nil, 0
		w.issued[tok.Token] = mt
		return nil
	}
	if w.closed { // failures while closing are not remembered
		return nil
	}
	km.failures++
	class := modelClassify(want)
	var lo, hi time.Duration
	if class.Permanent {
		lo, hi = DefaultPermanentRetry-time.Duration(w.jitter*float64(DefaultPermanentRetry)), DefaultPermanentRetry+time.Duration(w.jitter*float64(DefaultPermanentRetry))
	} else {
		hi = min(DefaultRetryMin<<min(km.failures-1, 10), DefaultRetryMax)
		lo = hi - time.Duration(w.jitter*float64(hi))
	}
	ra := min(class.RetryAfter, MaxRetryAfter)
	lo, hi = max(lo, ra), max(hi, ra)
	if d := retryAt.Sub(now); d < lo-time.Microsecond || d > hi+time.Microsecond {
		return fmt.Errorf("key %d: failure %d (%v) remembered for %v, want [%v, %v]", k, km.failures, want, d, lo, hi)
	}
	km.mem = &modelMemo{err: want, permanent: class.Permanent, retryAt: retryAt}
	return nil
}

// check checks the requests that arrived and the callers that returned
// since the last check; sc, if set, is the caller this step started.
func (w *world) check(sc *startCheck) error {
	w.up.mu.Lock()
	arrived, violations := w.up.arrived, w.up.violations
	w.up.arrived = nil
	w.up.mu.Unlock()
	if len(violations) > 0 {
		return errors.New(violations[0])
	}
	var requests [2]int
	for _, call := range arrived {
		requests[call.key]++
		km := &w.keys[call.key]
		w.logf("request %d for key %d arrived (ignores cancellation: %v)", call.n, call.key, call.ignore)
		switch {
		case w.closed:
			return fmt.Errorf("key %d: a request after Close", call.key)
		case km.cur != nil && call.at.Before(km.cur.until) && call.at.Before(km.cur.refresh):
			return fmt.Errorf("key %d: a request before the refresh time %v", call.key, km.cur.refresh.Sub(t0))
		case km.mem != nil && call.at.Before(km.mem.retryAt):
			return fmt.Errorf("key %d: a request before the remembered failure's next attempt %v", call.key, km.mem.retryAt.Sub(t0))
		}
	}
	if sc != nil {
		k := sc.caller.key
		if sc.starts >= 0 && requests[k] != sc.starts || requests[1-k] != 0 {
			return fmt.Errorf("caller %d: requests %v, want %d for key %d", sc.caller.id, requests, sc.starts, k)
		}
		if err := w.checkStart(sc.caller); err != nil {
			return err
		}
	}
	for _, cl := range w.callers {
		if cl.checked || !cl.returned() {
			continue
		}
		cl.checked = true
		w.logf("caller %d returned (%q, %v)", cl.id, cl.tok.Token, cl.err)
		if cl.err == nil {
			mt := w.issued[cl.tok.Token]
			if mt == nil || !cl.at.Before(mt.until) {
				return fmt.Errorf("caller %d got %q at %v, not servable (until %v)", cl.id, cl.tok.Token, cl.at.Sub(t0), mt)
			}
		} else if errors.Is(cl.err, context.Canceled) && !cl.cancelled && !errors.Is(cl.err, ErrClosed) {
			return fmt.Errorf("caller %d got %v, but its context was not cancelled", cl.id, cl.err)
		}
	}
	return nil
}

// checkStart checks a new caller's outcome against its prediction.
func (w *world) checkStart(cl *modelCaller) error {
	km := &w.keys[cl.key]
	returned := cl.returned()
	var r *RememberedError
	switch {
	case cl.want == block && returned:
		return fmt.Errorf("caller %d returned (%q, %v), want it to wait", cl.id, cl.tok.Token, cl.err)
	case cl.want == token && (!returned || cl.err != nil || cl.tok.Token != km.cur.tok.Token):
		return fmt.Errorf("caller %d: returned %v (%q, %v), want %q at once", cl.id, returned, cl.tok.Token, cl.err, km.cur.tok.Token)
	case cl.want == failure && (!returned || cl.err == nil):
		return fmt.Errorf("caller %d: returned %v (%q, %v), want an error at once", cl.id, returned, cl.tok.Token, cl.err)
	case cl.want == failure && w.closed && !errors.Is(cl.err, ErrClosed):
		return fmt.Errorf("caller %d got %v after Close, want ErrClosed", cl.id, cl.err)
	case cl.want == failure && !w.closed && (!errors.As(cl.err, &r) || r.Permanent != km.mem.permanent ||
		!r.NextAttempt.Equal(km.mem.retryAt) || !errors.Is(cl.err, km.mem.err)):
		return fmt.Errorf("caller %d got %v, want the remembered %v", cl.id, cl.err, km.mem.err)
	}
	return nil
}
