package entratest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// imdsHost is the link-local address MSAL and azidentity hard-code for the
// Azure Instance Metadata Service. The emulator's transport rewrites it to the
// emulator; [GuardTransport] refuses it.
const imdsHost = "169.254.169.254"

// NonLoopbackError is what [GuardTransport] and [Server.Client] return for
// a destination that is not loopback. Nothing was sent: the guard decides
// before dialing.
type NonLoopbackError struct {
	// Host is the refused destination, as host or host:port.
	Host string
}

// Error implements error.
func (e *NonLoopbackError) Error() string {
	return fmt.Sprintf("entratest: refused non-loopback destination %q: tests may only reach 127.0.0.0/8, ::1 or localhost", e.Host)
}

// isLoopback reports whether host (a host name, IP literal, or host:port) is
// 127.0.0.0/8, ::1 or "localhost". It never resolves names.
func isLoopback(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// GuardTransport returns a RoundTripper that refuses, before anything is
// sent, every request whose URL host is not 127.0.0.0/8, ::1 or localhost
// (names are never resolved): it reports the refused host with tb.Errorf,
// so the test fails, and returns a *[NonLoopbackError]. Requests it allows
// go to base. A nil base means a new transport, closed in tb.Cleanup, whose
// dialer is guarded too, so a name that resolves elsewhere cannot escape
// either.
//
// GuardTransport does not rewrite the IMDS host: http://169.254.169.254 is
// refused. Use [Server.Client] to reach the emulator's IMDS.
func GuardTransport(tb TB, base http.RoundTripper) http.RoundTripper {
	report := violationReporter(tb)
	if base == nil {
		t := newGuardedTransport(nil, "", report)
		tb.Cleanup(t.CloseIdleConnections)
		base = t
	}
	return &guard{base: base, onViolation: report}
}

type guard struct {
	base        http.RoundTripper
	onViolation func(string) // never nil
}

func (g *guard) RoundTrip(r *http.Request) (*http.Response, error) {
	if !isLoopback(r.URL.Host) {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		g.onViolation(r.URL.Host)
		return nil, &NonLoopbackError{Host: r.URL.Host}
	}
	return g.base.RoundTrip(r)
}

// guardedDialer refuses non-loopback addresses before opening a socket. When
// imds is set, connections to 169.254.169.254:80 go there instead.
type guardedDialer struct {
	imds        string
	onViolation func(string)
	d           net.Dialer
}

func (g *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if host == imdsHost && g.imds != "" && (port == "80" || port == "") {
		addr = g.imds
	} else if !isLoopback(host) {
		if g.onViolation != nil {
			g.onViolation(addr)
		}
		return nil, &NonLoopbackError{Host: addr}
	}
	if strings.EqualFold(host, "localhost") {
		// Resolve localhost ourselves: never trust a resolver with it.
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	return g.d.DialContext(ctx, network, addr)
}

// newGuardedTransport is a plain *http.Transport (so MSAL can clone it for
// Service Fabric certificate pinning) that trusts roots, ignores proxy
// settings and dials only loopback.
func newGuardedTransport(roots *x509.CertPool, imds string, onViolation func(string)) *http.Transport {
	gd := &guardedDialer{imds: imds, onViolation: onViolation, d: net.Dialer{Timeout: 5 * time.Second}}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           gd.DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 0,
	}
}

// CloseIdleConnections forwards to the base transport.
func (g *guard) CloseIdleConnections() {
	if c, ok := g.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
