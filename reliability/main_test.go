package reliability

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	"github.com/autoidentity/autoidentity/internal/claims"
	"go.uber.org/goleak"
)

var (
	update   = flag.Bool("update", false, "rewrite the generated tables in RELIABILITY.md")
	soakFlag = flag.Duration("soak", 0, "run the concurrency soak this long (default 3s; also AUTOIDENTITY_SOAK)")
)

// TestMain fails the package if any test leaves a goroutine behind: the
// credentials' refreshes, the emulators and their connections must all end.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// Idle keep-alive connections of transports the tests no longer use
		// belong to net/http, not to autoidentity.
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}

// kind is one credential kind of the fault matrix and how to build it.
type kind struct {
	name     string             // the kind as detect spells it, plus the source for managed identity
	scenario string             // the entratest scenario that configures it
	endpoint entratest.Endpoint // the endpoint that issues its access token
	process  bool               // azidentity reads its variables from the process environment: not parallel
}

var kinds = []kind{
	{name: "service-principal-secret", scenario: "service-principal-secret", endpoint: entratest.TokenEndpoint},
	{name: "service-principal-certificate", scenario: "service-principal-certificate", endpoint: entratest.TokenEndpoint},
	{name: "workload-identity", scenario: "workload-identity", endpoint: entratest.TokenEndpoint},
	{name: "github-actions-oidc", scenario: "github-actions-oidc", endpoint: entratest.TokenEndpoint},
	{name: "azure-pipelines-oidc", scenario: "azure-pipelines-oidc", endpoint: entratest.TokenEndpoint, process: true},
	{name: "managed-identity/app-service", scenario: "managed-identity-app-service", endpoint: entratest.AppService, process: true},
}

// processVars are the variables azidentity reads with os.Getenv.
var processVars = []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET", "SYSTEM_OIDCREQUESTURI"}

// uniqueScope registers a resource only this run of this test asks for
// and returns its .default scope: MSAL caches managed identity tokens
// process-wide, keyed by identity and resource, so a shared resource would
// be served from another test's token, or from this test's previous run
// under go test -count=N, without a request.
func uniqueScope(t testing.TB, srvs ...*entratest.Server) string {
	r := entratest.UniqueResource(t.Name())
	for _, s := range srvs {
		s.AddResource(r)
	}
	return r + "/.default"
}

// envFor returns the scenario's environment; for kinds azidentity configures
// from the process environment it also sets those variables with t.Setenv.
func envFor(t *testing.T, srv *entratest.Server, k kind) map[string]string {
	t.Helper()
	env, err := srv.Scenario(k.scenario)
	if err != nil {
		t.Fatal(err)
	}
	if k.process {
		for _, v := range processVars {
			t.Setenv(v, env[v])
		}
	}
	return env
}

// newCredential builds the credential for kind k from the scenario's
// environment, closed at the end of the test.
func newCredential(t *testing.T, env map[string]string, co azcore.ClientOptions, mod func(*credential.Options)) *credential.Credential {
	t.Helper()
	o := &credential.Options{Env: detect.MapEnv(env), ClientOptions: co}
	if mod != nil {
		mod(o)
	}
	c, err := credential.New(o)
	if err != nil {
		t.Fatalf("credential.New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// checkToken fails t unless tok is an unexpired app token for scope's
// resource in tenant.
func checkToken(t testing.TB, tok azcore.AccessToken, scope, tenant string) {
	t.Helper()
	now := time.Now()
	if err := tokenProblem(tok, scope, tenant, now); err != "" {
		t.Error(err)
	}
	if c, err := claims.Parse(tok.Token); err == nil && c.Expired(now) {
		t.Errorf("token expired at %v (exp claim)", c.Expiry)
	}
}

// tokenProblem says what is wrong with tok for scope and tenant, or "".
// now is when the caller asked: the token's ExpiresOn, which is what the
// cache promises never to serve past, must be later. (Its exp claim can be
// earlier by the request's latency: F5, measured by the soak.)
func tokenProblem(tok azcore.AccessToken, scope, tenant string, now time.Time) string {
	c, err := claims.Parse(tok.Token)
	if err != nil {
		return "token does not decode: " + err.Error()
	}
	switch resource := strings.TrimSuffix(scope, "/.default"); {
	case len(c.Audience) != 1 || c.Audience[0] != resource:
		return "token audience " + strings.Join(c.Audience, ",") + ", want " + resource
	case c.TenantID != tenant:
		return "token tenant " + c.TenantID + ", want " + tenant
	case !now.Before(tok.ExpiresOn):
		return "token is expired (exp " + c.Expiry.String() + ", ExpiresOn " + tok.ExpiresOn.String() + ")"
	case c.IsUser():
		return "token is a user token"
	}
	return ""
}

func scopes(s string) policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: []string{s}}
}

// soakDuration is how long TestSoak runs: -soak, else AUTOIDENTITY_SOAK,
// else 3s.
func soakDuration(t *testing.T) time.Duration {
	if *soakFlag > 0 {
		return *soakFlag
	}
	if v := os.Getenv("AUTOIDENTITY_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("AUTOIDENTITY_SOAK=%q: %v", v, err)
		}
		return d
	}
	return 3 * time.Second
}
