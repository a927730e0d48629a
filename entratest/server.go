package entratest

import (
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Options configures a [Server]. The zero value is useful; nil means zero.
type Options struct {
	// Addr is the loopback address of the plain-HTTP listener that serves
	// IMDS, App Service, Azure Arc, Cloud Shell, Azure ML and the admin API.
	// Default "127.0.0.1:0". A non-loopback address is an error.
	Addr string
	// IMDSAddr, if set, is the address of one more plain-HTTP listener that
	// serves only IMDS (/metadata/identity/oauth2/token), for a program in
	// another process, which MSAL sends to 169.254.169.254:80 whatever its
	// environment: a loopback address, or 169.254.169.254:80 inside a network
	// namespace or test VM where that address is local (see the package
	// documentation). Any other address is an error. Tests bind loopback only.
	IMDSAddr string
	// Dir is where the emulator writes files: the CA (SSL_CERT_FILE),
	// certificate PEMs, token files, the Azure Arc key. Default: a temporary
	// directory that Close removes.
	Dir string
	// RefreshIn is the refresh_in the token endpoint returns. Default: none
	// for lifetimes under two hours, otherwise half the lifetime (like Entra).
	RefreshIn time.Duration
	// TLSAddr is the loopback address of the HTTPS listener (Entra ID, CI
	// OIDC issuers, Service Fabric). Default "127.0.0.1:0".
	TLSAddr string
	// TokenLifetime is the lifetime of every token issued. Default one hour.
	// Short lifetimes exercise refresh.
	TokenLifetime time.Duration
}

func (o *Options) validate() error {
	for name, a := range map[string]string{"Addr": o.Addr, "TLSAddr": o.TLSAddr} {
		if a == "" {
			continue
		}
		host, _, err := net.SplitHostPort(a)
		if err != nil {
			return fmt.Errorf("entratest: Options.%s %q: %w", name, a, err)
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("entratest: Options.%s %q is not a loopback IP address; use 127.0.0.1:PORT", name, a)
		}
	}
	if o.IMDSAddr != "" {
		host, _, err := net.SplitHostPort(o.IMDSAddr)
		if err != nil {
			return fmt.Errorf("entratest: Options.IMDSAddr %q: %w", o.IMDSAddr, err)
		}
		if ip := net.ParseIP(host); ip == nil || !(ip.IsLoopback() || host == imdsHost) {
			return fmt.Errorf("entratest: Options.IMDSAddr %q is neither a loopback IP address nor %s:80", o.IMDSAddr, imdsHost)
		}
	}
	if o.TokenLifetime < 0 || o.RefreshIn < 0 {
		return errors.New("entratest: Options.TokenLifetime and Options.RefreshIn must not be negative")
	}
	return nil
}

// Server is a running emulator. Its methods are safe for concurrent use.
type Server struct {
	opts Options

	mu        sync.Mutex
	tenants   map[string]string // tenant ID -> domain
	apps      map[string]*App
	users     map[string]*User // lower-case UPN
	uamis     []*ManagedIdentity
	system    map[Endpoint]*ManagedIdentity
	resources map[string]string // normalized resource -> resource app ID
	subjects  map[Issuer]string
	refresh   map[string]string        // refresh token -> lower-case UPN
	groups    map[string]resourceGroup // ARM: armKey -> resource group
	faults    []*faultState
	requests  []Request

	tls        *tlsMaterial
	entraKey   *rsa.PrivateKey
	issuerKeys map[Issuer]*rsa.PrivateKey
	arcKeyFile string

	dir, ownDir  string
	httpsURL     string
	httpURL      string
	httpsSrv     *http.Server
	httpSrv      *http.Server
	imdsSrv      *http.Server // Options.IMDSAddr, if set
	imdsURL      string
	transport    *http.Transport
	done         chan struct{}
	closeOnce    sync.Once
	closed       bool // under mu; no handler starts once set
	handlerGroup sync.WaitGroup
	inFlight     atomic.Int32
}

// NewServer starts an emulator on loopback with the defaults registered
// (see the Default* constants). Close it when done. Tests use [Start].
func NewServer(opts *Options) (*Server, error) { return newServer(opts, nil) }

// newServer is [NewServer] with onViolation (may be nil) called for each
// destination [Server.Client] refuses.
func newServer(opts *Options, onViolation func(host string)) (*Server, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.TLSAddr == "" {
		o.TLSAddr = "127.0.0.1:0"
	}
	if o.TokenLifetime == 0 {
		o.TokenLifetime = time.Hour
	}
	s := &Server{opts: o, done: make(chan struct{})}
	if err := s.init(onViolation); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Server) init(onViolation func(string)) error {
	var err error
	if s.dir = s.opts.Dir; s.dir == "" {
		if s.dir, err = os.MkdirTemp("", "entratest-"); err != nil {
			return fmt.Errorf("entratest: creating temp dir: %w", err)
		}
		s.ownDir = s.dir
	} else if err = os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("entratest: Options.Dir: %w", err)
	}
	if s.tls, err = newTLSMaterial(); err != nil {
		return fmt.Errorf("entratest: generating TLS material: %w", err)
	}
	if err = os.WriteFile(s.CAFile(), s.tls.caPEM, 0o600); err != nil {
		return fmt.Errorf("entratest: writing CA file: %w", err)
	}
	if s.entraKey, err = sharedKey("entra"); err != nil {
		return err
	}
	s.issuerKeys = map[Issuer]*rsa.PrivateKey{}
	for _, is := range []Issuer{GitHubIssuer, AzurePipelinesIssuer, AKSIssuer} {
		if s.issuerKeys[is], err = sharedKey(string(is)); err != nil {
			return err
		}
	}
	if err = s.registerDefaults(); err != nil {
		return err
	}
	tlsLn, err := net.Listen("tcp", s.opts.TLSAddr)
	if err != nil {
		return fmt.Errorf("entratest: listening on %s: %w", s.opts.TLSAddr, err)
	}
	httpLn, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		_ = tlsLn.Close()
		return fmt.Errorf("entratest: listening on %s: %w", s.opts.Addr, err)
	}
	s.httpsURL = "https://" + tlsLn.Addr().String()
	s.httpURL = "http://" + httpLn.Addr().String()
	cert := tls.Certificate{Certificate: [][]byte{s.tls.leafDER}, PrivateKey: s.tls.leafKey, Leaf: s.tls.leaf}
	quiet := log.New(discard{}, "", 0)
	s.httpsSrv = &http.Server{
		Handler:           s.handler(true),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}},
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          quiet,
	}
	s.httpSrv = &http.Server{Handler: s.handler(false), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
	if s.opts.IMDSAddr != "" {
		imdsLn, err := net.Listen("tcp", s.opts.IMDSAddr)
		if err != nil {
			_ = tlsLn.Close()
			_ = httpLn.Close()
			return fmt.Errorf("entratest: listening on %s for IMDS: %w", s.opts.IMDSAddr, err)
		}
		s.imdsURL = "http://" + imdsLn.Addr().String()
		s.imdsSrv = &http.Server{Handler: s.imdsOnly(s.httpSrv.Handler), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
		go func() { _ = s.imdsSrv.Serve(imdsLn) }()
	}
	go func() { _ = s.httpsSrv.Serve(tls.NewListener(tlsLn, s.httpsSrv.TLSConfig)) }()
	go func() { _ = s.httpSrv.Serve(httpLn) }()
	roots := x509.NewCertPool()
	roots.AddCert(s.tls.caCert)
	s.transport = newGuardedTransport(roots, httpLn.Addr().String(), onViolation)
	return nil
}

// imdsOnly serves IMDS's path with h and nothing else, as the link-local
// IMDS address does.
func (s *Server) imdsOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != pathIMDS {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Close stops the emulator promptly: hanging handlers are released, open
// connections closed, and the temporary directory (if the emulator created
// it) removed. Close is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.done)
		if s.httpsSrv != nil {
			_ = s.httpsSrv.Close()
		}
		if s.httpSrv != nil {
			_ = s.httpSrv.Close()
		}
		if s.imdsSrv != nil {
			_ = s.imdsSrv.Close()
		}
		s.handlerGroup.Wait()
		if s.transport != nil {
			s.transport.CloseIdleConnections()
		}
		if s.ownDir != "" {
			_ = os.RemoveAll(s.ownDir)
		}
	})
}

// AuthorityHost is the Entra authority host, "https://127.0.0.1:PORT/", for
// cloud.Configuration.ActiveDirectoryAuthorityHost and AZURE_AUTHORITY_HOST.
func (s *Server) AuthorityHost() string { return s.httpsURL + "/" }

// AdminURL is the base URL of the plain-HTTP listener; GET AdminURL/requests
// returns the request log as JSON.
func (s *Server) AdminURL() string { return s.httpURL }

// Dir is the directory the emulator writes files into.
func (s *Server) Dir() string { return s.dir }

// CAFile is the path of the emulator's CA certificate (PEM), the value for
// SSL_CERT_FILE.
func (s *Server) CAFile() string { return filepath.Join(s.dir, "entratest-ca.pem") }

// Client is an *http.Client for the emulator: its Transport, an
// *http.Transport shared by every Client of the server, trusts the
// emulator's CA, ignores proxy settings, sends connections for
// 169.254.169.254:80 (IMDS) to the emulator and refuses to dial any other
// non-loopback address, before opening a socket. The transport is a plain
// *http.Transport so MSAL can clone it to pin the Service Fabric
// certificate; clone it too for a connection pool of your own.
func (s *Server) Client() *http.Client { return &http.Client{Transport: s.transport} }

// ClientOptions are azcore client options for azidentity credentials and ARM
// clients: the emulator's authority host and Resource Manager
// ([Server.ARMEndpoint]), [Server.Client] as the transport (which
// satisfies even Service Fabric's need for an *http.Client), with the retry
// delay shortened to 5ms (and MaxRetryDelay to 3s, which caps Retry-After)
// so fault tests stay fast. Credentials must also set
// DisableInstanceDiscovery, or MSAL asks login.microsoftonline.com (which
// the guard refuses).
func (s *Server) ClientOptions() azcore.ClientOptions {
	return azcore.ClientOptions{
		Cloud: cloud.Configuration{
			ActiveDirectoryAuthorityHost: s.AuthorityHost(),
			Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
				cloud.ResourceManager: {Audience: "https://management.azure.com", Endpoint: s.ARMEndpoint()},
			},
		},
		Retry:     policy.RetryOptions{RetryDelay: 5 * time.Millisecond, MaxRetryDelay: 3 * time.Second},
		Transport: s.Client(),
	}
}

// serviceFabricThumbprint is the SHA-1 thumbprint of the HTTPS certificate,
// which the Service Fabric endpoint presents.
func (s *Server) serviceFabricThumbprint() string { return thumbprintSHA1(s.tls.leaf) }

func normalizeTenant(t string) string { return strings.ToLower(strings.TrimSpace(t)) }
