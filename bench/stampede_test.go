package bench

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/autoidentity/autoidentity/entratest"
)

// BenchmarkStampede starts 1,000 goroutines at once on a cold credential
// (one op = one such run on a new credential). It reports the token requests
// that reached the emulator per run and the callers' waits: the median over
// the runs of each run's p50 and p99 (run with -benchtime 1x -count 5 for
// the "median of 5 runs"; bench/cmd/benchtable takes the median of
// the -count results).
//
// callers=1 is the same run with one caller: one cold round trip (TCP, TLS,
// discovery and token requests), the wait the stampede's callers are
// compared with.
func BenchmarkStampede(b *testing.B) {
	for _, callers := range []int{1, 1000} {
		for _, im := range spImpls() {
			b.Run(fmt.Sprintf("callers=%d/impl=%s", callers, im.name), func(b *testing.B) { stampedeRuns(b, im, callers) })
		}
	}
}

// stampedeRuns is one BenchmarkStampede sub-benchmark.
func stampedeRuns(b *testing.B, im impl, callers int) {
	srv := startServer(b, nil)
	env := scenarioEnv(b, srv, "service-principal-secret")
	setProcessEnv(b, env)
	var p50s, p99s, maxes []float64
	for b.Loop() {
		b.StopTimer()
		co, drop := coldOptions(srv)
		c, closeFn, err := im.new(env, co)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		waits := stampede(b, c, callers)
		b.StopTimer()
		closeFn()
		drop()
		slices.Sort(waits)
		p50s = append(p50s, float64(percentile(waits, 0.50)))
		p99s = append(p99s, float64(percentile(waits, 0.99)))
		maxes = append(maxes, float64(waits[len(waits)-1]))
		b.StartTimer()
	}
	b.ReportMetric(float64(srv.EndpointRequests(entratest.TokenEndpoint))/float64(b.N), "token-requests/op")
	b.ReportMetric(median(p50s), "p50-ns")
	b.ReportMetric(median(p99s), "p99-ns")
	b.ReportMetric(median(maxes), "max-ns")
}

// stampede releases n goroutines together into c.GetToken and returns how
// long each waited.
func stampede(b *testing.B, c azcore.TokenCredential, n int) []time.Duration {
	waits := make([]time.Duration, n)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			<-start
			t := time.Now()
			if _, err := c.GetToken(context.Background(), armOpts); err != nil {
				b.Error(err)
			}
			waits[i] = time.Since(t)
		})
	}
	ready.Wait()
	close(start)
	done.Wait()
	return waits
}
