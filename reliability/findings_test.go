package reliability

// Tests of open findings (RELIABILITY.md, "Findings"). Each asserts the
// behaviour the issue asks for and fails until the library is fixed, so
// they run only with -findings; the fault matrix pins today's behaviour in
// its checked table meanwhile.

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// F1 (fixed): a request that hung kept the cache's detached fetch (and
// azidentity's per-client mutex) for the 30 s fetch timeout, after the
// caller gave up. Once the endpoint answers again, the credential must get
// a token at once.
func TestHangDoesNotBlockCredential(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	c := newCredential(t, srv.ServicePrincipalSecretEnv(), srv.ClientOptions(), nil)
	scope := uniqueScope(t, srv)
	if err := srv.Inject(entratest.Fault{Endpoint: entratest.TokenEndpoint, Hang: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), callerDeadline)
	_, err := c.GetToken(ctx, scopes(scope))
	cancel()
	if !errors.Is(err, autherrors.ErrTimeout) {
		t.Fatalf("GetToken = %v; want %s", err, autherrors.ErrTimeout)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := c.GetToken(ctx, scopes(scope)); err != nil {
		t.Errorf("after the hang, the endpoint answers but GetToken = %v", err)
	}
}

// F2 (fixed): the GitHub Actions OIDC request was sent once, without
// azcore's retry policy, so a single HTTP 500 or 429 from GitHub failed the
// token.
func TestGitHubOIDCRetried(t *testing.T) {
	t.Parallel()
	for _, f := range []entratest.Fault{{Status: 500, Times: 1}, {Status: 429, RetryAfter: 200 * time.Millisecond, Times: 1}} {
		srv := entratest.Start(t, nil)
		c := newCredential(t, srv.GitHubActionsEnv(), srv.ClientOptions(), nil)
		f.Endpoint = entratest.GitHubOIDC
		if err := srv.Inject(f); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetToken(context.Background(), scopes(uniqueScope(t, srv))); err != nil {
			t.Errorf("GitHub OIDC answered HTTP %d once: GetToken = %v; want it retried", f.Status, err)
		}
	}
}

// F3: failures the service caused are diagnosed as unknown: HTTP 5xx after
// the retries, a truncated or non-JSON token response, and a token expired
// on arrival.
func TestFindingServiceFailuresUnknown(t *testing.T) {
	needFindings(t)
	t.Parallel()
	for _, f := range []entratest.Fault{{Status: 503}, {Truncate: true}, {MalformedJSON: true}, {ExpiredToken: true}} {
		srv := entratest.Start(t, nil)
		c := newCredential(t, srv.ServicePrincipalSecretEnv(), srv.ClientOptions(), nil)
		f.Endpoint = entratest.TokenEndpoint
		if err := srv.Inject(f); err != nil {
			t.Fatal(err)
		}
		_, err := c.GetToken(context.Background(), scopes(uniqueScope(t, srv)))
		if err == nil || errors.Is(err, autherrors.ErrUnknown) {
			t.Errorf("fault %+v: GetToken = %v; want a specific code, not %s", f, err, autherrors.ErrUnknown)
		}
	}
}
