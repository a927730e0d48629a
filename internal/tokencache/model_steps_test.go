package tokencache

import (
	"errors"
	"time"
)

// The model test's steps other than answers (see respond).

// teardown ends the schedule: Close, answer what still waits, cancel every
// caller, and wait for all of it.
func (w *world) teardown() error {
	if !w.closed {
		if err := w.close(); err != nil {
			return err
		}
	}
	for _, call := range w.pending() {
		if err := w.answer(call, modelAnswer{err: errModelTransient}); err != nil {
			return err
		}
	}
	for _, cl := range w.callers {
		cl.cancel()
		<-cl.done
	}
	select {
	case <-w.closeDone:
	case <-time.After(10 * time.Second):
		return errors.New("Close did not return")
	}
	return w.check(nil)
}

func (w *world) close() error {
	w.logf("Close")
	w.closed = true
	w.closeDone = make(chan struct{})
	go func() { w.c.Close(); close(w.closeDone) }()
	return w.settle()
}

func (w *world) pending() []*modelCall {
	w.up.mu.Lock()
	defer w.up.mu.Unlock()
	return append([]*modelCall(nil), w.up.pending...)
}

// cancelOne cancels a caller still waiting, as its deadline would.
func (w *world) cancelOne() error {
	var live []*modelCaller
	for _, cl := range w.callers {
		if !cl.returned() && !cl.cancelled {
			live = append(live, cl)
		}
	}
	if len(live) == 0 {
		return nil
	}
	cl := live[w.rnd.IntN(len(live))]
	w.logf("cancel caller %d", cl.id)
	cl.cancelled = true
	cl.cancel()
	return w.settle()
}

// startCaller starts a caller for a random key and checks its outcome
// against the prediction.
func (w *world) startCaller() error {
	k := w.rnd.IntN(2)
	budget := []time.Duration{0, 250 * time.Millisecond, 10 * time.Minute}[w.rnd.IntN(3)]
	want, starts := w.predict(k, budget)
	cl := &modelCaller{id: len(w.callers), key: k, budget: budget, step: w.step, want: want}
	if budget > 0 {
		cl.deadline = w.clk.now().Add(budget)
	}
	w.logf("caller %d: key %d, budget %v, want %v, request %v", cl.id, k, budget, want, starts)
	w.call(cl)
	if err := w.settle(); err != nil {
		return err
	}
	return w.check(&startCheck{caller: cl, starts: starts})
}

// advance moves the clock by d, stopping at every timer and caller
// deadline on the way: timers due fire first, then callers whose deadline
// came are cancelled, and the world settles after each.
func (w *world) advance(d time.Duration) error {
	target := w.clk.now().Add(d)
	w.logf("advance %v", d)
	for {
		next := target
		if at, ok := w.clk.next(); ok && at.Before(next) {
			next = at
		}
		for _, cl := range w.callers {
			if !cl.deadline.IsZero() && cl.deadline.After(w.clk.now()) && cl.deadline.Before(next) && !cl.returned() {
				next = cl.deadline
			}
		}
		w.clk.set(next)
		if err := w.settle(); err != nil {
			return err
		}
		if err := w.check(nil); err != nil {
			return err
		}
		for _, cl := range w.callers {
			if !cl.deadline.IsZero() && !cl.deadline.After(next) && !cl.returned() && !cl.cancelled {
				w.logf("deadline of caller %d", cl.id)
				cl.cancelled = true
				cl.cancel()
			}
		}
		if err := w.settle(); err != nil {
			return err
		}
		if next.Equal(target) {
			return nil
		}
		if err := w.check(nil); err != nil {
			return err
		}
	}
}
