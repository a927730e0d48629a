package tokencache_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/autoidentity/autoidentity/internal/tokencache"
)

// BenchmarkColdStampede starts 1,000 goroutines on a cold credential and
// reports the token requests that reached the loopback Entra and the
// callers' wait (p50, p99), for the Cache over azidentity and for azidentity
// alone.
func BenchmarkColdStampede(b *testing.B) {
	for _, tt := range []struct {
		name  string
		cache bool
	}{{"tokencache", true}, {"azidentity", false}} {
		b.Run(tt.name, func(b *testing.B) {
			var requests int64
			var waits []time.Duration
			for b.Loop() {
				b.StopTimer()
				cred, tokens := newAzidentity(b)
				var c azcore.TokenCredential = cred
				if tt.cache {
					tc, err := tokencache.New(cred, nil)
					if err != nil {
						b.Fatal(err)
					}
					b.Cleanup(tc.Close)
					c = tc
				}
				b.StartTimer()
				waits = append(waits, stampede(b, c, 1000)...)
				requests += tokens.Load()
			}
			slices.Sort(waits)
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(waits[len(waits)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds()), "p99-µs")
		})
	}
}

func stampede(b *testing.B, c azcore.TokenCredential, n int) []time.Duration {
	waits := make([]time.Duration, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			t := time.Now()
			if _, err := c.GetToken(context.Background(), benchScope); err != nil {
				b.Error(err)
			}
			waits[i] = time.Since(t)
		})
	}
	close(start)
	wg.Wait()
	return waits
}
