package reliability

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// TestSharedFailureNoRace has many callers share one failed request. The
// cache hands every waiter the same error; azidentity's
// *AuthenticationFailedError reads its response body lazily in Error(), so
// diagnosing it in each caller raced (found by the soak under -race). The
// credential now diagnoses it once, inside the shared request.
func TestSharedFailureNoRace(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	c := newCredential(t, srv.ServicePrincipalSecretEnv(), srv.ClientOptions(), nil)
	scope := uniqueScope(t, srv)
	if err := srv.Inject(entratest.Fault{Endpoint: entratest.TokenEndpoint, Code: entratest.CodeConditionalAccessBlocked}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() {
				_, err := c.GetToken(context.Background(), scopes(scope))
				if !errors.Is(err, autherrors.ErrConditionalAccessBlocked) {
					t.Errorf("GetToken = %v; want %s", err, autherrors.ErrConditionalAccessBlocked)
				}
			})
		}
		wg.Wait()
	}
}
