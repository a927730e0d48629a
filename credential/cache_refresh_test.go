package credential

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
)

func entratestStart(t *testing.T) *entratest.Server { return entratest.Start(t, nil) }

func armRequest() policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: []string{armScope}}
}

func injectThrottle(srv *entratest.Server, after time.Duration) error {
	return srv.Inject(entratest.Fault{Endpoint: entratest.TokenEndpoint, Status: 429, RetryAfter: after})
}

// burstCredential has n callers call GetToken at once and returns their
// errors.
func burstCredential(c *Credential, n int) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = c.GetToken(context.Background(), armRequest()) })
	}
	wg.Wait()
	return errs
}

// syncBuffer is a bytes.Buffer safe for a logger and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRefreshFailureIsLoggedAndTokenKept: with tokens that live 4 s, a
// refresh that fails (the token endpoint answers 503) leaves the valid
// token in service and logs a warning through Options.Logger, without
// secrets.
func TestRefreshFailureIsLoggedAndTokenKept(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, &entratest.Options{TokenLifetime: 4 * time.Second})
	var log syncBuffer
	c, err := New(&Options{Env: detect.MapEnv(srv.ServicePrincipalSecretEnv()), ClientOptions: srv.ClientOptions(),
		Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	first, err := c.GetToken(context.Background(), armRequest())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Inject(entratest.Fault{Endpoint: entratest.TokenEndpoint, Status: 503}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(log.String(), "token refresh failed"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no warning logged in 10 s; log:\n%s", log.String())
		}
		tok, err := c.GetToken(context.Background(), armRequest())
		if err != nil || tok.Token != first.Token {
			t.Fatalf("before the refresh failed: GetToken = %v, want the first token", err)
		}
	}
	if tok, err := c.GetToken(context.Background(), armRequest()); err != nil || tok.Token != first.Token {
		t.Fatalf("after the refresh failed: GetToken = %v, want the first token, still valid", err)
	}
	out := log.String()
	for _, want := range []string{"level=WARN", "service-unavailable", "next_attempt=", "scopes=" + armScope} {
		if !strings.Contains(out, want) {
			t.Errorf("log does not contain %q:\n%s", want, out)
		}
	}
	assertNoCanary(t, "log", out)
}
