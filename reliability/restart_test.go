package reliability

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// TestEmulatorRestart stops the emulator under a live credential and starts
// a new one on the same addresses: while it is down GetToken fails fast with
// a network diagnosis, and once it is back the same credential gets tokens
// again. Each emulator generates its own TLS CA, so the client trusts
// whichever is current (the loopback guard stays in front).
func TestEmulatorRestart(t *testing.T) {
	t.Run("parallel", func(t *testing.T) {
		for _, k := range kinds {
			if !k.process {
				t.Run(k.name, func(t *testing.T) { t.Parallel(); restart(t, k) })
			}
		}
	})
	for _, k := range kinds {
		if k.process {
			t.Run(k.name, func(t *testing.T) { restart(t, k) })
		}
	}
}

// caPool is the pool of srv's CA, which its client trusts.
func caPool(srv *entratest.Server) *x509.CertPool {
	return srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
}

func restart(t *testing.T, k kind) {
	opts := &entratest.Options{Addr: freeAddr(t), TLSAddr: freeAddr(t), Dir: t.TempDir()}
	srv, err := entratest.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Close() }()
	var roots atomic.Pointer[x509.CertPool]
	roots.Store(caPool(srv))
	tr := &http.Transport{TLSClientConfig: &tls.Config{
		InsecureSkipVerify: true, // verified below against the current emulator's CA
		VerifyConnection: func(cs tls.ConnectionState) error {
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: roots.Load(), Intermediates: inter})
			return err
		},
	}}
	defer tr.CloseIdleConnections()
	co := srv.ClientOptions()
	co.Transport = &http.Client{Transport: entratest.GuardTransport(t, tr)}

	env := envFor(t, srv, k)
	c := newCredential(t, env, co, nil)
	before, after := uniqueScope(t, srv), strings.TrimSuffix(uniqueScope(t, srv), "/.default")+"-after/.default"
	get := func(scope string, d time.Duration) error {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		tok, err := c.GetToken(ctx, scopes(scope))
		if err == nil {
			checkToken(t, tok, scope, entratest.DefaultTenantID)
		}
		return err
	}
	if err := get(before, 5*time.Second); err != nil {
		t.Fatalf("before the restart: %v", err)
	}

	srv.Close()
	start := time.Now()
	err = get(after, 5*time.Second)
	if !codeIn(err, []autherrors.Code{autherrors.ErrNetwork, autherrors.ErrManagedIdentityUnavailable}) {
		t.Errorf("emulator down: GetToken = %v; want %s or %s", err, autherrors.ErrNetwork, autherrors.ErrManagedIdentityUnavailable)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("emulator down: GetToken took %v; a refused connection should fail fast", took)
	}
	if err := get(before, time.Second); err != nil {
		t.Errorf("emulator down: the cached token was not served: %v", err)
	}

	if srv, err = entratest.NewServer(opts); err != nil {
		t.Fatalf("restarting on the same addresses: %v", err)
	}
	roots.Store(caPool(srv))
	srv.AddResource(strings.TrimSuffix(after, "/.default"))
	if err := get(after, 5*time.Second); err != nil {
		t.Errorf("after the restart, the same credential: %v", err)
	}
}

// TestWorkloadIdentityTokenFile changes the projected token file under a
// live credential. azidentity reads the file at most every 10 minutes and
// keeps the assertion it read, so a rotated, emptied or deleted file does
// not disturb a running credential; a credential built afterwards (a
// restarted process) is told which file is wrong.
func TestWorkloadIdentityTokenFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(srv *entratest.Server, path string) error
		newErr bool   // credential.New then fails, naming the file
		warn   string // or detect warns
	}{
		{"rotated", func(srv *entratest.Server, path string) error { return srv.WriteServiceAccountToken(path, time.Hour) }, false, ""},
		{"emptied", func(_ *entratest.Server, path string) error { return os.WriteFile(path, nil, 0o600) }, false, "AZURE_FEDERATED_TOKEN_FILE"},
		{"deleted", func(_ *entratest.Server, path string) error { return os.Remove(path) }, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := entratest.Start(t, nil)
			env, err := srv.WorkloadIdentityEnv()
			if err != nil {
				t.Fatal(err)
			}
			c := newCredential(t, env, srv.ClientOptions(), nil)
			scope := uniqueScope(t, srv)
			for i, step := range []string{"before", "after"} {
				s := strings.TrimSuffix(scope, "/.default") + "-" + step
				srv.AddResource(s)
				tok, err := c.GetToken(context.Background(), scopes(s+"/.default"))
				if err != nil {
					t.Fatalf("%s the file was %s: %v", step, tt.name, err)
				}
				checkToken(t, tok, s+"/.default", entratest.DefaultTenantID)
				if i == 0 {
					if err := tt.change(srv, env["AZURE_FEDERATED_TOKEN_FILE"]); err != nil {
						t.Fatal(err)
					}
				}
			}
			// A new process with the changed file.
			c2, err := credential.New(&credential.Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()})
			switch {
			case tt.newErr:
				if err == nil || !strings.Contains(err.Error(), "AZURE_FEDERATED_TOKEN_FILE") {
					t.Errorf("New with the file %s: %v; want an error naming AZURE_FEDERATED_TOKEN_FILE", tt.name, err)
				}
			case err != nil:
				t.Errorf("New with the file %s: %v", tt.name, err)
			default:
				defer c2.Close()
				if tt.warn != "" && !strings.Contains(strings.Join(c2.Selection().Warnings, "\n"), tt.warn) {
					t.Errorf("no warning about %s in %q", tt.warn, c2.Selection().Warnings)
				}
				_, err := c2.GetToken(context.Background(), scopes(scope))
				if tt.warn == "" && err != nil {
					t.Errorf("new credential after the file was %s: %v", tt.name, err)
				}
				if tt.warn != "" && err == nil {
					t.Errorf("new credential with the file %s got a token", tt.name)
				}
				var d *autherrors.Diagnostic
				if err != nil && !errors.As(err, &d) {
					t.Errorf("error is not a diagnostic: %v", err)
				}
			}
			// The file comes back: a new process works again.
			if err := srv.WriteServiceAccountToken(env["AZURE_FEDERATED_TOKEN_FILE"], time.Hour); err != nil {
				t.Fatal(err)
			}
			c3 := newCredential(t, env, srv.ClientOptions(), nil)
			if _, err := c3.GetToken(context.Background(), scopes(scope)); err != nil {
				t.Errorf("after the file was restored: %v", err)
			}
		})
	}
}
