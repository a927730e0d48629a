package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// heapInUse returns the live heap after two collections. The emulator runs
// in the same process, so callers empty its request log first.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkMemoryPerCredential is the live heap each credential holds after
// New, on the service principal environment (100 credentials per op, kept
// alive until measured).
func BenchmarkMemoryPerCredential(b *testing.B) {
	const n = 100
	for _, im := range spImpls() {
		b.Run("impl="+im.name, func(b *testing.B) {
			srv := startServer(b, nil)
			env := scenarioEnv(b, srv, "service-principal-secret")
			setProcessEnv(b, env)
			co := srv.ClientOptions()
			var per []float64
			creds := make([]azcore.TokenCredential, n)
			closers := make([]func(), n)
			for b.Loop() {
				before := heapInUse()
				for i := range creds {
					c, closeFn, err := im.new(env, co)
					if err != nil {
						b.Fatal(err)
					}
					creds[i], closers[i] = c, closeFn
				}
				after := heapInUse()
				per = append(per, (float64(after)-float64(before))/n)
				for i := range creds {
					closers[i]()
					creds[i], closers[i] = nil, nil
				}
			}
			b.ReportMetric(median(per), "heap-B/credential")
		})
	}
}

// BenchmarkMemoryPerToken is the live heap each cached token costs: a warm
// credential then gets tokens for 1,000 distinct scopes (100 unless
// -bench.long), every one a token request, and the heap growth is divided
// by the number of tokens. autoidentity caches in front of azidentity, so
// its figure includes MSAL's copy of each token as well as its own.
func BenchmarkMemoryPerToken(b *testing.B) {
	scopes := 100
	if long() {
		scopes = 1000
	}
	for _, im := range spImpls() {
		b.Run("impl="+im.name, func(b *testing.B) {
			srv := startServer(b, nil)
			env := scenarioEnv(b, srv, "service-principal-secret")
			setProcessEnv(b, env)
			opts := make([]policy.TokenRequestOptions, scopes)
			for i := range opts {
				resource := fmt.Sprintf("https://memory-%04d.entratest.example", i)
				srv.AddResource(resource)
				opts[i] = policy.TokenRequestOptions{Scopes: []string{resource + "/.default"}}
			}
			ctx := context.Background()
			var per []float64
			for b.Loop() {
				c, closeFn, err := im.new(env, srv.ClientOptions())
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.GetToken(ctx, armOpts); err != nil { // discovery, connections
					b.Fatal(err)
				}
				srv.ClearRequests()
				before := heapInUse()
				for _, o := range opts {
					if _, err := c.GetToken(ctx, o); err != nil {
						b.Fatal(err)
					}
				}
				srv.ClearRequests()
				after := heapInUse()
				per = append(per, (float64(after)-float64(before))/float64(scopes))
				runtime.KeepAlive(c)
				closeFn()
			}
			b.ReportMetric(median(per), "heap-B/token")
		})
	}
}
