package entratest_test

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/autoidentity/autoidentity/entratest"
)

type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	c.n.Add(1)
	return nil, errors.New("the base transport must not be reached")
}

func TestGuardTransportRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"https://login.microsoftonline.com/common/oauth2/v2.0/token",
		"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01",
		"https://management.azure.com/subscriptions",
		"http://127.0.0.1.nip.io:8080/", // resolves to loopback, but only via DNS
		"http://[2001:db8::1]/",
	} {
		t.Run(u, func(t *testing.T) {
			t.Parallel()
			base := &countingTransport{}
			refused := &refusals{T: t}
			guard := entratest.GuardTransport(refused, base)
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			_, err := guard.RoundTrip(req)
			var nle *entratest.NonLoopbackError
			if !errors.As(err, &nle) {
				t.Fatalf("got %v, want *NonLoopbackError", err)
			}
			if base.n.Load() != 0 {
				t.Fatal("the request reached the base transport")
			}
			if refused.count() != 1 || !refused.named(req.URL.Host) {
				t.Fatalf("violations reported: %q", refused.msgs)
			}
		})
	}
}

func TestGuardTransportAllowsLoopback(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	guard := entratest.GuardTransport(t, srv.Client().Transport)
	resp, err := (&http.Client{Transport: guard}).Get(srv.AuthorityHost() + entratest.DefaultTenantID + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// TestServerTransportRefusesAtDial: the emulator's own transport redirects
// only IMDS and refuses any other address in its dialer.
func TestServerTransportRefusesAtDial(t *testing.T) {
	t.Parallel()
	refused := &refusals{T: t}
	srv := entratest.Start(refused, nil)
	_, err := srv.Client().Get("https://login.microsoftonline.com/common/discovery/instance")
	var nle *entratest.NonLoopbackError
	if !errors.As(err, &nle) || nle.Host != "login.microsoftonline.com:443" {
		t.Fatalf("got %v", err)
	}
	// Without DisableInstanceDiscovery MSAL asks login.microsoftonline.com:
	// the guard stops it and the credential fails instead of leaving.
	cred, err := azidentity.NewClientSecretCredential(entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: srv.ClientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := getToken(t, cred, armScope); err == nil {
		t.Fatal("instance discovery against login.microsoftonline.com succeeded")
	}
	if !refused.named("login.microsoftonline.com:443", "login.microsoftonline.com:443") {
		t.Fatalf("violations reported: %q", refused.msgs)
	}
}
