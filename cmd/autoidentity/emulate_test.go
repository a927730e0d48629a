package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/autoidentity/autoidentity/entratest"
)

func TestEmulateUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"no scenario", nil, exitUsage, "--scenario is required"},
		{"unknown scenario", []string{"--scenario", "nope"}, exitUsage, `unknown scenario "nope"`},
		{"non-loopback addr", []string{"--scenario", "ropc-mfa", "--addr", "0.0.0.0:0"}, exitUsage, "must be a loopback IP:PORT"},
		{"bad flag", []string{"--nope"}, exitUsage, "flag provided but not defined"},
		{"extra argument", []string{"--scenario", "ropc-mfa", "x"}, exitUsage, `unexpected argument "x"`},
		{"non-loopback listen", []string{"--scenario", "ropc-mfa", "--listen", "0.0.0.0:443"}, exitUsage, "--listen \"0.0.0.0:443\" must be a loopback IP:PORT"},
		{"bad https port", []string{"--scenario", "ropc-mfa", "--https-port", "70000"}, exitUsage, "--https-port 70000 is not a port"},
		{"conflicting ports", []string{"--scenario", "ropc-mfa", "--listen", "127.0.0.1:8443", "--https-port", "443"}, exitUsage, "name different ports"},
		{"non-local imds", []string{"--scenario", "ropc-mfa", "--imds-listen", "10.0.0.1:80"}, exitUsage, "--imds-listen \"10.0.0.1:80\" must be a loopback IP:PORT or 169.254.169.254:80"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			s := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, lookupEnv: func(string) (string, bool) { return "", false }}
			if code := runEmulate(context.Background(), s, tc.args); code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("stderr %q does not contain %q", errOut.String(), tc.want)
			}
		})
	}
}

func TestEmulateList(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	s := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard}
	if code := runEmulate(context.Background(), s, []string{"--list"}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, name := range []string{"service-principal-secret", "service-principal-certificate", "workload-identity", "github-actions-oidc",
		"azure-pipelines-oidc", "managed-identity-app-service", "managed-identity-arc", "ropc-mfa", "ropc-mfa-with-secret",
		"expired-secret", "federation-mismatch"} {
		if !strings.Contains(out.String(), name+" ") {
			t.Errorf("--list lacks %s", name)
		}
	}
}

// startEmulate runs the subcommand until the test ends and returns its line.
func startEmulate(t *testing.T, scenario string, extra ...string) emulateLine {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var errOut bytes.Buffer
	s := &streams{stdin: strings.NewReader(""), stdout: pw, stderr: &errOut}
	done := make(chan int, 1)
	args := append([]string{"--scenario", scenario, "--dir", t.TempDir()}, extra...)
	go func() { done <- runEmulate(ctx, s, args); pw.Close() }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("emulate exited %d: %s", code, errOut.String())
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the JSON line: %v (stderr %s)", err, errOut.String())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	var l emulateLine
	if err := json.Unmarshal([]byte(line), &l); err != nil {
		t.Fatalf("%v: %q", err, line)
	}
	return l
}

// clientFor trusts SSL_CERT_FILE from env and refuses non-loopback hosts.
func clientFor(t *testing.T, env map[string]string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(env["SSL_CERT_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("SSL_CERT_FILE holds no certificate")
	}
	return &http.Client{Transport: entratest.GuardTransport(t, &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}})}
}

func TestEmulateServesScenario(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		scenario string
		wantOK   bool
		code     string
	}{
		{"service-principal-secret", true, ""},
		{"expired-secret", false, "AADSTS7000222"},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			t.Parallel()
			l := startEmulate(t, tc.scenario)
			if !strings.HasPrefix(l.Admin, "http://127.0.0.1:") || !strings.HasPrefix(l.Env["AZURE_AUTHORITY_HOST"], "https://127.0.0.1:") {
				t.Fatalf("line %+v", l)
			}
			client := clientFor(t, l.Env)
			defer client.CloseIdleConnections()
			cred, err := azidentity.NewClientSecretCredential(l.Env["AZURE_TENANT_ID"], l.Env["AZURE_CLIENT_ID"], l.Env["AZURE_CLIENT_SECRET"],
				&azidentity.ClientSecretCredentialOptions{DisableInstanceDiscovery: true, ClientOptions: azcore.ClientOptions{
					Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: l.Env["AZURE_AUTHORITY_HOST"]}, Transport: client,
					Retry: policy.RetryOptions{MaxRetries: -1}}})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err = cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
			if tc.wantOK != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.code)) {
				t.Fatalf("GetToken: %v", err)
			}
			resp, err := client.Get(l.Admin + "/requests")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var reqs []entratest.Request
			if err := json.NewDecoder(resp.Body).Decode(&reqs); err != nil {
				t.Fatal(err)
			}
			var grants int
			for _, r := range reqs {
				if r.GrantType == "client_credentials" && r.ClientID == entratest.DefaultClientID {
					grants++
				}
			}
			if grants != 1 {
				t.Errorf("admin log shows %d client_credentials grants: %+v", grants, reqs)
			}
		})
	}
}

// freePort is a loopback port nothing listens on right now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// TestEmulateListeners: --https-port places the HTTPS listener (Entra ID
// and Resource Manager), --imds-listen serves IMDS to any client there.
func TestEmulateListeners(t *testing.T) {
	t.Parallel()
	httpsPort, imdsPort := freePort(t), freePort(t)
	l := startEmulate(t, "service-principal-secret", "--https-port", httpsPort, "--imds-listen", "127.0.0.1:"+imdsPort)
	if got, want := l.Env["AZURE_AUTHORITY_HOST"], "https://127.0.0.1:"+httpsPort+"/"; got != want {
		t.Fatalf("AZURE_AUTHORITY_HOST %q, want %q", got, want)
	}
	client := clientFor(t, l.Env)
	defer client.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:"+imdsPort+
		"/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F", nil)
	req.Header.Set("Metadata", "true")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("IMDS answered %d", resp.StatusCode)
	}
	resp, err = client.Get("https://127.0.0.1:" + httpsPort + "/subscriptions/x/resourcegroups/y?api-version=2021-04-01")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer ") {
		t.Errorf("Resource Manager without a token answered %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}
