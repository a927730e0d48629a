package tokencache

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

var (
	modelSchedules = flag.Int("model.schedules", 0, "TestModel: run this many schedules (default: as many as -model.duration allows)")
	modelDuration  = flag.Duration("model.duration", 2*time.Second, "TestModel: how long to run schedules when -model.schedules is 0")
	modelSeed      = flag.Uint64("model.seed", 0, "TestModel: run only the schedule of this seed")
)

const modelSteps = 60

// TestModel runs seeded random schedules against a Cache with a fake clock:
// callers with and without deadlines (the driver cancels them when the fake
// clock reaches their deadline) and cancellations; upstream answers of
// every kind, or none (a hang), from requests that honour or ignore
// cancellation; clock jumps from 50 ms to an hour; and Close. After every
// step it checks the invariants: at most one request in flight per key; no
// request before its refresh time or a remembered failure's next attempt,
// and none after Close; no token served at or after ExpiresOn less the
// skew margin; a servable token outside the mandatory window served
// without waiting; in the mandatory window, waiting for the refresh unless
// a failure is remembered; a remembered failure answered at once or waited
// out as the caller's deadline allows; every caller returned by its
// deadline; and every request's result reaching its waiters. A schedule is
// deterministic for its seed; a failure prints the seed to rerun.
func TestModel(t *testing.T) {
	t.Parallel()
	if *modelSeed != 0 {
		if _, err := runSchedule(*modelSeed); err != nil {
			t.Fatalf("seed %d: %v", *modelSeed, err)
		}
		return
	}
	base := rand.Uint64()
	start := time.Now()
	n := 0
	for ; *modelSchedules > 0 && n < *modelSchedules || *modelSchedules == 0 && time.Since(start) < *modelDuration; n++ {
		if _, err := runSchedule(base + uint64(n)); err != nil {
			t.Fatalf("schedule %d, seed %d: %v\nrerun with: go test ./internal/tokencache/ -run 'TestModel$' -model.seed=%d",
				n, base+uint64(n), err, base+uint64(n))
		}
	}
	took := time.Since(start)
	t.Logf("%d schedules of %d steps in %v: %.0f schedules/s (seeds %d to %d)",
		n, modelSteps, took.Round(time.Millisecond), float64(n)/took.Seconds(), base, base+uint64(n)-1)
}

// world is one schedule's cache, upstream, callers and model.
type world struct {
	rnd       *rand.Rand
	clk       *clock
	c         *Cache
	up        *modelUpstream
	jitter    float64
	callers   []*modelCaller
	closed    bool
	closeDone chan struct{}
	keys      [2]keyModel
	issued    map[string]*modelToken
	step      int
	trace     []string
}

// keyModel is what the model knows of a key.
type keyModel struct {
	cur      *modelToken // the cached token, if any
	mem      *modelMemo  // the remembered failure, if any
	failures int         // consecutive failures
}

type modelToken struct {
	tok                       azcore.AccessToken
	refresh, mandatory, until time.Time
}

type modelMemo struct {
	err       error
	permanent bool
	retryAt   time.Time
}

var (
	errModelPermanent = errors.New("model: permanent failure")
	errModelTransient = errors.New("model: transient failure")
)

type throttled struct{ after time.Duration }

func (e *throttled) Error() string { return fmt.Sprint("model: throttled, retry after ", e.after) }

func modelClassify(err error) Failure {
	var th *throttled
	if errors.As(err, &th) {
		return Failure{RetryAfter: th.after}
	}
	return Failure{Permanent: errors.Is(err, errModelPermanent)}
}

// TestModelIsDeterministic: a seed replays the same schedule, so that a
// failing seed can be rerun.
func TestModelIsDeterministic(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		a, errA := runSchedule(seed)
		b, errB := runSchedule(seed)
		if errA != nil || errB != nil || !slices.Equal(a, b) {
			t.Fatalf("seed %d ran differently:\n%s\n%v\n---\n%s\n%v", seed, strings.Join(a, "\n"), errA, strings.Join(b, "\n"), errB)
		}
	}
}

// runSchedule runs the schedule of seed and returns its trace.
func runSchedule(seed uint64) (trace []string, err error) {
	w := &world{rnd: rand.New(rand.NewPCG(seed, 1)), clk: newClock(), issued: map[string]*modelToken{}}
	w.up = &modelUpstream{clk: w.clk, seed: seed}
	if w.rnd.IntN(2) == 0 {
		w.jitter = DefaultJitter
	}
	var mu sync.Mutex
	cacheRand := rand.New(rand.NewPCG(seed, 2))
	opts := Options{Classify: modelClassify, FetchTimeout: time.Hour, Jitter: -1, now: w.clk.now, timer: w.clk.timer,
		rand: func() float64 { mu.Lock(); defer mu.Unlock(); return cacheRand.Float64() }}
	if w.jitter > 0 {
		opts.Jitter = w.jitter
	}
	if w.c, err = New(w.up, &opts); err != nil {
		return nil, err
	}
	defer func() {
		if e := w.teardown(); err == nil {
			err = e
		}
		trace = w.trace
		if err != nil {
			err = fmt.Errorf("%v\njitter %v; last steps:\n%s", err, w.jitter, strings.Join(w.trace[max(0, len(w.trace)-25):], "\n"))
		}
	}()
	for w.step = 0; w.step < modelSteps; w.step++ {
		if err := w.act(); err != nil {
			return nil, fmt.Errorf("step %d: %w", w.step, err)
		}
	}
	return nil, nil
}

func (w *world) logf(format string, args ...any) {
	w.trace = append(w.trace, fmt.Sprintf("%3d %8v ", w.step, w.clk.now().Sub(t0))+fmt.Sprintf(format, args...))
}

// act takes one random step and checks the invariants.
func (w *world) act() error {
	var err error
	switch r := w.rnd.IntN(100); {
	case r < 35:
		err = w.startCaller()
	case r < 60 && len(w.pending()) > 0:
		err = w.respond()
	case r < 85:
		err = w.advance([]time.Duration{0, 50 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond, time.Second,
			2 * time.Second, 5 * time.Second, 20 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute, time.Hour}[w.rnd.IntN(12)])
	case r < 95:
		err = w.cancelOne()
	case r < 97 && w.step > 10 && !w.closed:
		err = w.close()
	}
	if err != nil {
		return err
	}
	return w.check(nil)
}
