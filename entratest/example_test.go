//lint:file-ignore SA1019 ROPC (UsernamePasswordCredential) is deprecated; the emulator must still answer it exactly like Entra.

package entratest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/autoidentity/autoidentity/entratest"
)

// Authenticate azidentity's ClientSecretCredential against the emulator.
func ExampleNewServer() {
	srv, err := entratest.NewServer(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	cred, err := azidentity.NewClientSecretCredential(entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
	fmt.Println("token:", err == nil, "token requests:", srv.EndpointRequests(entratest.TokenEndpoint))
	// Output: token: true token requests: 1
}

// exampleT stands in for the *testing.T a test passes to [entratest.Start]
// and [entratest.GuardTransport]: it prints failures and runs the cleanups
// when done.
type exampleT struct{ cleanups []func() }

func (*exampleT) Helper()                           {}
func (t *exampleT) Cleanup(f func())                { t.cleanups = append(t.cleanups, f) }
func (*exampleT) Errorf(format string, args ...any) { fmt.Printf("FAIL: "+format+"\n", args...) }
func (*exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *exampleT) done() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// In a test, Start takes t: it fails the test if the emulator cannot start
// or a client of the emulator tries to leave the machine, and closes the
// emulator when the test ends.
func ExampleStart() {
	t := &exampleT{} // in a test: t *testing.T
	defer t.done()
	srv := entratest.Start(t, nil)
	cred, _ := azidentity.NewClientSecretCredential(entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
	_, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
	fmt.Println("token:", err == nil)
	_, err = srv.Client().Get("https://login.microsoftonline.com/common/discovery/instance")
	fmt.Println("refused:", err != nil)
	// Output:
	// token: true
	// FAIL: entratest: test tried to reach non-loopback destination "login.microsoftonline.com:443"
	// refused: true
}

// Count answers any question about the request log; here: did a password
// grant, which fails for an MFA user exactly as in Entra, reach the emulator?
func ExampleServer_Count() {
	srv, err := entratest.NewServer(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	cred, _ := azidentity.NewUsernamePasswordCredential(entratest.DefaultTenantID, entratest.DefaultClientID,
		entratest.MFAUsername, entratest.DefaultPassword,
		&azidentity.UsernamePasswordCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
	var afe *azidentity.AuthenticationFailedError
	passwordGrants := srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" })
	fmt.Println(errors.As(err, &afe), afe.RawResponse.StatusCode, passwordGrants)
	// Output: true 400 1
}

// Guard any other transport a test uses: a request for a non-loopback host
// fails the test and is refused before anything is dialed.
func ExampleGuardTransport() {
	t := &exampleT{} // in a test: t *testing.T
	defer t.done()
	client := &http.Client{Transport: entratest.GuardTransport(t, nil)}
	_, err := client.Get("https://login.microsoftonline.com/common/oauth2/v2.0/token")
	var nle *entratest.NonLoopbackError
	fmt.Println(errors.As(err, &nle))
	// Output:
	// FAIL: entratest: test tried to reach non-loopback destination "login.microsoftonline.com"
	// true
}

func ExampleNewCertificate() {
	cert, err := entratest.NewCertificate("my-app")
	if err != nil {
		fmt.Println(err)
		return
	}
	certs, key, err := azidentity.ParseCertificates(cert.PEM, nil)
	fmt.Println(certs[0].Subject.CommonName, key != nil, err, len(cert.Thumbprint()))
	// Output: my-app true <nil> 40
}

func ExampleScenarios() {
	for _, sc := range entratest.Scenarios()[:3] {
		fmt.Println(sc.Name)
	}
	// Output:
	// azure-pipelines-oidc
	// expired-secret
	// federation-mismatch
}

func ExampleServer_Scenario() {
	srv, err := entratest.NewServer(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	env, err := srv.Scenario("managed-identity-app-service")
	fmt.Println(err, env["IDENTITY_HEADER"] == entratest.IdentityHeader, env["IDENTITY_ENDPOINT"] != "")
	// Output: <nil> true true
}

func ExampleServer_Inject() {
	srv, err := entratest.NewServer(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	_ = srv.Inject(entratest.Fault{Endpoint: entratest.TokenEndpoint, Code: entratest.CodeConditionalAccessBlocked, Times: 1})
	cred, _ := azidentity.NewClientSecretCredential(entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
	scope := policy.TokenRequestOptions{Scopes: []string{"https://vault.azure.net/.default"}}
	_, err1 := cred.GetToken(context.Background(), scope)
	_, err2 := cred.GetToken(context.Background(), scope)
	fmt.Println(err1 != nil, err2 == nil)
	// Output: true true
}

// A resource of its own for each run of a test, registered with the server:
// MSAL's process-wide managed identity cache cannot serve it a token an
// earlier test (or an earlier run of the same test, under -count) fetched.
func ExampleUniqueResource() {
	r1 := entratest.UniqueResource("TestCache/app service")
	r2 := entratest.UniqueResource("TestCache/app service")
	fmt.Println(strings.HasPrefix(r1, "https://testcache-app-service-"), strings.HasSuffix(r1, ".entratest.example"), r1 != r2)

	srv, err := entratest.NewServer(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	srv.AddResource(r1)
	cred, _ := azidentity.NewClientSecretCredential(entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
	_, err1 := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{r1 + "/.default"}})
	_, err2 := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{r2 + "/.default"}})
	fmt.Println(err1 == nil, strings.Contains(fmt.Sprint(err2), fmt.Sprintf("AADSTS%d", entratest.CodeResourceNotFound)))
	// Output:
	// true true true
	// true true
}

// Create a resource group in the emulated Resource Manager through an azcore
// pipeline, as any Azure SDK client does: an app may write, a user who
// signed in with a password may not (mandatory MFA phase 2).
func ExampleServer_ARMEndpoint() {
	t := &exampleT{} // in a test: t *testing.T
	defer t.done()
	srv := entratest.Start(t, nil)
	opts := srv.ClientOptions()
	put := func(cred azcore.TokenCredential) {
		pl := runtime.NewPipeline("example", "v0.0.0", runtime.PipelineOptions{
			PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{"https://management.azure.com/.default"}, nil)},
		}, &opts)
		req, _ := runtime.NewRequest(context.Background(), http.MethodPut,
			srv.ARMEndpoint()+"/subscriptions/7e570000-0000-4000-8000-0000000000ff/resourcegroups/demo?api-version=2021-04-01")
		_ = req.SetBody(streaming.NopCloser(strings.NewReader(`{"location":"eastus"}`)), "application/json")
		resp, err := pl.Do(req)
		if err != nil {
			fmt.Println("refused:", strings.Contains(err.Error(), "AADSTS50076"))
			return
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	app, _ := azidentity.NewClientSecretCredential(entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true})
	put(app)
	user, _ := azidentity.NewUsernamePasswordCredential(entratest.DefaultTenantID, entratest.AzureCLIClientID, entratest.DefaultUsername,
		entratest.DefaultPassword, &azidentity.UsernamePasswordCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true})
	put(user)
	// Output:
	// 201 Created
	// refused: true
}
