package bench

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/autoidentity/autoidentity/entratest"
)

// silentListener is a loopback TCP listener that accepts connections and
// never answers, like a link-local address where nothing routes the
// packets: a client's IMDS probe waits until its own timeout.
type silentListener struct {
	ln       net.Listener
	accepted atomic.Int64
	mu       sync.Mutex
	conns    []net.Conn
	done     chan struct{}
}

// newSilentListener starts a silent listener, closed when tb ends.
func newSilentListener(tb testing.TB) *silentListener {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &silentListener{ln: ln, done: make(chan struct{})}
	go s.serve()
	tb.Cleanup(s.close)
	return s
}

func (s *silentListener) serve() {
	defer close(s.done)
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.accepted.Add(1)
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
	}
}

func (s *silentListener) close() {
	_ = s.ln.Close()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.Close()
	}
}

// Addr is the listener's host:port.
func (s *silentListener) Addr() string { return s.ln.Addr().String() }

// imdsHost is the link-local address azidentity hard-codes for IMDS.
const imdsHost = "169.254.169.254"

// imdsTransport sends requests for http://169.254.169.254 to to (a loopback
// host:port) and everything else through entratest.GuardTransport, which
// refuses any non-loopback destination before dialing and reports it with
// tb.Errorf. The rewrite happens before the guard, so the guard checks the
// loopback address the request will really reach.
func imdsTransport(tb entratest.TB, to string) *http.Client {
	guard := entratest.GuardTransport(tb, nil)
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if h := r.URL.Hostname(); h == imdsHost && (r.URL.Port() == "" || r.URL.Port() == "80") && r.URL.Scheme == "http" {
			r = r.Clone(r.Context())
			r.URL.Host = to
			r.Host = imdsHost
		}
		return guard.RoundTrip(r)
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
