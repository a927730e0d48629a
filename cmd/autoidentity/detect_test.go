package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

const detectCanary = "CANARY-detect-s3cr3t"

func runDetectTest(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	s := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	code := run(context.Background(), s, append([]string{"detect"}, args...))
	return code, out.String(), errOut.String()
}

var (
	ghEnv = map[string]string{
		"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "contoso/api", "RUNNER_OS": "Linux", "HOME": "/home/runner",
		"ACTIONS_ID_TOKEN_REQUEST_URL":   "https://pipelines.actions.githubusercontent.com/abc/_apis/distributedtask/hubs/Actions/plans/1/jobs/2/idtoken?api-version=2.0",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": detectCanary, "ACTIONS_RUNTIME_TOKEN": detectCanary,
		"AZURE_CLIENT_ID": "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b", "AZURE_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47",
		"AZURE_CLIENT_SECRET": "",
	}
	appServiceEnv = map[string]string{
		"WEBSITE_SITE_NAME": "contoso-api", "WEBSITE_SKU": "PremiumV3", "PORT": "8080",
		"IDENTITY_ENDPOINT": "http://169.254.129.3:8081/msi/token", "IDENTITY_HEADER": detectCanary,
		"MSI_ENDPOINT": "http://169.254.129.3:8081/msi/token", "MSI_SECRET": detectCanary,
		"AZURE_CLIENT_ID": "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", "ARM_CLIENT_SECRET": detectCanary,
	}
	refusedEnv = map[string]string{
		"ACC_CLOUD": "AzureCloud", "AZUREPS_HOST_ENVIRONMENT": "cloud-shell/1.0", "HOME": "/home/alice",
		"MSI_ENDPOINT":   "http://localhost:50342/oauth2/token",
		"AZURE_USERNAME": "alice@contoso.com", "AZURE_PASSWORD": detectCanary,
		"AZURE_TENANT_ID": "common", "AZURE_CLIENT_ID": "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b", "AZURE_CLIENT_SECRET": detectCanary + "\n",
		"azure_client_secret": detectCanary,
	}
)

// volatile masks what changes between runs: the loopback port and the
// probe's latency.
var volatile = regexp.MustCompile(`127\.0\.0\.1:\d+|in \d[\d.]*[µnm]?s|"latency_ns": \d+`)

func normalize(s string) string {
	return volatile.ReplaceAllStringFunc(s, func(m string) string {
		switch {
		case strings.HasPrefix(m, "127."):
			return "127.0.0.1:PORT"
		case strings.HasPrefix(m, "in "):
			return "in LATENCY"
		}
		return `"latency_ns": LATENCY`
	})
}

func TestDetectCommand(t *testing.T) {
	t.Parallel()
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Metadata") != "true" || r.URL.Query().Get("resource") == "" {
			t.Errorf("probe request %s %v", r.URL, r.Header)
		}
		_, _ = w.Write([]byte(`{"access_token":"` + detectCanary + `","token_type":"Bearer"}`))
	}))
	t.Cleanup(imds.Close)
	vmEnv := map[string]string{"HOME": "/home/azureuser", "KUBERNETES_SERVICE_HOST": "10.0.0.1",
		"AUTOIDENTITY_IMDS_ENDPOINT": imds.URL + "/metadata/identity/oauth2/token"}

	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		exit int
	}{
		{"github", ghEnv, nil, exitOK},
		{"github_json", ghEnv, []string{"--json"}, exitOK},
		{"app_service", appServiceEnv, nil, exitOK},
		{"app_service_json", appServiceEnv, []string{"--json"}, exitOK},
		{"refused", refusedEnv, nil, exitFailure},
		{"refused_json", refusedEnv, []string{"--json"}, exitFailure},
		{"probe", vmEnv, []string{"--probe"}, exitOK},
		{"probe_json", vmEnv, []string{"--json", "--probe"}, exitOK},
		{"dev_refused", map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev"}, nil, exitFailure},
		{"dev_allowed", map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev"}, []string{"--allow-developer-tools"}, exitOK},
		{"empty", map[string]string{}, nil, exitFailure},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runDetectTest(t, tc.env, tc.args...)
			if code != tc.exit {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.exit, errOut)
			}
			if strings.Contains(out+errOut, detectCanary) {
				t.Errorf("output contains a secret:\n%s%s", out, errOut)
			}
			if strings.HasSuffix(tc.name, "_json") {
				var m map[string]any
				if err := json.Unmarshal([]byte(out), &m); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, out)
				}
				for _, k := range []string{"kind", "evidence", "skipped", "refused", "warnings", "incomplete", "errors"} {
					if _, ok := m[k]; !ok {
						t.Errorf("JSON lacks %q", k)
					}
				}
			}
			golden(t, "detect_"+tc.name+".golden", normalize(out))
		})
	}
}

func TestDetectCommandUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args           []string
		exit           int
		stdout, stderr string // substrings; "" means the stream is empty
	}{
		{[]string{"--help"}, exitOK, "usage: autoidentity detect", ""},
		{[]string{"-h"}, exitOK, "--probe", ""},
		{[]string{"--nope"}, exitUsage, "", "autoidentity detect: flag provided but not defined: -nope\nusage: autoidentity detect"},
		{[]string{"extra"}, exitUsage, "", `autoidentity detect: unexpected argument "extra"`},
	} {
		code, out, errOut := runDetectTest(t, ghEnv, tc.args...)
		if code != tc.exit || !contains(out, tc.stdout) || !contains(errOut, tc.stderr) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
}

// contains reports whether s contains sub, or, for sub "", whether s is empty.
func contains(s, sub string) bool {
	if sub == "" {
		return s == ""
	}
	return strings.Contains(s, sub)
}

// TestDetectNilLookupEnv: streams without an environment read an empty one
// (not the process's) instead of panicking.
func TestDetectNilLookupEnv(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	s := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	if code := run(context.Background(), s, []string{"detect"}); code != exitFailure ||
		!strings.HasPrefix(out.String(), "autoidentity: no non-interactive identity selected [no-identity]\n") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}
