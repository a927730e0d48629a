package bench

import (
	"context"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/autoidentity/autoidentity/entratest"
)

// warmSP starts an emulator with opts and returns im's credential for the
// service principal scenario, holding one token already.
func warmSP(b *testing.B, im impl, opts *entratest.Options) (azcore.TokenCredential, *entratest.Server) {
	b.Helper()
	srv := startServer(b, opts)
	env := scenarioEnv(b, srv, "service-principal-secret")
	setProcessEnv(b, env)
	c := im.mustNew(b, env, srv.ClientOptions())
	if _, err := c.GetToken(context.Background(), armOpts); err != nil {
		b.Fatalf("%s warm-up GetToken: %v", im.name, err)
	}
	return c, srv
}

// BenchmarkCachedGetToken is GetToken with a valid token cached, serially
// and from GOMAXPROCS goroutines (run with -cpu 1,2,...). It fails if a
// token request reached the emulator after the warm-up: it must measure the
// cache.
func BenchmarkCachedGetToken(b *testing.B) {
	for _, mode := range []string{"serial", "parallel"} {
		for _, im := range spImpls() {
			b.Run("mode="+mode+"/impl="+im.name, func(b *testing.B) {
				c, srv := warmSP(b, im, nil)
				ctx := context.Background()
				b.ReportAllocs()
				if mode == "serial" {
					for b.Loop() {
						if _, err := c.GetToken(ctx, armOpts); err != nil {
							b.Fatal(err)
						}
					}
				} else {
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if _, err := c.GetToken(ctx, armOpts); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				b.StopTimer()
				if n := srv.EndpointRequests(entratest.TokenEndpoint); n != 1 {
					b.Fatalf("%d token requests, want 1 (the warm-up): this did not measure a cache", n)
				}
			})
		}
	}
}

// BenchmarkShortLivedTokens is 100 GetToken calls on a warm credential whose
// tokens live 120 s (expires_in 120). MSAL treats a token that expires
// within 5 minutes as expired, so azidentity fetches one on every call;
// autoidentity's cache serves it until it refreshes at half its lifetime.
func BenchmarkShortLivedTokens(b *testing.B) {
	const calls = 100
	for _, im := range spImpls() {
		b.Run("impl="+im.name, func(b *testing.B) {
			c, srv := warmSP(b, im, &entratest.Options{TokenLifetime: 120 * time.Second})
			ctx := context.Background()
			before := srv.EndpointRequests(entratest.TokenEndpoint)
			for b.Loop() {
				for range calls {
					if _, err := c.GetToken(ctx, armOpts); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(srv.EndpointRequests(entratest.TokenEndpoint)-before)/float64(b.N), "token-requests/100calls")
		})
	}
}
