package credential

// Tests of the wire check with azidentity's credentials and credential.New
// against the emulator and hostile loopback endpoints.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// userRequests counts what the emulator received that only a person's
// sign-in sends: password grants, device code requests, and token requests
// with any grant but client_credentials.
func userRequests(srv *entratest.Server) int {
	return srv.Count(func(r entratest.Request) bool {
		return r.GrantType == "password" || strings.Contains(strings.ToLower(r.Path), "devicecode") ||
			(r.Endpoint == entratest.TokenEndpoint && r.GrantType != "client_credentials")
	})
}

// TestWireRefusesUserCredentials points azidentity's own user credentials at
// the emulator through guarded options: none gets a request out. Each has an
// unguarded control, which proves the log would show the traffic.
// InteractiveBrowserCredential is not built: it would open a browser.
func TestWireRefusesUserCredentials(t *testing.T) {
	t.Parallel()
	creds := []struct {
		name  string
		build func(co azcore.ClientOptions) (azcore.TokenCredential, error)
	}{
		{"UsernamePasswordCredential", func(co azcore.ClientOptions) (azcore.TokenCredential, error) {
			//lint:ignore SA1019 building it only to prove the wire refuses it
			o := &azidentity.UsernamePasswordCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: true}
			return azidentity.NewUsernamePasswordCredential(entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultUsername, entratest.DefaultPassword, o)
		}},
		{"DeviceCodeCredential", func(co azcore.ClientOptions) (azcore.TokenCredential, error) {
			return azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: true,
				TenantID: entratest.DefaultTenantID, ClientID: entratest.DefaultClientID,
				UserPrompt: func(context.Context, azidentity.DeviceCodeMessage) error { return errors.New("prompted a person") }})
		}},
		{"OnBehalfOfCredential", func(co azcore.ClientOptions) (azcore.TokenCredential, error) {
			return azidentity.NewOnBehalfOfCredentialWithSecret(entratest.DefaultTenantID, entratest.DefaultClientID, "eyJ0eXAiOiJKV1QifQ.eyJ1cG4iOiJ1c2VyIn0.sig",
				entratest.DefaultClientSecret, &azidentity.OnBehalfOfCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: true})
		}},
	}
	for _, c := range creds {
		for _, guarded := range []bool{true, false} {
			name := c.name
			if !guarded {
				name += "/unguarded control"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv := entratest.Start(t, nil)
				co := srv.ClientOptions()
				if guarded {
					co = guardWire(co)
				}
				cred, err := c.build(co)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				_, err = cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{armScope}})
				n := userRequests(srv)
				t.Logf("emulator log: %d requests, %d of them user traffic", len(srv.Requests()), n)
				if !guarded {
					if n == 0 {
						t.Fatal("the unguarded control sent no user traffic: the count proves nothing")
					}
					return
				}
				// azidentity keeps only the text of a transport error, so the
				// code is recovered the way credential.New recovers it.
				if err == nil || !errors.Is(autherrors.Classify(err), autherrors.ErrUserIdentityRefused) {
					t.Fatalf("GetToken error = %v, want %s", err, autherrors.ErrUserIdentityRefused)
				}
				if n != 0 || srv.Count(isPasswordGrant) != 0 {
					t.Errorf("the emulator received %d user requests (%d password grants), want 0: %+v", n, srv.Count(isPasswordGrant), srv.Requests())
				}
				assertNoCanary(t, "error", err.Error())
			})
		}
	}
}

// TestWireNewGuardsEveryKind builds each kind with credential.New under a
// caller policy that smuggles grant_type=password into every request: the
// wire check runs below caller policies, so nothing reaches the emulator.
// Without the smuggler the same credential gets its token.
func TestWireNewGuardsEveryKind(t *testing.T) {
	t.Parallel()
	smuggle := wirePolicyFunc(func(req *policy.Request) (*http.Response, error) {
		u := req.Raw().URL
		u.RawQuery += "&grant_type=password"
		return req.Next()
	})
	for _, scenario := range []string{"service-principal-secret", "service-principal-certificate", "workload-identity", "github-actions-oidc"} {
		for _, smuggled := range []bool{false, true} {
			name := scenario
			if smuggled {
				name += "/smuggled password grant"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv := entratest.Start(t, nil)
				env, err := srv.Scenario(scenario)
				if err != nil {
					t.Fatal(err)
				}
				co := srv.ClientOptions()
				if smuggled {
					co.PerRetryPolicies = []policy.Policy{smuggle}
				}
				c, err := New(&Options{Env: detect.MapEnv(env), ClientOptions: co})
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				t.Cleanup(c.Close)
				_, err = c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}})
				if !smuggled {
					if err != nil {
						t.Fatalf("GetToken: %v", err)
					}
					return
				}
				if !errors.Is(err, autherrors.ErrUserIdentityRefused) {
					t.Fatalf("GetToken error = %v, want %s", err, autherrors.ErrUserIdentityRefused)
				}
				if reqs := srv.Requests(); len(reqs) != 0 {
					t.Errorf("the emulator received %+v, want nothing", reqs)
				}
				assertNoCanary(t, "error", chainText(err))
			})
		}
	}
}

// chainText is the text of err and of every error it wraps.
func chainText(err error) string {
	var b strings.Builder
	for ; err != nil; err = errors.Unwrap(err) {
		b.WriteString(err.Error())
		b.WriteString("\n")
	}
	return b.String()
}

// uniqueScope registers and returns a scope no other run asks for: MSAL
// caches managed identity tokens process-wide, also across -count runs.
func uniqueScope(t *testing.T, srv *entratest.Server) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	resource := "https://wire-" + hex.EncodeToString(b) + ".entratest.example"
	if srv != nil {
		srv.AddResource(resource)
	}
	return resource + "/.default"
}

// TestWireManagedIdentityGetsToken: managed identities built by
// credential.New pass the wire check, Service Fabric included (it needs
// ClientOptions.Transport to stay a plain *http.Client, which is why the
// check is a policy and build leaves that transport uncapped). It sets
// process environment variables, so it is not parallel.
func TestWireManagedIdentityGetsToken(t *testing.T) {
	for _, tt := range []struct {
		endpoint entratest.Endpoint
		kind     detect.Kind // forced for IMDS, which no variable announces
	}{{entratest.AppService, ""}, {entratest.ServiceFabric, ""}, {entratest.IMDS, detect.ManagedIdentity}} {
		t.Run(string(tt.endpoint), func(t *testing.T) {
			srv := entratest.Start(t, nil)
			env, err := srv.ManagedIdentityEnv(tt.endpoint)
			if err != nil {
				t.Fatal(err)
			}
			c, err := New(&Options{Env: setProcessEnv(t, env), ClientOptions: srv.ClientOptions(), Kind: tt.kind})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer c.Close()
			if _, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{uniqueScope(t, srv)}}); err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			if n := srv.EndpointRequests(tt.endpoint); n != 1 {
				t.Errorf("%s requests = %d, want 1", tt.endpoint, n)
			}
		})
	}
}

// TestWireResponseCap: a hostile App Service endpoint answers 2 MiB of JSON
// holding a canary. GetToken fails naming the cap, and the canary appears
// nowhere in the error chain. Not parallel: it sets process environment
// variables.
func TestWireResponseCap(t *testing.T) {
	const canary = "wire-canary-in-the-response-body"
	for _, status := range []int{http.StatusOK, http.StatusBadRequest} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			body := `{"access_token":"` + canary + strings.Repeat("a", 2<<20) + `","expires_on":"1999999999","resource":"x","token_type":"Bearer"}`
			srv := newWireServer(t, func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = io.WriteString(w, body)
			})
			env := map[string]string{"IDENTITY_ENDPOINT": srv.URL + "/msi/token", "IDENTITY_HEADER": "wire-test-header"}
			c, err := New(&Options{Env: setProcessEnv(t, env), ClientOptions: loopbackOptions(t)})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer c.Close()
			_, err = c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{uniqueScope(t, nil)}})
			text := chainText(err)
			if err == nil || !strings.Contains(text, "MaxResponseBytes") || !strings.Contains(text, srv.Listener.Addr().String()) {
				t.Fatalf("GetToken error = %v\nchain:\n%s\nwant one naming the cap and the host", err, text)
			}
			if !errors.Is(err, autherrors.ErrServiceUnavailable) {
				t.Errorf("code: %v, want %s", err, autherrors.ErrServiceUnavailable)
			}
			if strings.Contains(text, canary) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), canary) {
				t.Errorf("the error quotes the response body:\n%s", text)
			}
			if got, _ := srv.requests(); len(got) != 1 {
				t.Errorf("requests = %v, want 1 (no retry of a response over the cap)", got)
			}
		})
	}
}
