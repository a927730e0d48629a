package credential

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/claims"
)

const armScope = "https://management.azure.com/.default"

// canaries are the emulator's secret values: none may appear in any error,
// log line or report.
var canaries = []string{entratest.DefaultClientSecret, entratest.ExpiredClientSecret, entratest.DefaultPassword,
	entratest.ActionsRequestToken, entratest.SystemAccessToken, entratest.IdentityHeader}

func assertNoCanary(t *testing.T, what, s string) {
	t.Helper()
	for _, c := range canaries {
		if strings.Contains(s, c) {
			t.Errorf("%s contains the secret %q:\n%s", what, c, s)
		}
	}
}

// newFor builds a credential for one of the emulator's scenarios, reading
// the scenario's environment through Options.Env.
// isPasswordGrant matches the password (ROPC) grants in the emulator's log.
func isPasswordGrant(r entratest.Request) bool { return r.GrantType == "password" }

func newFor(t *testing.T, srv *entratest.Server, scenario string, log *bytes.Buffer) (*Credential, error) {
	t.Helper()
	env, err := srv.Scenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	o := &Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()}
	if log != nil {
		o.Logger = slog.New(slog.NewTextHandler(log, nil))
	}
	c, err := New(o)
	if c != nil {
		t.Cleanup(c.Close)
	}
	return c, err
}

func TestNewAndGetTokenPerKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scenario string
		kind     detect.Kind
		endpoint entratest.Endpoint // a request the token must have cost, besides the token endpoint
	}{
		{"service-principal-secret", detect.ServicePrincipalSecret, ""},
		{"service-principal-certificate", detect.ServicePrincipalCertificate, ""},
		{"workload-identity", detect.WorkloadIdentity, ""},
		{"github-actions-oidc", detect.GitHubActionsOIDC, entratest.GitHubOIDC},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			srv := entratest.Start(t, nil)
			var log bytes.Buffer
			c, err := newFor(t, srv, tt.scenario, &log)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if got := c.Selection().Kind; got != tt.kind {
				t.Fatalf("kind = %s, want %s", got, tt.kind)
			}
			tok, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}})
			if err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			cl, err := claims.Parse(tok.Token)
			if err != nil {
				t.Fatal(err)
			}
			if cl.IdentityType != "app" || cl.TenantID != entratest.DefaultTenantID || cl.AppID != entratest.DefaultClientID {
				t.Errorf("token claims = idtyp %q tid %q appid %q; want an app token of the default app", cl.IdentityType, cl.TenantID, cl.AppID)
			}
			// A second call is served from the cache.
			if _, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != nil {
				t.Fatal(err)
			}
			if n := srv.EndpointRequests(entratest.TokenEndpoint); n != 1 {
				t.Errorf("token requests = %d, want 1", n)
			}
			if tt.endpoint != "" && srv.EndpointRequests(tt.endpoint) != 1 {
				t.Errorf("%s requests = %d, want 1", tt.endpoint, srv.EndpointRequests(tt.endpoint))
			}
			if !strings.Contains(log.String(), string(tt.kind)) {
				t.Errorf("the selection was not logged: %q", log.String())
			}
			assertNoCanary(t, "log", log.String())
			assertNoCanary(t, "String", c.String())
		})
	}
}

func TestRefusedAndDiagnosed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scenario string
		newErr   autherrors.Code // New fails with this code
		tokenErr autherrors.Code // or GetToken does
		aadsts   string
	}{
		{scenario: "ropc-mfa", newErr: autherrors.ErrUserIdentityRefused},
		{scenario: "expired-secret", tokenErr: autherrors.ErrClientSecretExpired, aadsts: "AADSTS7000222"},
		{scenario: "federation-mismatch", tokenErr: autherrors.ErrFederatedIdentityMismatch, aadsts: "AADSTS700213"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			srv := entratest.Start(t, nil)
			var log bytes.Buffer
			c, err := newFor(t, srv, tt.scenario, &log)
			if tt.newErr != "" {
				if !errors.Is(err, tt.newErr) {
					t.Fatalf("New error = %v, want %s", err, tt.newErr)
				}
			} else {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				_, err = c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}})
				if !errors.Is(err, tt.tokenErr) {
					t.Fatalf("GetToken error = %v, want %s", err, tt.tokenErr)
				}
				var afe *azidentity.AuthenticationFailedError
				if !errors.As(err, &afe) {
					t.Errorf("GetToken error does not unwrap to *azidentity.AuthenticationFailedError: %#v", err)
				}
				var d *autherrors.Diagnostic
				if !errors.As(err, &d) || d.AADSTS != tt.aadsts || d.Remedy == "" {
					t.Errorf("diagnostic = %+v, want %s with a remedy", d, tt.aadsts)
				}
			}
			if n := srv.Count(isPasswordGrant); n != 0 {
				t.Errorf("password grants sent = %d, want 0", n)
			}
			assertNoCanary(t, "error", err.Error())
			assertNoCanary(t, "log", log.String())
		})
	}
}

func TestPasswordNextToSecretIsRefusedNotUsed(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	c, err := newFor(t, srv, "ropc-mfa-with-secret", nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	sel := c.Selection()
	if sel.Kind != detect.ServicePrincipalSecret {
		t.Fatalf("kind = %s, want the secret", sel.Kind)
	}
	refused := false
	for _, r := range sel.Refused {
		refused = refused || (r.Kind == "user-password" && r.Code == autherrors.ErrUserIdentityRefused)
	}
	if !refused {
		t.Errorf("the password is not listed as refused: %+v", sel.Refused)
	}
	if _, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count(isPasswordGrant); n != 0 {
		t.Errorf("password grants sent = %d, want 0", n)
	}
}

func TestStampedeMakesOneRequest(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	c, err := newFor(t, srv, "service-principal-secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for range 1000 {
		wg.Go(func() {
			if _, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{armScope}}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := srv.EndpointRequests(entratest.TokenEndpoint); n != 1 {
		t.Errorf("1,000 cold callers caused %d token requests, want 1", n)
	}
}

func TestDeadlineIsHonoured(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	c, err := newFor(t, srv, "service-principal-secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Inject(entratest.Fault{Endpoint: entratest.TokenEndpoint, Hang: true}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{armScope}})
	if !errors.Is(err, autherrors.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("GetToken error = %v, want timeout wrapping context.DeadlineExceeded", err)
	}
	srv.ClearFaults()
}

func TestOptionsConflicts(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	env := srv.ServicePrincipalSecretEnv()
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"authority host disagrees", Options{Env: detect.MapEnv(env), ClientOptions: func() (co azcore.ClientOptions) {
			co = srv.ClientOptions()
			co.Cloud.ActiveDirectoryAuthorityHost = "https://login.microsoftonline.us/"
			return
		}()}, "AZURE_AUTHORITY_HOST"},
		{"tenant with a newline", Options{Env: detect.MapEnv(env), TenantID: entratest.DefaultTenantID + "\n"}, "Options.TenantID"},
		{"kind user-password", Options{Env: detect.MapEnv(env), Kind: "user-password"}, "Options.Kind"},
		{"kind custom", Options{Env: detect.MapEnv(env), Kind: "custom"}, "Options.Kind"},
		{"forced kind not configured", Options{Env: detect.MapEnv(env), Kind: detect.WorkloadIdentity}, "AZURE_FEDERATED_TOKEN_FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(&tt.o)
			var d *autherrors.Diagnostic
			if !errors.As(err, &d) {
				t.Fatalf("New error = %v, want a diagnostic", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %s", err, tt.want)
			}
			assertNoCanary(t, "error", err.Error())
		})
	}
}
