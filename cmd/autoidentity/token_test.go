package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
)

var tokenCanaries = []string{entratest.DefaultClientSecret, entratest.ExpiredClientSecret, entratest.DefaultPassword, entratest.ActionsRequestToken}

// runTokenIn runs `autoidentity token` with a scenario's environment and
// the emulator's loopback-guarded client.
func runTokenIn(t *testing.T, srv *entratest.Server, scenario string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	env, err := srv.Scenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	s := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, transport: srv.Client(),
		lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	code = run(context.Background(), s, append([]string{"token"}, args...))
	for _, c := range tokenCanaries {
		if strings.Contains(out.String()+errOut.String(), c) {
			t.Errorf("output contains the secret %q", c)
		}
	}
	return code, out.String(), errOut.String()
}

func TestTokenJSON(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	code, out, errOut := runTokenIn(t, srv, "service-principal-secret", "--scope", "https://management.azure.com/.default", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Kind   string `json:"kind"`
		Token  string `json:"token"`
		Claims struct {
			Aud   []string `json:"aud"`
			Tid   string   `json:"tid"`
			AppID string   `json:"appid"`
			Idtyp string   `json:"idtyp"`
		} `json:"claims"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Kind != "service-principal-secret" || rep.Claims.Tid != entratest.DefaultTenantID || rep.Claims.AppID != entratest.DefaultClientID ||
		rep.Claims.Idtyp != "app" || len(rep.Claims.Aud) != 1 || rep.Claims.Aud[0] != "https://management.azure.com" {
		t.Errorf("report = %+v", rep)
	}
	if rep.Token != "" {
		t.Error("the token was printed without --raw")
	}
}

func TestTokenHumanAndRaw(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	code, out, _ := runTokenIn(t, srv, "workload-identity", "--scope", "https://management.azure.com/.default")
	if code != exitOK || !strings.Contains(out, "token acquired  workload-identity") || !strings.Contains(out, "idtyp") || strings.Contains(out, "eyJ") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	code, out, _ = runTokenIn(t, srv, "workload-identity", "--scope", "https://management.azure.com/.default", "--raw")
	if code != exitOK || !strings.Contains(out, "\ntoken           eyJ") {
		t.Errorf("--raw did not print the token: exit %d\n%s", code, out)
	}
}

func TestTokenFailure(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	tests := []struct {
		scenario, code string
	}{
		{"ropc-mfa", "user-identity-refused"},
		{"expired-secret", "client-secret-expired"},
		{"federation-mismatch", "federated-identity-mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			code, out, _ := runTokenIn(t, srv, tt.scenario, "--scope", "https://management.azure.com/.default", "--json")
			var d struct{ Code, Summary, Remedy string }
			if err := json.Unmarshal([]byte(out), &d); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if code != exitFailure || d.Code != tt.code || d.Remedy == "" {
				t.Errorf("exit %d, diagnosis %+v; want exit 1 and %s with a remedy", code, d, tt.code)
			}
			code, _, errOut := runTokenIn(t, srv, tt.scenario, "--scope", "https://management.azure.com/.default")
			if code != exitFailure || !strings.Contains(errOut, tt.code) || !strings.Contains(errOut, "Fix:") {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
		})
	}
	if n := srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" }); n != 0 {
		t.Errorf("password grants = %d, want 0", n)
	}
}

func TestTokenUsage(t *testing.T) {
	t.Parallel()
	var errOut bytes.Buffer
	s := &streams{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &errOut, lookupEnv: func(string) (string, bool) { return "", false }}
	if code := run(context.Background(), s, []string{"token"}); code != exitUsage || !strings.Contains(errOut.String(), "--scope is required") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestTokenNilLookupEnv: streams without lookupEnv read an empty
// environment. httpClient called the nil function before checking it.
func TestTokenNilLookupEnv(t *testing.T) {
	t.Parallel()
	if c, err := httpClient(&streams{}); c != nil || err != nil {
		t.Errorf("httpClient without an environment = %v, %v; want the default (nil, nil)", c, err)
	}
	srv := entratest.Start(t, nil)
	var out, errOut bytes.Buffer
	s := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, transport: srv.Client()}
	if code := run(context.Background(), s, []string{"token", "--scope", "https://management.azure.com/.default"}); code != exitFailure ||
		!strings.HasPrefix(errOut.String(), "autoidentity: no-identity: ") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
	if n := srv.EndpointRequests(entratest.TokenEndpoint); n != 0 {
		t.Errorf("%d token requests without an identity", n)
	}
}

// TestTokenTrustsSSLCertFile runs `autoidentity token` as a process with the
// environment `autoidentity emulate` prints (SSL_CERT_FILE and all), with
// HTTP/2 on and off: with GODEBUG=http2client=0 the clone of
// http.DefaultTransport has no TLS configuration, and setting its RootCAs
// crashed the process with SIGSEGV.
func TestTokenTrustsSSLCertFile(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	env, err := srv.Scenario("service-principal-secret")
	if err != nil {
		t.Fatal(err)
	}
	if env["SSL_CERT_FILE"] == "" {
		t.Fatal("the scenario names no SSL_CERT_FILE")
	}
	var vars []string
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	// Loopback only: the child has no guarded transport, so any request
	// to a host that is not loopback goes to a proxy on a closed loopback
	// port and fails (Go never proxies loopback addresses).
	vars = append(vars, "HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "NO_PROXY=")
	for _, godebug := range []string{"", "http2client=0"} {
		t.Run("GODEBUG="+godebug, func(t *testing.T) {
			t.Parallel()
			cmd := cliCommand(t, append(slices.Clone(vars), "GODEBUG="+godebug), "token", "--scope", "https://management.azure.com/.default", "--json", "--timeout", "20s")
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			kill := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
			defer kill.Stop()
			err := cmd.Wait()
			for _, c := range tokenCanaries {
				if strings.Contains(out.String()+errOut.String(), c) {
					t.Errorf("output contains the secret %q", c)
				}
			}
			if err != nil {
				t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
			}
			var rep struct {
				Kind   string `json:"kind"`
				Claims struct {
					Tid string `json:"tid"`
				} `json:"claims"`
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Kind != "service-principal-secret" || rep.Claims.Tid != entratest.DefaultTenantID {
				t.Errorf("report %+v (%v):\n%s", rep, err, out.String())
			}
		})
	}
}
