package bench

import (
	"context"
	"flag"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
)

var longRun = flag.Bool("bench.long", false, "run the long scenarios at full size (10 s refresh boundary, 1,000 cached scopes); also AUTOIDENTITY_BENCH_LONG=1")

// long reports whether the scenarios run at the sizes BENCHMARKS.md reports.
// By default they are shortened so that `-benchtime 1x` (CI) stays fast.
func long() bool { return *longRun || os.Getenv("AUTOIDENTITY_BENCH_LONG") != "" }

// Implementation names: the impl= level of every benchmark.
const (
	implAuto = "autoidentity"
	implDAC  = "DefaultAzureCredential"
)

const armScope = "https://management.azure.com/.default"

var armOpts = policy.TokenRequestOptions{Scopes: []string{armScope}}

// azureVars are the variables azidentity and MSAL read from the process
// environment. setProcessEnv unsets them all before setting a scenario's, so
// a variable of the machine running the benchmarks cannot change the
// outcome.
var azureVars = []string{
	"AZURE_ADDITIONALLY_ALLOWED_TENANTS", "AZURE_AUTHORITY_HOST", "AZURE_CLIENT_CERTIFICATE_PASSWORD",
	"AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
	"AZURE_FEDERATED_TOKEN_FILE", "AZURE_PASSWORD", "AZURE_REGIONAL_AUTHORITY_NAME", "AZURE_TENANT_ID",
	"AZURE_TOKEN_CREDENTIALS", "AZURE_USERNAME", "AZURESUBSCRIPTION_CLIENT_ID", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
	"AZURESUBSCRIPTION_TENANT_ID", "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT",
	"IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET", "SYSTEM_ACCESSTOKEN", "SYSTEM_OIDCREQUESTURI",
	"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "DEFAULT_IDENTITY_CLIENT_ID",
}

// setProcessEnv makes the process environment exactly env as far as
// azidentity can tell, restored when tb ends. Benchmarks that call it must
// not be parallel.
func setProcessEnv(tb testing.TB, env map[string]string) {
	tb.Helper()
	for _, k := range azureVars {
		tb.Setenv(k, "") // records the old value for restoring
		if err := os.Unsetenv(k); err != nil {
			tb.Fatal(err)
		}
	}
	for k, v := range env {
		tb.Setenv(k, v)
	}
}

// startServer starts an emulator for tb; every loopback violation fails tb.
func startServer(tb testing.TB, opts *entratest.Options) *entratest.Server {
	tb.Helper()
	return entratest.Start(tb, opts)
}

// scenarioEnv returns the environment of one of the emulator's scenarios.
func scenarioEnv(tb testing.TB, srv *entratest.Server, name string) map[string]string {
	tb.Helper()
	env, err := srv.Scenario(name)
	if err != nil {
		tb.Fatal(err)
	}
	return env
}

// coldOptions are srv's client options over a transport with no pooled
// connection, so a first token pays the TCP and TLS handshakes a starting
// program pays. Call the returned func to drop its idle connections.
func coldOptions(srv *entratest.Server) (azcore.ClientOptions, func()) {
	co := srv.ClientOptions()
	t := srv.Client().Transport.(*http.Transport).Clone()
	co.Transport = &http.Client{Transport: t}
	return co, t.CloseIdleConnections
}

// newAuto builds autoidentity's credential for env. The managed identity
// kinds also need env in the process environment (setProcessEnv).
func newAuto(env map[string]string, co azcore.ClientOptions) (*credential.Credential, error) {
	return credential.New(&credential.Options{Env: detect.MapEnv(env), ClientOptions: co})
}

// newDAC builds DefaultAzureCredential, which reads the process environment.
func newDAC(co azcore.ClientOptions) (*azidentity.DefaultAzureCredential, error) {
	return azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: true})
}

// newClientSecret builds the plain credential for the service principal
// scenario from the same values the environment holds.
func newClientSecret(env map[string]string, co azcore.ClientOptions) (*azidentity.ClientSecretCredential, error) {
	return azidentity.NewClientSecretCredential(env["AZURE_TENANT_ID"], env["AZURE_CLIENT_ID"], env["AZURE_CLIENT_SECRET"],
		&azidentity.ClientSecretCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: true})
}

// spImpls are the three implementations for the service principal (client
// secret) scenario. Each returns a credential and its Close (a no-op for
// azidentity). DefaultAzureCredential needs setProcessEnv(env) first.
func spImpls() []impl {
	return []impl{
		{implAuto, func(env map[string]string, co azcore.ClientOptions) (azcore.TokenCredential, func(), error) {
			c, err := newAuto(env, co)
			if err != nil {
				return nil, nil, err
			}
			return c, c.Close, nil
		}},
		{implDAC, func(_ map[string]string, co azcore.ClientOptions) (azcore.TokenCredential, func(), error) {
			c, err := newDAC(co)
			return c, func() {}, err
		}},
		{"ClientSecretCredential", func(env map[string]string, co azcore.ClientOptions) (azcore.TokenCredential, func(), error) {
			c, err := newClientSecret(env, co)
			return c, func() {}, err
		}},
	}
}

// getToken is azcore.TokenCredential.GetToken.
type getToken func(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error)

// impl is one implementation under comparison.
type impl struct {
	name string
	new  func(env map[string]string, co azcore.ClientOptions) (azcore.TokenCredential, func(), error)
}

// mustNew builds im's credential or fails tb, and closes it when tb ends.
func (im impl) mustNew(tb testing.TB, env map[string]string, co azcore.ClientOptions) azcore.TokenCredential {
	tb.Helper()
	c, closeFn, err := im.new(env, co)
	if err != nil {
		tb.Fatalf("%s: %v", im.name, err)
	}
	tb.Cleanup(closeFn)
	return c
}

// wireRequests counts what reached the emulator (its log leaves out the
// admin API).
func wireRequests(srv *entratest.Server) int { return len(srv.Requests()) }

// percentile returns the p-th percentile (0 < p <= 1) of sorted waits.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// median returns the median of xs (which it sorts).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	return xs[len(xs)/2]
}
