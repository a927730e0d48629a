package credential

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// confirmIMDS sits below the inspector in front of the managed identity
// credential when detect selected IMDS on evidence alone
// (Result.Unconfirmed: the firmware of an Azure VM, or Options.ProbeIMDS),
// not on IMDS's answer or an assertion.
// New sends nothing; before the first token request, confirmIMDS asks
// IMDS once the way DefaultAzureCredential probes it — a request without
// the Metadata header, which IMDS answers at once with HTTP 400 — bounded
// by detect.DefaultProbeTimeout and the fetch's context. Any HTTP answer
// confirms IMDS for the credential's life, and azidentity then asks for
// the token with its own IMDS retry policy (410 while a VM starts, 429,
// 5xx) and reports "Identity not found" (managed-identity-not-found). No
// answer is managed-identity-unavailable, and the next GetToken asks again
// (the cache's transient backoff bounds how often).
type confirmIMDS struct {
	cred      azcore.TokenCredential
	pl        runtime.Pipeline
	timeout   time.Duration
	confirmed atomic.Bool
	sem       chan struct{} // one probe at a time; waiters honour their context
}

func newConfirmIMDS(cred azcore.TokenCredential, co azcore.ClientOptions) *confirmIMDS {
	co.Retry = policy.RetryOptions{MaxRetries: -1} // one try: silence is the answer
	pl := runtime.NewPipeline("autoidentity", version, runtime.PipelineOptions{}, &co)
	return &confirmIMDS{cred: cred, pl: pl, timeout: detect.DefaultProbeTimeout, sem: make(chan struct{}, 1)}
}

func (c *confirmIMDS) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if !c.confirmed.Load() {
		if err := c.confirm(ctx); err != nil {
			return azcore.AccessToken{}, err
		}
	}
	return c.cred.GetToken(ctx, opts)
}

// confirm probes IMDS unless another call confirmed it meanwhile.
func (c *confirmIMDS) confirm(ctx context.Context) error {
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	case <-ctx.Done():
		return ctx.Err()
	}
	if c.confirmed.Load() {
		return nil
	}
	pctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := runtime.NewRequest(pctx, http.MethodGet, detect.IMDSEndpoint+"?api-version=2018-02-01")
	if err != nil {
		return err
	}
	start := time.Now()
	resp, err := c.pl.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		_ = resp.Body.Close()
		c.confirmed.Store(true)
		return nil
	}
	if ctx.Err() != nil {
		// The fetch's own deadline or Close, not IMDS's silence. (Callers
		// wait only until their own deadlines; the cache detached this
		// request from them.)
		return ctx.Err()
	}
	why := "no answer within " + c.timeout.String()
	if !errors.Is(err, context.DeadlineExceeded) {
		why = "the request failed after " + time.Since(start).Round(time.Millisecond).String() + ": " + err.Error()
	}
	return autherrors.New(autherrors.ErrManagedIdentityUnavailable,
		"IMDS (169.254.169.254) did not answer ("+why+"): nothing else is configured and this looked like an Azure VM, but the Instance Metadata Service is not reachable from here",
		"", err)
}
