package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/entratest"
)

// identity is one of the first-token scenarios: the emulator scenario that
// sets the environment, the plain azidentity credential for it, and whether
// tokens come from a managed identity endpoint (MSAL caches those
// process-wide, so every iteration asks for a resource of its own).
type identity struct {
	name, scenario string
	plain          impl
	managed        bool
}

// resources numbers the managed identity resources across the whole
// process: MSAL's managed identity cache outlives servers and credentials,
// and the framework reruns each benchmark function (b.N ramp-up, -count).
var resources atomic.Int64

var identities = []identity{
	{name: "sp-secret", scenario: "service-principal-secret", plain: spImpls()[2]},
	{name: "workload-identity", scenario: "workload-identity", plain: impl{"WorkloadIdentityCredential",
		func(env map[string]string, co azcore.ClientOptions) (azcore.TokenCredential, func(), error) {
			c, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
				ClientOptions: co, DisableInstanceDiscovery: true,
				ClientID: env["AZURE_CLIENT_ID"], TenantID: env["AZURE_TENANT_ID"], TokenFilePath: env["AZURE_FEDERATED_TOKEN_FILE"]})
			return c, func() {}, err
		}}},
	{name: "app-service-mi", scenario: "managed-identity-app-service", managed: true, plain: impl{"ManagedIdentityCredential",
		func(_ map[string]string, co azcore.ClientOptions) (azcore.TokenCredential, func(), error) {
			c, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ClientOptions: co})
			return c, func() {}, err
		}}},
}

// BenchmarkFirstToken measures a starting program: from the environment to
// its first token, on a transport with no pooled connection. ns/op is that
// latency; requests/op counts every request that reached the emulator
// (discovery, OIDC, managed identity and token endpoints).
func BenchmarkFirstToken(b *testing.B) {
	for _, id := range identities {
		impls := spImpls()
		impls[2] = id.plain
		for _, im := range impls {
			b.Run("id="+id.name+"/impl="+im.name, func(b *testing.B) {
				srv := startServer(b, nil)
				env := scenarioEnv(b, srv, id.scenario)
				setProcessEnv(b, env)
				ctx := context.Background()
				var tokenRequests int
				n := 0 // ops in this invocation
				for b.Loop() {
					b.StopTimer()
					opts := armOpts
					if id.managed {
						resource := fmt.Sprintf("https://first-token-%d.entratest.example", resources.Add(1))
						srv.AddResource(resource)
						opts = policy.TokenRequestOptions{Scopes: []string{resource + "/.default"}}
					}
					n++
					co, drop := coldOptions(srv)
					before := srv.EndpointRequests(entratest.TokenEndpoint) + srv.EndpointRequests(entratest.AppService)
					b.StartTimer()
					c, closeFn, err := im.new(env, co)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := c.GetToken(ctx, opts); err != nil {
						b.Fatalf("%s GetToken: %v", im.name, err)
					}
					b.StopTimer()
					tokenRequests += srv.EndpointRequests(entratest.TokenEndpoint) + srv.EndpointRequests(entratest.AppService) - before
					closeFn()
					drop()
					b.StartTimer()
				}
				b.ReportMetric(float64(wireRequests(srv))/float64(n), "requests/op")
				b.ReportMetric(float64(tokenRequests)/float64(n), "token-requests/op")
			})
		}
	}
}
