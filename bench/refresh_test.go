package bench

import (
	"context"
	"flag"
	"math/bits"
	"sync"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
)

var refreshRun = flag.Duration("bench.refresh", 0, "duration of each refresh-boundary run (default 10s with -bench.long, else 1.5s)")

// refreshDurations returns how long each refresh-boundary run lasts and the
// refresh period it forces (refresh_in, and half the short tokens'
// lifetime): five refreshes in a 10 s run. The wire carries whole seconds.
func refreshDurations() (run, period time.Duration) {
	switch {
	case *refreshRun > 0:
		run = *refreshRun
	case long():
		run = 10 * time.Second
	default:
		run = 1500 * time.Millisecond
	}
	return run, max(time.Second, (run / 5).Truncate(time.Second))
}

// refreshCallers is how many goroutines call GetToken during the run.
const refreshCallers = 64

// callerPause is how long each caller pauses between calls: 64 callers make
// up to about 60,000 calls a second, a busy service. Callers that spin
// without pausing would saturate a small machine and measure the Go
// scheduler (a preempted caller waits for 63 others' time slices) and
// starve the background refresh and the emulator instead.
const callerPause = time.Millisecond

// tokenEndpointLatency is the injected latency of the token endpoint.
const tokenEndpointLatency = 50 * time.Millisecond

// BenchmarkRefreshBoundary runs 64 callers in a loop on a warm credential
// for a fixed time (-bench.refresh, 10 s in BENCHMARKS.md) against a token
// endpoint that takes 50 ms (each caller pausing 1 ms between calls). It
// reports first the calls that blocked on a token request
// (blocked-calls/op: calls that took 25 ms or more) and the worst wait
// (max-ns), then the latency quantiles p50-ns, p99-ns and p99.9-ns, with
// calls/op and token-requests/op. One op is one run. Three token shapes:
//
//   - tokens=steady: one-hour tokens, no refresh during the run: the cached
//     path, timed by the same harness, for comparison.
//   - tokens=refresh_in: one-hour tokens with refresh_in = run/5 (2 s), the
//     hint Entra sends; MSAL and autoidentity both refresh when it passes.
//   - tokens=short: expires_in = 2×run/5 (4 s). MSAL does not cache tokens
//     that expire within 5 minutes, so every azidentity call is a round
//     trip; autoidentity refreshes at half the lifetime.
func BenchmarkRefreshBoundary(b *testing.B) {
	run, period := refreshDurations()
	shapes := []struct {
		name string
		opts entratest.Options
	}{
		{"steady", entratest.Options{TokenLifetime: time.Hour}},
		{"refresh_in", entratest.Options{TokenLifetime: time.Hour, RefreshIn: period}},
		{"short", entratest.Options{TokenLifetime: 2 * period}},
	}
	for _, sh := range shapes {
		for _, im := range spImpls() {
			b.Run("tokens="+sh.name+"/impl="+im.name, func(b *testing.B) {
				opts := sh.opts
				c, srv := warmSP(b, im, &opts)
				if err := srv.Inject(entratest.Fault{Endpoint: entratest.TokenEndpoint, Latency: tokenEndpointLatency}); err != nil {
					b.Fatal(err)
				}
				var h histogram
				var calls int
				before := srv.EndpointRequests(entratest.TokenEndpoint)
				for b.Loop() {
					n := callFor(b, c.GetToken, run, &h)
					calls += n
				}
				b.ReportMetric(float64(h.blocked)/float64(b.N), "blocked-calls/op")
				b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
				b.ReportMetric(float64(srv.EndpointRequests(entratest.TokenEndpoint)-before)/float64(b.N), "token-requests/op")
				b.ReportMetric(float64(h.quantile(0.50)), "p50-ns")
				b.ReportMetric(float64(h.quantile(0.99)), "p99-ns")
				b.ReportMetric(float64(h.quantile(0.999)), "p99.9-ns")
				b.ReportMetric(float64(h.max), "max-ns")
			})
		}
	}
}

// callFor has refreshCallers goroutines call get in a loop for d, adds each
// call's latency to h and returns the number of calls.
func callFor(b *testing.B, get getToken, d time.Duration, h *histogram) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	deadline := time.Now().Add(d)
	ctx := context.Background()
	for range refreshCallers {
		wg.Go(func() {
			var local histogram
			n := 0
			for {
				t := time.Now()
				if !t.Before(deadline) {
					break
				}
				if _, err := get(ctx, armOpts); err != nil {
					b.Error(err)
					return
				}
				local.add(time.Since(t))
				n++
				time.Sleep(callerPause)
			}
			mu.Lock()
			h.merge(&local)
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	return total
}

// blockedAt is the latency from which a call counts as blocked: it waited
// on a token request (half the endpoint's injected latency, well above any
// scheduler wake-up seen on the cached path).
const blockedAt = tokenEndpointLatency / 2

// histogram is a log-linear latency histogram: 16 buckets per power of two
// (at most 1/16 relative error), exact below 32 ns, and the exact maximum.
// A 10 s run makes hundreds of millions of cached calls, too many to keep.
type histogram struct {
	counts  [1024]uint64
	n       uint64
	blocked uint64 // calls that took blockedAt or longer
	max     time.Duration
}

func bucket(v uint64) int {
	if v < 32 {
		return int(v)
	}
	s := bits.Len64(v) - 5
	return 16*s + int(v>>s)
}

// lower returns the smallest value in bucket i.
func lower(i int) uint64 {
	if i < 32 {
		return uint64(i)
	}
	s := i/16 - 1
	return uint64(i-16*s) << s
}

func (h *histogram) add(d time.Duration) {
	h.counts[bucket(uint64(max(d, 0)))]++
	h.n++
	if d >= blockedAt {
		h.blocked++
	}
	h.max = max(h.max, d)
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.blocked += o.blocked
	h.max = max(h.max, o.max)
}

// quantile returns the middle of the bucket holding the q-th quantile,
// capped at the maximum.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n)+0.5) - 1
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen > rank {
			mid := (lower(i) + lower(i+1)) / 2
			return min(time.Duration(mid), h.max)
		}
	}
	return h.max
}
