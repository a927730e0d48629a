package credential

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// wireCanaries are values the crafted requests carry; no error may quote one.
const (
	wireCanaryPassword = "wire-canary-password-7f3a"
	wireCanarySecret   = "wire-canary-secret-91bc"
	wireCanaryUser     = "wire-canary-user@entratest.example"
)

func TestWireGuardWireCopies(t *testing.T) {
	t.Parallel()
	caller := policy.Policy(countTries(new(atomic.Int32)))
	co := azcore.ClientOptions{PerRetryPolicies: make([]policy.Policy, 1, 8)}
	co.PerRetryPolicies[0] = caller
	g := guardWire(co)
	// Appending to the caller's slice must not write into g's, nor g into the caller's.
	_ = append(co.PerRetryPolicies, caller)
	if len(g.PerRetryPolicies) != 2 || g.PerRetryPolicies[0] == nil {
		t.Fatalf("guarded policies = %v", g.PerRetryPolicies)
	}
	if _, ok := g.PerRetryPolicies[1].(wirePolicy); !ok {
		t.Fatalf("last policy is %T, want wirePolicy", g.PerRetryPolicies[1])
	}
	if len(co.PerRetryPolicies) != 1 {
		t.Errorf("guardWire changed the caller's slice to %v", co.PerRetryPolicies)
	}
	// Idempotent, and the wire check stays last after a caller appends.
	g2 := guardWire(azcore.ClientOptions{PerRetryPolicies: append(g.PerRetryPolicies, caller)})
	n := 0
	for _, p := range g2.PerRetryPolicies {
		if _, ok := p.(wirePolicy); ok {
			n++
		}
	}
	if _, last := g2.PerRetryPolicies[len(g2.PerRetryPolicies)-1].(wirePolicy); n != 1 || !last || len(g2.PerRetryPolicies) != 3 {
		t.Errorf("guardWire twice: %d wire policies in %d, last wire %v", n, len(g2.PerRetryPolicies), last)
	}
}

func TestWireGuardWireTransport(t *testing.T) {
	t.Parallel()
	caller := &http.Client{}
	for _, tr := range []policy.Transporter{nil, caller} {
		g := guardWire(azcore.ClientOptions{Transport: tr})
		c, ok := g.Transport.(capTransport)
		if !ok || c.next != tr {
			t.Fatalf("guardWire(%T) transport = %#v, want the cap around it", tr, g.Transport)
		}
		if g2 := guardWire(g); g2.Transport != g.Transport {
			t.Errorf("guardWire twice wrapped the transport again: %#v", g2.Transport)
		}
		if u := uncapTransport(guardWire(g)); u.Transport != tr {
			t.Errorf("uncapTransport = %#v, want the caller's %#v back", u.Transport, tr)
		}
		if u := uncapTransport(azcore.ClientOptions{Transport: tr}); u.Transport != tr {
			t.Errorf("uncapTransport of an unwrapped transport = %#v, want it unchanged", u.Transport)
		}
	}
}

// closeCounter is a response body that counts its Close calls.
type closeCounter struct {
	io.Reader
	closes atomic.Int32
}

func (c *closeCounter) Close() error { c.closes.Add(1); return nil }

func TestWireCapBody(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1, MaxResponseBytes - 1, MaxResponseBytes, MaxResponseBytes + 1, 3 * MaxResponseBytes} {
		for _, reader := range []string{"ReadAll", "one byte", "big buffer"} {
			t.Run(fmt.Sprintf("%d bytes/%s", size, reader), func(t *testing.T) {
				t.Parallel()
				under := &closeCounter{Reader: io.LimitReader(zeros{}, int64(size))}
				b := &capBody{rc: under, host: "h.example", left: MaxResponseBytes}
				var got []byte
				var err error
				switch reader {
				case "ReadAll":
					got, err = io.ReadAll(b)
				case "one byte":
					got, err = io.ReadAll(iotest.OneByteReader(b))
				case "big buffer":
					buf := make([]byte, 4*MaxResponseBytes)
					var n int
					for err == nil {
						n, err = b.Read(buf[len(got):])
						got = buf[:len(got)+n]
					}
					if err == io.EOF {
						err = nil
					}
				}
				if size <= MaxResponseBytes {
					if err != nil || len(got) != size {
						t.Fatalf("read %d bytes, %v; want all %d", len(got), err, size)
					}
					if under.closes.Load() != 0 {
						t.Error("closed the body under the cap")
					}
					return
				}
				if !errors.Is(err, errTooLarge) || !errors.Is(err, autherrors.ErrServiceUnavailable) ||
					!strings.Contains(err.Error(), "the response from h.example is over 1048576 bytes (credential.MaxResponseBytes)") {
					t.Fatalf("error = %v, want the cap's", err)
				}
				if len(got) > MaxResponseBytes {
					t.Errorf("read %d bytes, past the cap", len(got))
				}
				if _, again := b.Read(make([]byte, 8)); again != err {
					t.Errorf("read after the cap = %v, want the same error", again)
				}
				if cerr := b.Close(); cerr != nil || under.closes.Load() != 1 {
					t.Errorf("Close = %v; the body under it was closed %d times, want once", cerr, under.closes.Load())
				}
			})
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestWireTransportCap sends through a guarded pipeline to a loopback
// server answering a body just over the cap, or exactly at it, with a
// success or an error status. Over the cap is refused once, not retried,
// with the cap's diagnostic, for every status: by the transport (the
// caller's, or the default one for a nil Transport), or by the policy
// alone when the transport is left unwrapped (Service Fabric).
func TestWireTransportCap(t *testing.T) {
	t.Parallel()
	const canary = "wire-canary-in-the-capped-body"
	for _, transport := range []string{"caller", "default", "uncapped"} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			for _, status := range []int{http.StatusOK, http.StatusBadRequest, http.StatusInternalServerError} {
				for _, size := range []int{MaxResponseBytes, MaxResponseBytes + 1} {
					t.Run(fmt.Sprintf("%s/%s/%d/%d", transport, method, status, size), func(t *testing.T) {
						t.Parallel()
						body := canary + strings.Repeat("a", size-len(canary))
						srv := newWireServer(t, func(w http.ResponseWriter) {
							w.WriteHeader(status)
							_, _ = io.WriteString(w, body)
						})
						co := loopbackOptions(t)
						co.Retry.MaxRetries = 2
						if transport == "default" {
							co.Transport = nil // defaultClient; the server is on loopback
						}
						co = guardWire(co)
						if transport == "uncapped" {
							co = uncapTransport(co)
						}
						pl := runtime.NewPipeline("wiretest", "v0", runtime.PipelineOptions{}, &co)
						req, err := runtime.NewRequest(context.Background(), method, srv.URL+"/t/oauth2/v2.0/token")
						if err != nil {
							t.Fatal(err)
						}
						resp, err := pl.Do(req)
						got, _ := srv.requests()
						if size <= MaxResponseBytes {
							if err != nil {
								t.Fatalf("refused a response at the cap: %v", err)
							}
							if b, err := runtime.Payload(resp); err != nil || string(b) != body || resp.StatusCode != status {
								t.Errorf("status %d, body of %d bytes, %v; want %d and the body whole", resp.StatusCode, len(b), err, status)
							}
							return
						}
						want := "credential: the response from " + srv.Listener.Addr().String() + " is over 1048576 bytes (credential.MaxResponseBytes)"
						var d *autherrors.Diagnostic
						if !errors.As(err, &d) || d.Code != autherrors.ErrServiceUnavailable || !errors.Is(err, errTooLarge) ||
							!strings.HasPrefix(d.Summary, want) || err.Error() != d.Error() {
							t.Fatalf("error = %v, want the cap's diagnostic alone, starting %q", err, want)
						}
						if text := chainText(err); strings.Contains(text, canary) {
							t.Errorf("the error quotes the response body:\n%s", text)
						}
						if len(got) != 1 {
							t.Errorf("requests = %v, want 1 (no retry of a response over the cap)", got)
						}
					})
				}
			}
		}
	}
}

// countTries is a caller policy above the wire check that counts tries.
func countTries(n *atomic.Int32) policy.Policy {
	return wirePolicyFunc(func(req *policy.Request) (*http.Response, error) {
		n.Add(1)
		return req.Next()
	})
}

type wirePolicyFunc func(*policy.Request) (*http.Response, error)

func (f wirePolicyFunc) Do(req *policy.Request) (*http.Response, error) { return f(req) }

// wireServer is a loopback server that keeps what reached it.
type wireServer struct {
	*httptest.Server
	mu   sync.Mutex
	got  []string // method path?query, then the body
	body []byte
}

func newWireServer(t *testing.T, answer func(http.ResponseWriter)) *wireServer {
	r := &wireServer{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, req.Method+" "+req.URL.RequestURI())
		r.body = b
		r.mu.Unlock()
		answer(w)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *wireServer) requests() ([]string, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...), r.body
}

// loopbackOptions route through entratest's guard: a test that tries to
// leave the machine fails.
func loopbackOptions(t *testing.T) azcore.ClientOptions {
	c := &http.Client{Transport: entratest.GuardTransport(t, nil)}
	t.Cleanup(c.CloseIdleConnections)
	return azcore.ClientOptions{Transport: c, Retry: policy.RetryOptions{RetryDelay: time.Millisecond, MaxRetryDelay: 10 * time.Millisecond}}
}

func TestWirePolicyRequests(t *testing.T) {
	t.Parallel()
	const form = "application/x-www-form-urlencoded"
	secretForm := "client_id=app&client_secret=" + wireCanarySecret + "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default"
	tests := []struct {
		name, method, path, contentType, body string
		header                                map[string]string
		refused                               string // a phrase of the summary; "" = passes
	}{
		{name: "password grant in body", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form,
			body: "grant_type=password&username=" + wireCanaryUser + "&password=" + wireCanaryPassword, refused: "grant_type=password"},
		{name: "password grant in query", method: "POST", path: "/t/oauth2/v2.0/token?grant_type=password", contentType: form, body: secretForm, refused: "grant_type=password"},
		{name: "password grant in GET query", method: "GET", path: "/t/oauth2/v2.0/token?grant_type=password", refused: "grant_type=password"},
		{name: "client_credentials then password", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form,
			body: "grant_type=client_credentials&grant_type=password&" + secretForm, refused: "grant_type=password"},
		{name: "client_credentials twice", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form,
			body: "grant_type=client_credentials&grant_type=client_credentials&" + secretForm, refused: "2 grant_type values"},
		{name: "client_credentials in body and query", method: "POST", path: "/t/oauth2/v2.0/token?grant_type=client_credentials", contentType: form,
			body: "grant_type=client_credentials&" + secretForm, refused: "2 grant_type values"},
		{name: "upper-case key", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form, body: "GRANT_TYPE=password&" + secretForm, refused: "grant_type=password"},
		{name: "upper-case value", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form, body: "grant_type=Password&" + secretForm, refused: "grant_type=password"},
		{name: "percent-encoded key", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form, body: "grant%5Ftype=password&" + secretForm, refused: "grant_type=password"},
		{name: "semicolon separator", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form,
			body: "grant_type=client_credentials;grant_type=password&" + secretForm, refused: "grant_type=password"},
		{name: "refresh token grant", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form, body: "grant_type=refresh_token&refresh_token=" + wireCanarySecret, refused: "refresh token"},
		{name: "on-behalf-of grant", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form,
			body: "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&requested_token_use=on_behalf_of&assertion=" + wireCanarySecret, refused: "on-behalf-of"},
		{name: "unknown grant is described, not quoted", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form, body: "grant_type=" + wireCanarySecret, refused: "not client_credentials"},
		{name: "empty grant", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form, body: "grant_type=&" + secretForm, refused: "not client_credentials"},
		{name: "password field with client_credentials", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form,
			body: "grant_type=client_credentials&Password=" + wireCanaryPassword, refused: "password field"},
		{name: "username field", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form, body: "grant_type=client_credentials&USERNAME=" + wireCanaryUser, refused: "username field"},
		{name: "form parsed whatever the content type", method: "POST", path: "/t/oauth2/v2.0/token", contentType: "application/json", body: "grant_type=password", refused: "grant_type=password"},
		{name: "device code", method: "POST", path: "/t/oauth2/v2.0/devicecode", contentType: form, body: "client_id=app&scope=openid", refused: "/devicecode"},
		{name: "device code v1", method: "POST", path: "/t/oauth2/devicecode", contentType: form, body: "client_id=app&resource=x", refused: "/devicecode"},
		{name: "device code percent-encoded", method: "POST", path: "/oauth2/v2.0/%64evicecode", contentType: form, body: "client_id=app", refused: "/devicecode"},
		{name: "device code double-encoded", method: "POST", path: "/oauth2/v2.0/%2564evicecode", refused: "/devicecode"},
		{name: "device code upper case", method: "POST", path: "/t/OAuth2/v2.0/DeviceCode", refused: "/devicecode"},
		{name: "authorize", method: "GET", path: "/t/oauth2/v2.0/authorize?client_id=app&response_type=code", refused: "/authorize"},
		{name: "authorize v1", method: "GET", path: "/t/oauth2/authorize", refused: "/authorize"},
		{name: "WS-Trust", method: "POST", path: "/adfs/services/trust/13/usernamemixed", contentType: "application/soap+xml; charset=utf-8",
			header: map[string]string{"SOAPAction": "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue"},
			body:   "<s:Envelope><wsse:Password>" + wireCanaryPassword + "</wsse:Password></s:Envelope>", refused: "WS-Trust"},
		{name: "request body over the cap", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form,
			body: "grant_type=client_credentials&x=" + strings.Repeat("a", maxRequestBytes), refused: "too large"},

		{name: "client secret", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form, body: "grant_type=client_credentials&" + secretForm},
		{name: "client assertion", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form,
			body: "grant_type=client_credentials&client_id=app&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJ.eyJ.sig&scope=x"},
		{name: "case-variant key, one client_credentials", method: "POST", path: "/t/oauth2/v2.0/token", contentType: form, body: "Grant_Type=client_credentials&" + secretForm},
		{name: "managed identity", method: "GET", path: "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com"},
		{name: "openid configuration", method: "GET", path: "/t/v2.0/.well-known/openid-configuration"},
		{name: "instance discovery names authorize in a value", method: "GET",
			path: "/common/discovery/instance?api-version=1.1&authorization_endpoint=https%3A%2F%2Flogin.microsoftonline.com%2Ft%2Foauth2%2Fv2.0%2Fauthorize"}, // a query string sent to the loopback test server; nothing is dialled
		{name: "azure pipelines oidc", method: "POST", path: "/ado/oidctoken?api-version=7.1&serviceConnectionId=abc"},
		{name: "json body", method: "POST", path: "/other", contentType: "application/json", body: `{"ratio":"50%","note":"a;b"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newWireServer(t, func(w http.ResponseWriter) { _, _ = io.WriteString(w, `{"ok":true}`) })
			var tries atomic.Int32
			co := loopbackOptions(t)
			co.PerRetryPolicies = []policy.Policy{countTries(&tries)}
			pl := runtime.NewPipeline("wiretest", "v0", runtime.PipelineOptions{}, new(guardWire(co)))
			req, err := runtime.NewRequest(context.Background(), tt.method, srv.URL+tt.path)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				req.Raw().Header.Set(k, v)
			}
			if tt.body != "" {
				if err := req.SetBody(streaming.NopCloser(strings.NewReader(tt.body)), tt.contentType); err != nil {
					t.Fatal(err)
				}
			}
			resp, err := pl.Do(req)
			got, body := srv.requests()
			if tt.refused == "" {
				if err != nil {
					t.Fatalf("refused a request that must pass: %v", err)
				}
				if b, err := runtime.Payload(resp); err != nil || string(b) != `{"ok":true}` {
					t.Errorf("response body %q, %v", b, err)
				}
				if len(got) != 1 || string(body) != tt.body {
					t.Errorf("server got %v with body %q, want one request with the body unchanged", got, body)
				}
				return
			}
			var d *autherrors.Diagnostic
			if !errors.As(err, &d) || d.Code != autherrors.ErrUserIdentityRefused || !errors.Is(err, autherrors.ErrUserIdentityRefused) {
				t.Fatalf("error = %#v, want a user-identity-refused diagnostic", err)
			}
			if !strings.Contains(d.Summary, tt.refused) || !strings.Contains(d.Summary, srv.Listener.Addr().String()) || d.Remedy == "" {
				t.Errorf("summary %q does not name %q and the host, or remedy %q is empty", d.Summary, tt.refused, d.Remedy)
			}
			for _, c := range []string{wireCanaryPassword, wireCanarySecret, wireCanaryUser, "a;b"} {
				if strings.Contains(err.Error(), c) || strings.Contains(d.Summary, c) {
					t.Errorf("refusal quotes a form value %q: %s", c, err)
				}
			}
			if len(got) != 0 {
				t.Errorf("the server received %v: the refusal must come before sending", got)
			}
			if n := tries.Load(); n != 1 {
				t.Errorf("tries = %d, want 1: a refusal is not retried", n)
			}
		})
	}
}
