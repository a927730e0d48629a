package tokencache

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

func TestNewValidates(t *testing.T) {
	t.Parallel()
	up := issue(newClock(), time.Hour)
	tests := []struct {
		name     string
		upstream azcore.TokenCredential
		opts     *Options
		want     string // substring of the error; "" means success
	}{
		{"nil options", up, nil, ""},
		{"zero options", up, &Options{}, ""},
		{"nil upstream", nil, nil, "upstream credential is nil"},
		{"negative timeout", up, &Options{FetchTimeout: -1}, "Options.FetchTimeout is negative"},
		{"negative window", up, &Options{RefreshWindow: -time.Second}, "Options.RefreshWindow is negative"},
		{"negative permanent retry", up, &Options{PermanentRetry: -time.Second}, "Options.PermanentRetry is negative"},
		{"negative max entries", up, &Options{MaxEntries: -1}, "Options.MaxEntries is negative"},
		{"jitter above one", up, &Options{Jitter: 1.5}, "Options.Jitter is 1.5"},
		{"retry bounds crossed", up, &Options{RetryMin: time.Minute, RetryMax: time.Second}, "Options.RetryMin (1m0s) is greater than Options.RetryMax (1s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.upstream, tt.opts)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				c.Close()
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestNewCopiesOptionsAndAppliesDefaults(t *testing.T) {
	t.Parallel()
	opts := &Options{RetryMin: 5 * time.Second}
	c, err := New(issue(newClock(), time.Hour), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	opts.RetryMin = time.Hour
	got := c.opts
	if got.RetryMin != 5*time.Second || got.RetryMax != DefaultRetryMax || got.FetchTimeout != DefaultFetchTimeout ||
		got.RefreshWindow != DefaultRefreshWindow || got.Jitter != DefaultJitter ||
		got.MaxEntries != DefaultMaxEntries || got.PermanentRetry != DefaultPermanentRetry {
		t.Fatalf("options = %+v, want RetryMin 5s and defaults elsewhere", got)
	}
}

func TestColdStampedeMakesOneRequest(t *testing.T) {
	t.Parallel()
	clk := newClock()
	inner := issue(clk, time.Hour)
	up := &counter{fn: func(ctx context.Context, n int64, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
		time.Sleep(20 * time.Millisecond) // keep the window for duplicate requests wide open
		return inner.fn(ctx, n, o)
	}}
	c := newTest(t, up, clk, Options{})

	const callers = 1000
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			<-start
			tok, err := c.GetToken(context.Background(), scopeA)
			if err == nil && tok.Token != "token-1" {
				err = errors.New("got " + tok.Token + ", want token-1")
			}
			if err != nil {
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	wantCalls(t, up, 1)
}

func TestKeysDoNotShareTokens(t *testing.T) {
	t.Parallel()
	req := func(tenant string, cae bool, scopes ...string) policy.TokenRequestOptions {
		return policy.TokenRequestOptions{Scopes: scopes, TenantID: tenant, EnableCAE: cae}
	}
	tests := []struct {
		name  string
		a, b  policy.TokenRequestOptions
		share bool
	}{
		{"same request", req("t1", false, "s1"), req("t1", false, "s1"), true},
		{"scopes reordered", req("", false, "s1", "s2"), req("", false, "s2", "s1"), true},
		{"different scope", req("", false, "s1"), req("", false, "s2"), false},
		{"extra scope", req("", false, "s1"), req("", false, "s1", "s2"), false},
		{"duplicate scope", req("", false, "s1", "s1"), req("", false, "s1"), false},
		{"same multiset size, different members", req("", false, "s1", "s1", "s2"), req("", false, "s1", "s2", "s2"), false},
		{"scopes joined differently", req("", false, "a b"), req("", false, "a", "b"), false},
		{"different tenant", req("t1", false, "s1"), req("t2", false, "s1"), false},
		{"default tenant", req("", false, "s1"), req("t1", false, "s1"), false},
		{"CAE", req("", true, "s1"), req("", false, "s1"), false},
		{"no scopes", req("", false), req("", false, ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			up := issue(clk, time.Hour)
			c := newTest(t, up, clk, Options{})
			a, b := get(t, c, tt.a), get(t, c, tt.b)
			if again := get(t, c, tt.a); again != a {
				t.Fatalf("first request again got %s, want cached %s", again, a)
			}
			if tt.share {
				if a != b {
					t.Fatalf("tokens %s and %s differ, want shared", a, b)
				}
				wantCalls(t, up, 1)
				return
			}
			if a == b {
				t.Fatalf("both requests got %s, want separate tokens", a)
			}
			wantCalls(t, up, 2)
		})
	}
}

func TestCallerMutatingScopesDoesNotCorruptKey(t *testing.T) {
	t.Parallel()
	clk := newClock()
	up := issue(clk, time.Hour)
	c := newTest(t, up, clk, Options{})
	scopes := []string{"s1"}
	get(t, c, policy.TokenRequestOptions{Scopes: scopes})
	scopes[0] = "s2"
	if got := get(t, c, policy.TokenRequestOptions{Scopes: []string{"s2"}}); got != "token-2" {
		t.Fatalf("s2 got %s, want a token of its own", got)
	}
	if got := get(t, c, policy.TokenRequestOptions{Scopes: []string{"s1"}}); got != "token-1" {
		t.Fatalf("s1 got %s, want token-1", got)
	}
}

func TestClaimsBypassCacheAndReplaceEntry(t *testing.T) {
	t.Parallel()
	clk := newClock()
	fail := false
	var mu sync.Mutex
	up := &counter{fn: func(_ context.Context, n int64, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return azcore.AccessToken{}, errors.New("challenge failed")
		}
		tok := "token-" + string(rune('0'+n))
		if o.Claims != "" {
			tok += "+claims"
		}
		return azcore.AccessToken{Token: tok, ExpiresOn: clk.now().Add(time.Hour)}, nil
	}}
	c := newTest(t, up, clk, Options{})
	if got := get(t, c, scopeA); got != "token-1" {
		t.Fatalf("got %s", got)
	}
	challenge := scopeA
	challenge.Claims = `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`
	if got := get(t, c, challenge); got != "token-2+claims" {
		t.Fatalf("claims request got %s, want a fresh token-2+claims", got)
	}
	if got := get(t, c, scopeA); got != "token-2+claims" {
		t.Fatalf("after the challenge got %s, want the challenge's token", got)
	}
	wantCalls(t, up, 2)

	mu.Lock()
	fail = true
	mu.Unlock()
	if _, err := c.GetToken(context.Background(), challenge); err == nil {
		t.Fatal("failed challenge returned no error")
	}
	if got := get(t, c, scopeA); got != "token-2+claims" {
		t.Fatalf("after a failed challenge got %s, want the cached token kept", got)
	}
}

func TestExpiredTokenFromUpstreamIsReturnedToNobody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		expires func(now time.Time) time.Time
		want    string
	}{
		{"expired a minute ago", func(now time.Time) time.Time { return now.Add(-time.Minute) }, "expired at 2025-01-01T11:59:00Z, 1m0s ago"},
		{"expires now", func(now time.Time) time.Time { return now }, "expired at 2025-01-01T12:00:00Z"},
		{"no expiry", func(time.Time) time.Time { return time.Time{} }, "ExpiresOn is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			up := &counter{fn: func(context.Context, int64, policy.TokenRequestOptions) (azcore.AccessToken, error) {
				return azcore.AccessToken{Token: "canary-secret-token", ExpiresOn: tt.expires(clk.now())}, nil
			}}
			c := newTest(t, up, clk, Options{})
			// The second call is answered from the failure memory (its
			// deadline is before the retry), the claims challenge bypasses it.
			for _, opts := range []policy.TokenRequestOptions{scopeA, scopeA, {Scopes: scopeA.Scopes, Claims: "c"}} {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				tok, err := c.GetToken(ctx, opts)
				cancel()
				if !errors.Is(err, ErrExpiredToken) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error = %v, want ErrExpiredToken saying %q", err, tt.want)
				}
				if tok.Token != "" || strings.Contains(err.Error(), "canary") {
					t.Fatalf("expired token leaked: %q / %v", tok.Token, err)
				}
			}
			wantCalls(t, up, 2)
		})
	}
}
