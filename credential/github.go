package credential

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/claims"
)

// githubAssertion fetches GitHub Actions OIDC tokens for a
// ClientAssertionCredential: azidentity has no GitHub credential. A token is
// reused until a minute before it expires and never past that.
type githubAssertion struct {
	requestURL string // ACTIONS_ID_TOKEN_REQUEST_URL
	bearer     string // ACTIONS_ID_TOKEN_REQUEST_TOKEN
	// pipeline sends the request with the credential's ClientOptions:
	// azcore's retry policy (GitHub's endpoint answers 5xx and 429 at
	// times, and its own toolkit retries) and its logging, which redacts
	// the Authorization header. build hands it the guarded options
	// (guardWire), so the wire check and the response cap apply here too.
	pipeline runtime.Pipeline
	now      func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

func newGitHubAssertion(requestURL, bearer string, co azcore.ClientOptions, now func() time.Time) *githubAssertion {
	if now == nil {
		now = time.Now
	}
	return &githubAssertion{requestURL: requestURL, bearer: bearer, now: now,
		pipeline: runtime.NewPipeline("autoidentity", version, runtime.PipelineOptions{}, &co)}
}

// assertion returns a GitHub OIDC token with audience api://AzureADTokenExchange.
func (g *githubAssertion) assertion(ctx context.Context) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.token != "" && g.now().Before(g.expires.Add(-time.Minute)) {
		return g.token, nil
	}
	tok, err := g.fetch(ctx)
	if err != nil {
		return "", recordCause(ctx, err)
	}
	c, err := claims.Parse(tok)
	if err != nil {
		return "", recordCause(ctx, autherrors.New(autherrors.ErrServiceUnavailable,
			"GitHub's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) answered with a token that is not a JWT", "", err))
	}
	g.token, g.expires = tok, c.Expiry
	return tok, nil
}

func (g *githubAssertion) fetch(ctx context.Context) (string, error) {
	u, err := url.Parse(g.requestURL)
	if err != nil {
		return "", fmt.Errorf("GitHub Actions OIDC: ACTIONS_ID_TOKEN_REQUEST_URL is not a URL: %w", err)
	}
	q := u.Query()
	q.Set("audience", autherrors.TokenExchangeAudience)
	u.RawQuery = q.Encode()
	req, err := runtime.NewRequest(ctx, http.MethodGet, u.String())
	if err != nil {
		return "", fmt.Errorf("GitHub Actions OIDC: %w", err)
	}
	req.Raw().Header.Set("Authorization", "Bearer "+g.bearer)
	req.Raw().Header.Set("Accept", "application/json")
	res, err := g.pipeline.Do(req)
	if err != nil {
		return "", fmt.Errorf("GitHub Actions OIDC: requesting a token from ACTIONS_ID_TOKEN_REQUEST_URL: %w", err)
	}
	body, err := runtime.Payload(res)
	if err != nil {
		return "", fmt.Errorf("GitHub Actions OIDC: reading the token response: %w", err)
	}
	switch {
	case res.StatusCode == http.StatusTooManyRequests:
		return "", autherrors.New(autherrors.ErrThrottled, "GitHub's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) answered "+res.Status+" after retries",
			"retry the job later; request tokens once per job rather than per call", nil)
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		return "", autherrors.New(autherrors.ErrInvalidConfiguration, "GitHub's OIDC token endpoint refused ACTIONS_ID_TOKEN_REQUEST_TOKEN ("+res.Status+")",
			"give the job `permissions: id-token: write`, and do not reuse the request token across jobs", nil)
	case res.StatusCode != http.StatusOK:
		return "", autherrors.New(autherrors.ErrServiceUnavailable, "GitHub's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) answered "+res.Status+" after retries", "", nil)
	}
	var r struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.Value == "" {
		return "", autherrors.New(autherrors.ErrServiceUnavailable, "GitHub's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) answered without a token (no \"value\" field in its JSON)", "", nil)
	}
	return r.Value, nil
}
