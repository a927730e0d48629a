package detect

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestProbeIMDS(t *testing.T) {
	t.Parallel()
	handler := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			if r.Method != http.MethodGet || r.Header.Get("Metadata") != "true" || q.Get("api-version") != "2018-02-01" ||
				q.Get("resource") != "https://management.azure.com/" || r.URL.Path != "/metadata/identity/oauth2/token" {
				t.Errorf("unexpected probe %s %s %v", r.Method, r.URL, r.Header)
			}
			if got := q.Get("client_id"); got != "" && got != uami {
				t.Errorf("client_id = %q", got)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	cases := []struct {
		name     string
		status   int
		body     string
		clientID string
		wantOK   bool
		detail   string
	}{
		{name: "token", status: 200, body: `{"access_token":"` + canary + `","expires_in":"86399","token_type":"Bearer"}`, wantOK: true},
		{name: "no identity", status: 400, body: `{"error":"invalid_request","error_description":"Identity not found"}`, wantOK: true, detail: "invalid_request: Identity not found"},
		{name: "user-assigned", status: 400, body: `{"error":"invalid_request","error_description":"Identity not found"}`, clientID: uami, wantOK: true, detail: "invalid_request: Identity not found"},
		{name: "throttled, not JSON", status: 429, body: `Too many requests`, wantOK: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(handler(tc.status, tc.body))
			defer srv.Close()
			p := ProbeIMDS(context.Background(), &ProbeOptions{Endpoint: srv.URL + "/metadata/identity/oauth2/token", ClientID: tc.clientID, Client: srv.Client()})
			if p.OK != tc.wantOK || p.Status != tc.status || p.Detail != tc.detail || p.Error != "" || p.Latency <= 0 {
				t.Errorf("probe = %+v", p)
			}
			if strings.Contains(p.Detail+p.Error, canary) {
				t.Error("the probe kept the token")
			}
		})
	}
}

func TestProbeIMDSNoAnswer(t *testing.T) {
	t.Parallel()
	// A listener that accepts and never answers: the timeout decides.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	p := ProbeIMDS(context.Background(), &ProbeOptions{Endpoint: "http://" + ln.Addr().String() + "/metadata/identity/oauth2/token", Timeout: 50 * time.Millisecond})
	if p.OK || p.Error != "no answer within 50ms" {
		t.Errorf("probe = %+v", p)
	}

	// A closed port: refused at once.
	addr := ln.Addr().String()
	ln2, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln2.Addr().String()
	ln2.Close()
	p = ProbeIMDS(context.Background(), &ProbeOptions{Endpoint: "http://" + closed + "/"})
	if p.OK || !strings.Contains(p.Error, "refused") {
		t.Errorf("probe of a closed port = %+v (listener %s)", p, addr)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if p := ProbeIMDS(ctx, &ProbeOptions{Endpoint: "http://" + addr + "/"}); p.OK || p.Error != "canceled" {
		t.Errorf("canceled probe = %+v", p)
	}
	if p := ProbeIMDS(ctx, &ProbeOptions{Endpoint: "169.254.169.254"}); p.OK || !strings.Contains(p.Error, "not an http(s) URL") { // refused before any request: not a URL
		t.Errorf("bad endpoint probe = %+v", p)
	}
}

// TestProbeThenDetect is the two-step flow: probe a loopback IMDS, pass the
// result to Detect.
func TestProbeThenDetect(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"access_token":"` + canary + `"}`))
	}))
	defer srv.Close()
	p := ProbeIMDS(context.Background(), &ProbeOptions{Endpoint: srv.URL})
	r := Detect(merge(linuxNoise), &Options{Probe: &p, fs: ioFS{files()}})
	if r.Kind != ManagedIdentity || r.Source != IMDS || r.Probe == nil || r.Probe.Status != 200 {
		t.Fatalf("result:\n%s", r)
	}
	if r.Probe.Endpoint != srv.URL || !r.Probe.OK || !slices.Contains(r.Evidence, "IMDS probe") {
		t.Errorf("probe %+v, evidence %q", r.Probe, r.Evidence)
	}
}
