package tokencache_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/internal/tokencache"
)

const (
	benchTenant = "00000000-0000-0000-0000-00000000000a"
	benchClient = "00000000-0000-0000-0000-00000000000b"
)

var benchScope = policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}}

// entraServer is a minimal loopback Entra ID: OpenID discovery and a
// client-credentials token endpoint answering an hour-long app token.
func entraServer(tb testing.TB) (*httptest.Server, *atomic.Int64) {
	tb.Helper()
	var tokens atomic.Int64
	b64 := func(v any) string {
		j, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(j)
	}
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		authority := srv.URL + "/" + benchTenant
		switch r.URL.Path {
		case "/" + benchTenant + "/v2.0/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]string{
				"authorization_endpoint": authority + "/oauth2/v2.0/authorize",
				"token_endpoint":         authority + "/oauth2/v2.0/token",
				"issuer":                 authority + "/v2.0",
			})
		case "/" + benchTenant + "/oauth2/v2.0/token":
			if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
				http.Error(w, `{"error":"unsupported_grant_type"}`, http.StatusBadRequest)
				return
			}
			n := tokens.Add(1)
			now := time.Now().Unix()
			jwt := b64(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + b64(map[string]any{
				"aud": "https://management.azure.com", "tid": benchTenant, "appid": benchClient,
				"idtyp": "app", "iat": now, "nbf": now, "exp": now + 3600, "n": n,
			}) + ".c2lnbmF0dXJl"
			_ = json.NewEncoder(w).Encode(map[string]any{
				"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600, "access_token": jwt,
			})
		default:
			http.NotFound(w, r)
		}
	}))
	tb.Cleanup(srv.Close)
	return srv, &tokens
}

// newAzidentity returns a cold ClientSecretCredential against a new
// loopback Entra, and the count of token requests that reached it.
func newAzidentity(tb testing.TB) (azcore.TokenCredential, *atomic.Int64) {
	tb.Helper()
	srv, tokens := entraServer(tb)
	cred, err := azidentity.NewClientSecretCredential(benchTenant, benchClient, "canary-client-secret", &azidentity.ClientSecretCredentialOptions{
		DisableInstanceDiscovery: true,
		ClientOptions: azcore.ClientOptions{
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: srv.URL + "/"},
			Transport: srv.Client(),
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cred, tokens
}

// azidentityCredential returns newAzidentity's credential warmed with one
// token.
func azidentityCredential(tb testing.TB) (azcore.TokenCredential, *atomic.Int64) {
	tb.Helper()
	cred, tokens := newAzidentity(tb)
	warm(tb, cred)
	if n := tokens.Load(); n != 1 {
		tb.Fatalf("warming made %d token requests, want 1", n)
	}
	return cred, tokens
}

// funcCache returns a warmed Cache over an in-memory upstream.
func funcCache(tb testing.TB, opts policy.TokenRequestOptions) *tokencache.Cache {
	tb.Helper()
	up := tokencache.CredentialFunc(func(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
		return azcore.AccessToken{Token: "token", ExpiresOn: time.Now().Add(time.Hour)}, nil
	})
	c, err := tokencache.New(up, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.Close)
	if _, err := c.GetToken(context.Background(), opts); err != nil {
		tb.Fatal(err)
	}
	return c
}

func warm(tb testing.TB, cred azcore.TokenCredential) {
	tb.Helper()
	if _, err := cred.GetToken(context.Background(), benchScope); err != nil {
		tb.Fatalf("warming GetToken: %v", err)
	}
}

func serial(b *testing.B, cred azcore.TokenCredential, opts policy.TokenRequestOptions) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cred.GetToken(ctx, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func parallel(b *testing.B, cred azcore.TokenCredential, opts policy.TokenRequestOptions) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := cred.GetToken(ctx, opts); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkGetTokenCached(b *testing.B) {
	b.Run("scope=1", func(b *testing.B) { serial(b, funcCache(b, benchScope), benchScope) })
	three := policy.TokenRequestOptions{Scopes: []string{"s1", "s2", "s3"}, TenantID: benchTenant, EnableCAE: true}
	b.Run("scope=3", func(b *testing.B) { serial(b, funcCache(b, three), three) })
}

func BenchmarkGetTokenCachedParallel(b *testing.B) {
	parallel(b, funcCache(b, benchScope), benchScope)
}

// BenchmarkGetTokenCachedOverAzidentity is the production stack: the Cache
// in front of azidentity's ClientSecretCredential.
func BenchmarkGetTokenCachedOverAzidentity(b *testing.B) {
	cred, tokens := azidentityCredential(b)
	c, err := tokencache.New(cred, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	warm(b, c) // MSAL's cache answers; no second request
	b.Run("serial", func(b *testing.B) { serial(b, c, benchScope) })
	b.Run("parallel", func(b *testing.B) { parallel(b, c, benchScope) })
	if n := tokens.Load(); n != 1 {
		b.Fatalf("%d token requests, want 1", n)
	}
}

// BenchmarkAzidentityCached measures azidentity's own cache (MSAL's) for
// comparison: a warmed ClientSecretCredential over loopback.
func BenchmarkAzidentityCached(b *testing.B) {
	cred, tokens := azidentityCredential(b)
	b.Run("serial", func(b *testing.B) { serial(b, cred, benchScope) })
	b.Run("parallel", func(b *testing.B) { parallel(b, cred, benchScope) })
	if n := tokens.Load(); n != 1 {
		b.Fatalf("%d token requests, want 1: the benchmark did not measure the cache", n)
	}
}

// BenchmarkInsert adds keys=N distinct keys to an empty Cache (MaxEntries
// N, so nothing is evicted), each a cold GetToken over an in-memory
// upstream, and reports the cost per insert and the live heap per key. A
// flat ns/insert across N shows inserts are O(1); the index used to be
// copied on every insert.
func BenchmarkInsert(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint("keys=", n), func(b *testing.B) {
			opts := make([]policy.TokenRequestOptions, n)
			for i := range opts {
				opts[i] = policy.TokenRequestOptions{Scopes: []string{fmt.Sprintf("https://r%06d.example/.default", i)}}
			}
			expires := time.Now().Add(time.Hour)
			up := tokencache.CredentialFunc(func(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
				return azcore.AccessToken{Token: "token", ExpiresOn: expires}, nil
			})
			ctx := context.Background()
			var perKey []float64
			for b.Loop() {
				b.StopTimer()
				c, err := tokencache.New(up, &tokencache.Options{MaxEntries: n})
				if err != nil {
					b.Fatal(err)
				}
				before := heapInUse()
				b.StartTimer()
				for _, o := range opts {
					if _, err := c.GetToken(ctx, o); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				perKey = append(perKey, float64(int64(heapInUse())-int64(before))/float64(n))
				c.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/insert")
			b.ReportMetric(slices.Max(perKey), "B/key")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// heapInUse returns the live heap after two collections.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
