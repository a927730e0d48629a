package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
)

// BenchmarkFailureStorm is issue 13's failure storm: 100 callers in a loop
// against a wrong client secret (a permanent failure) for a fixed wall time
// (60 s with -bench.long, 3 s otherwise; one op = one such storm). It
// reports the token requests that reached the emulator per storm and per
// second, and the calls made. Each call waits at most 1 s.
//
// The ratio flatters nobody: DefaultAzureCredential (and the bare
// ClientSecretCredential) ask Entra on every call, as azidentity caches no
// failure; autoidentity remembers a permanent failure per key for a short,
// jittered period, so the requests it sends depend on that period, not on
// how hard the callers loop.
func BenchmarkFailureStorm(b *testing.B) {
	dur := 3 * time.Second
	if long() {
		dur = 60 * time.Second
	}
	for _, im := range spImpls() {
		b.Run(fmt.Sprintf("callers=100/impl=%s", im.name), func(b *testing.B) {
			srv := startServer(b, nil)
			env := scenarioEnv(b, srv, "service-principal-secret")
			env["AZURE_CLIENT_SECRET"] = "wrong-secret-for-the-failure-storm"
			setProcessEnv(b, env)
			var calls int64
			for b.Loop() {
				b.StopTimer()
				co, drop := coldOptions(srv)
				c, closeFn, err := im.new(env, co)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				var mu sync.Mutex
				var wg sync.WaitGroup
				stop := time.Now().Add(dur)
				for range 100 {
					wg.Go(func() {
						n := int64(0)
						for time.Now().Before(stop) {
							ctx, cancel := context.WithTimeout(context.Background(), time.Second)
							if _, err := c.GetToken(ctx, armOpts); err == nil {
								b.Error("a wrong secret got a token")
							}
							cancel()
							n++
						}
						mu.Lock()
						calls += n
						mu.Unlock()
					})
				}
				wg.Wait()
				b.StopTimer()
				closeFn()
				drop()
				b.StartTimer()
			}
			reqs := float64(srv.EndpointRequests(entratest.TokenEndpoint)) / float64(b.N)
			b.ReportMetric(reqs, "token-requests/op")
			b.ReportMetric(reqs/dur.Seconds(), "token-requests/s")
			b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
		})
	}
}
