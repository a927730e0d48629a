package credential

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/internal/claims"
)

// federationAudience is the audience Entra requires of a federated token.
const federationAudience = "api://AzureADTokenExchange"

// githubAssertion fetches GitHub Actions OIDC tokens for a
// ClientAssertionCredential: azidentity has no GitHub credential. A token is
// reused until a minute before it expires and never past that.
type githubAssertion struct {
	requestURL string // ACTIONS_ID_TOKEN_REQUEST_URL
	bearer     string // ACTIONS_ID_TOKEN_REQUEST_TOKEN
	transport  policy.Transporter
	now        func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
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
		return "", err
	}
	c, err := claims.Parse(tok)
	if err != nil {
		return "", fmt.Errorf("GitHub Actions OIDC: the token from ACTIONS_ID_TOKEN_REQUEST_URL is not a JWT: %w", err)
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
	q.Set("audience", federationAudience)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("GitHub Actions OIDC: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+g.bearer)
	req.Header.Set("Accept", "application/json")
	res, err := g.transport.Do(req)
	if err != nil {
		return "", fmt.Errorf("GitHub Actions OIDC: requesting a token from ACTIONS_ID_TOKEN_REQUEST_URL: %w", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("GitHub Actions OIDC: reading the token response: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GitHub Actions OIDC: ACTIONS_ID_TOKEN_REQUEST_URL answered %s; check that the job has `permissions: id-token: write`", res.Status)
	}
	var r struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.Value == "" {
		return "", fmt.Errorf("GitHub Actions OIDC: the token response has no \"value\" field")
	}
	return r.Value, nil
}
