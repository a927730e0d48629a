package entratest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
)

func inject(t *testing.T, srv *entratest.Server, f entratest.Fault) {
	t.Helper()
	if err := srv.Inject(f); err != nil {
		t.Fatal(err)
	}
}

func imdsRequest(t *testing.T, srv *entratest.Server, ctx context.Context) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet,
		"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com", nil)
	req.Header.Set("Metadata", "true")
	return srv.Client().Do(req)
}

func TestTokenEndpointFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		fault    entratest.Fault
		wantCode int  // AADSTS code expected through azidentity
		wantOK   bool // azidentity still gets a token (after retrying)
		requests int  // token requests expected
	}{
		{"503 once is retried", entratest.Fault{Status: 503, RetryAfter: time.Millisecond, Times: 1}, 0, true, 2},
		{"conditional access", entratest.Fault{Code: entratest.CodeConditionalAccessBlocked}, entratest.CodeConditionalAccessBlocked, false, 1},
		{"latency", entratest.Fault{Latency: 20 * time.Millisecond}, 0, true, 1},
		{"truncated json", entratest.Fault{Truncate: true}, 0, false, 1},
		{"malformed json", entratest.Fault{MalformedJSON: true}, 0, false, 1},
		{"reset", entratest.Fault{Reset: true, Times: 1}, 0, true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := entratest.Start(t, nil)
			tc.fault.Endpoint = entratest.TokenEndpoint
			inject(t, srv, tc.fault)
			_, err := getToken(t, secretCred(t, srv, entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret), armScope)
			switch {
			case tc.wantOK && err != nil:
				t.Fatal(err)
			case tc.wantCode != 0:
				wantAADSTS(t, err, tc.wantCode)
			case !tc.wantOK && err == nil:
				t.Fatal("got a token through the fault")
			}
			if got := tokenRequests(srv); got != tc.requests {
				t.Errorf("%d token requests, want %d", got, tc.requests)
			}
		})
	}
}

func TestExpiredTokenFault(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	inject(t, srv, entratest.Fault{Endpoint: entratest.GitHubOIDC, ExpiredToken: true})
	req, _ := http.NewRequest(http.MethodGet, srv.GitHubActionsEnv()["ACTIONS_ID_TOKEN_REQUEST_URL"]+"&audience="+entratest.FederatedAudience, nil)
	req.Header.Set("Authorization", "Bearer "+entratest.ActionsRequestToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Value string }
	_ = json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()
	_, err = getToken(t, assertionCred(t, srv, entratest.DefaultClientID, func() (string, error) { return v.Value, nil }), armScope)
	wantAADSTS(t, err, entratest.CodeAssertionExpired)

	inject(t, srv, entratest.Fault{Endpoint: entratest.IMDS, ExpiredToken: true})
	resp, err = imdsRequest(t, srv, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var mi map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&mi)
	resp.Body.Close()
	if c := claims(t, mi["access_token"]); int64(c["exp"].(float64)) > time.Now().Unix() {
		t.Errorf("IMDS token not expired: %v", c["exp"])
	}
}

func TestIMDSThrottling(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	inject(t, srv, entratest.Fault{Endpoint: entratest.IMDS, Status: 429, RetryAfter: 2 * time.Second, Times: 1})
	resp, err := imdsRequest(t, srv, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Fatalf("got %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	resp, err = imdsRequest(t, srv, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"expires_on":"`) {
		t.Fatalf("after the fault: %d %s", resp.StatusCode, b)
	}
	if n := srv.Count(func(r entratest.Request) bool { return r.Fault }); n != 1 {
		t.Errorf("%d faulted requests logged, want 1", n)
	}
}

// TestHangEndsWithClientOrServer: a hang ends when the client gives up, and
// Close returns while a request still hangs.
func TestHangEndsWithClientOrServer(t *testing.T) {
	t.Parallel()
	srv, err := entratest.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	inject(t, srv, entratest.Fault{Endpoint: entratest.IMDS, Hang: true})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	_, err = imdsRequest(t, srv, ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	// The first hang ends once the server sees the client leave; wait for
	// that, so the count below is the second request's, not a leftover.
	for deadline := time.Now().Add(10 * time.Second); entratest.InFlight(srv) > 0; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first hang did not end when its client gave up")
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := imdsRequest(t, srv, context.Background())
		done <- err
	}()
	for entratest.InFlight(srv) < 1 {
		time.Sleep(2 * time.Millisecond)
	}
	srv.Close()
	if err := <-done; err == nil {
		t.Fatal("a hanging request got an answer")
	}
}
