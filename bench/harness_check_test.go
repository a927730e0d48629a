package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
)

// refusals is an entratest.TB that records the refusals a test makes on
// purpose instead of failing it.
type refusals struct {
	*testing.T
	msgs []string
}

func (r *refusals) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// TestIMDSTransportStaysOnLoopback checks the transport of the
// nothing-configured scenario: IMDS requests reach the silent loopback
// listener, and every other non-loopback destination is refused before
// anything is dialed.
func TestIMDSTransportStaysOnLoopback(t *testing.T) {
	t.Parallel()
	imds := newSilentListener(t)
	refused := &refusals{T: t} // this test makes refusals on purpose
	guarded := imdsTransport(refused, imds.Addr())
	for _, url := range []string{"https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
		"http://192.0.2.1/", "http://169.254.169.254:8080/", "https://169.254.169.254/", "http://[2001:db8::1]/"} {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		_, err := guarded.Do(req)
		if nle := (*entratest.NonLoopbackError)(nil); !errors.As(err, &nle) {
			t.Errorf("GET %s: %v, want a *entratest.NonLoopbackError", url, err)
		}
	}
	if len(refused.msgs) != 5 {
		t.Errorf("refused %q, want 5 hosts", refused.msgs)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://169.254.169.254/metadata/identity/oauth2/token", nil)
	if _, err := guarded.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("IMDS request: %v, want the deadline (the silent listener never answers)", err)
	}
	if imds.accepted.Load() != 1 {
		t.Errorf("silent listener accepted %d connections, want 1", imds.accepted.Load())
	}
}

// TestHistogram checks the refresh scenario's histogram against exact
// quantiles: within its 1/16 bucket width.
func TestHistogram(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	var h histogram
	xs := make([]time.Duration, 100000)
	for i := range xs {
		xs[i] = time.Duration(r.ExpFloat64() * float64(time.Microsecond))
		if i%100 == 0 {
			xs[i] *= 1000 // a slow tail
		}
		h.add(xs[i])
	}
	slices.Sort(xs)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		want, got := percentile(xs, q), h.quantile(q)
		if d := float64(got-want) / float64(want); d > 1.0/16 || d < -1.0/16 {
			t.Errorf("quantile(%v) = %v, exact %v", q, got, want)
		}
	}
	if h.max != xs[len(xs)-1] {
		t.Errorf("max = %v, want %v", h.max, xs[len(xs)-1])
	}
	for v := uint64(0); v < 1<<20; v += 7 {
		if i := bucket(v); lower(i) > v || lower(i+1) <= v {
			t.Fatalf("bucket(%d) = %d spans [%d, %d)", v, i, lower(i), lower(i+1))
		}
	}
}
