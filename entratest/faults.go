package entratest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Fault changes how an endpoint answers, for the next Times requests (0:
// until [Server.ClearFaults]). Effects combine in this order: Latency, then
// Hang or Reset, then Status or Code, then the body effects (Truncate,
// MalformedJSON) on the answer the endpoint would have given. Faults are
// matched in the order injected; one fault applies per request.
type Fault struct {
	// Endpoint is the endpoint the fault applies to; required.
	Endpoint Endpoint
	// Status, if non-zero, is sent instead of the real answer, with a small
	// JSON error body in the endpoint's style (e.g. 429, 500, 503).
	Status int
	// RetryAfter, if non-zero, is sent with Status as a Retry-After header
	// (seconds, rounded up) and, if not a whole number of seconds, also as
	// x-ms-retry-after-ms, which azcore prefers. azcore does not retry when
	// the delay exceeds its MaxRetryDelay (3s in [Server.ClientOptions]).
	RetryAfter time.Duration
	// Code, for TokenEndpoint, answers with this AADSTS code's real Entra
	// error (e.g. [CodeConditionalAccessBlocked]) instead of a token.
	Code int
	// Latency delays the answer (ended early if the client gives up).
	Latency time.Duration
	// Hang never answers: the handler waits until the client gives up or the
	// server closes.
	Hang bool
	// Reset closes the connection without an answer (TCP RST).
	Reset bool
	// Truncate cuts the JSON answer in half (valid HTTP, broken JSON).
	Truncate bool
	// MalformedJSON answers 200 with a body that is not JSON, like a captive
	// proxy's HTML page.
	MalformedJSON bool
	// ExpiredToken makes issued tokens already expired: access tokens, managed
	// identity tokens, and the CI issuers' federated tokens.
	ExpiredToken bool
	// Times is how many requests the fault applies to; 0 means all.
	Times int
}

type faultState struct {
	f    Fault
	left int // remaining uses; -1 unlimited
}

// Inject adds a fault. It returns an error for a fault without an endpoint or
// with contradictory effects.
func (s *Server) Inject(f Fault) error {
	if f.Endpoint == "" {
		return fmt.Errorf("entratest: Fault.Endpoint is required")
	}
	if f.Hang && f.Reset {
		return fmt.Errorf("entratest: Fault.Hang and Fault.Reset are exclusive")
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		return fmt.Errorf("entratest: Fault.Status %d is not an HTTP status", f.Status)
	}
	if f.Times < 0 {
		return fmt.Errorf("entratest: Fault.Times must not be negative")
	}
	left := f.Times
	if left == 0 {
		left = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{f: f, left: left})
	return nil
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFault(ep Endpoint) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, st := range s.faults {
		if st.f.Endpoint != ep || st.left == 0 {
			continue
		}
		if st.left > 0 {
			st.left--
			if st.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		f := st.f
		return &f
	}
	return nil
}

type expiredKey struct{}

func wantExpired(r *http.Request) bool { v, _ := r.Context().Value(expiredKey{}).(bool); return v }

// serveFault applies f around h; it reports whether anything is left to do.
func (s *Server) serveFault(w *recorder, r *http.Request, f *Fault, h http.HandlerFunc) {
	w.req.Fault = true
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.done:
			t.Stop()
			reset(w)
			return
		}
	}
	switch {
	case f.Hang:
		select {
		case <-r.Context().Done():
		case <-s.done:
			reset(w) // never let net/http send an empty answer
		}
		return
	case f.Reset:
		reset(w)
		return
	case f.Code != 0 && f.Status == 0:
		aadsts(f.Code).write(w, r)
		return
	case f.Status != 0:
		if f.RetryAfter > 0 {
			secs := int((f.RetryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			if f.RetryAfter%time.Second != 0 {
				// Azure's millisecond header, which azcore prefers.
				w.Header().Set("x-ms-retry-after-ms", strconv.FormatInt(f.RetryAfter.Milliseconds(), 10))
			}
		}
		if f.Code != 0 {
			e := aadsts(f.Code)
			e.status = f.Status
			e.write(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.Status)
		fmt.Fprintf(w, `{"error":%q,"error_description":"entratest injected fault: HTTP %d"}`+"\n",
			faultError(f.Status), f.Status)
		return
	}
	if f.ExpiredToken {
		r = r.WithContext(context.WithValue(r.Context(), expiredKey{}, true))
	}
	if !f.Truncate && !f.MalformedJSON {
		h(w, r)
		return
	}
	buf := &bufferWriter{header: http.Header{}, status: http.StatusOK, rec: w}
	h(buf, r)
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	body := buf.body.Bytes()
	if f.MalformedJSON {
		w.Header().Set("Content-Type", "text/html")
		buf.status = http.StatusOK
		body = []byte("<html><body>Proxy error: upstream sent an unexpected page</body></html>\n")
	} else {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(buf.status)
	_, _ = w.Write(body)
}

func faultError(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "too_many_requests"
	case status >= 500:
		return "temporarily_unavailable"
	default:
		return "invalid_request"
	}
}

// reset hijacks the connection and closes it with SO_LINGER 0 so the client
// sees a connection reset.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	raw := conn
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn()
	}
	if tc, ok := raw.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = raw.Close()
}

// bufferWriter buffers an answer so a fault can mangle it.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
	rec    *recorder
}

func (b *bufferWriter) Header() http.Header         { return b.header }
func (b *bufferWriter) WriteHeader(status int)      { b.status = status }
func (b *bufferWriter) Write(p []byte) (int, error) { return b.body.Write(p) }
