package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

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
	if n := srv.PasswordGrants(); n != 0 {
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
