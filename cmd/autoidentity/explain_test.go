package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func runExplainTest(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	s := &streams{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	code := run(context.Background(), s, append([]string{"explain"}, args...))
	return code, out.String(), errOut.String()
}

func TestExplain(t *testing.T) {
	t.Parallel()
	const fic = "Error: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:contoso/app:environment:prod'. Trace ID: 8eea681d-a1eb-487d-9be7-d61225177f00"
	gh := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "contoso/app", "GITHUB_REF": "refs/heads/main",
		"AZURE_CLIENT_ID": "00001111-aaaa-2222-bbbb-3333cccc4444", "AZURE_CLIENT_SECRET": "must-not-matter"}
	for _, tc := range []struct {
		name     string
		stdin    string
		env      map[string]string
		args     []string
		exit     int
		contains []string
	}{
		{"args, human", "", nil, []string{"AADSTS50076:", "you", "must", "use", "multi-factor", "authentication"}, exitFailure,
			[]string{"code:", "mfa-required", "AADSTS50076", "remedy:", "docs:"}},
		{"stdin, json, github", fic, gh, []string{"--json"}, exitFailure,
			[]string{`"code": "federated-identity-mismatch"`, `"aadsts": "AADSTS700213"`, "az ad app federated-credential create --id 00001111-aaaa-2222-bbbb-3333cccc4444",
				`repo:contoso/app:environment:prod`, `"docs": "https://`}},
		{"mfa phrase in github actions", "Interactive authentication is needed. Please run:\naz login", gh, nil, exitFailure,
			[]string{"mfa-required", "id-token: write", "repo:contoso/app:ref:refs/heads/main"}},
		{"authorization is not mfa", "AuthorizationFailed: The client 'x' with object id 'y' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/z'.", nil, nil, exitFailure,
			[]string{"authorization-failed"}},
		{"all, two failures in a log", "step 1\nERROR: AADSTS7000215: Invalid client secret provided.\n\nHTTPSConnectionPool(host='login.microsoftonline.com', port=443): Max retries exceeded with url: /common/oauth2/token\nERROR: AADSTS7000215: Invalid client secret provided.\n", nil, []string{"--all"}, exitFailure, // a log's text: explained, never sent
			[]string{"invalid-client-secret", "AADSTS7000215", "\n\ncode:", "network"}},
		{"all, json", "ERROR: AADSTS50076: you must use multi-factor authentication\n", nil, []string{"--all", "--json"}, exitFailure,
			[]string{"[\n", `"code": "mfa-required"`}},
		{"help", "", nil, []string{"--help"}, exitOK, []string{"usage: autoidentity explain"}},
		{"empty", "  \n", nil, nil, exitUsage, nil},
		{"bad flag", "", nil, []string{"--nope"}, exitUsage, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runExplainTest(t, tc.stdin, tc.env, tc.args...)
			if code != tc.exit {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.exit, errOut)
			}
			for _, want := range tc.contains {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out+errOut, "must-not-matter") {
				t.Error("secret variable printed")
			}
			if tc.exit == exitUsage && !strings.Contains(errOut, "usage:") {
				t.Errorf("usage error without usage: %s", errOut)
			}
		})
	}
}

func TestExplainJSONShape(t *testing.T) {
	t.Parallel()
	_, out, _ := runExplainTest(t, "", nil, "--json", "AADSTS7000222: The provided client secret keys are expired. client_secret=hunter2hunter2")
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"code", "aadsts", "summary", "remedy", "docs"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if m["code"] != "client-secret-expired" || strings.Contains(out, "hunter2hunter2") {
		t.Errorf("unexpected output: %s", out)
	}
}

// azidentityExpired is how azidentity reports an expired client secret:
// the credential type, the HTTP status and the AADSTS code.
const azidentityExpired = `ClientSecretCredential: authentication failed. POST https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token
--------------------------------------------------------------------------------
RESPONSE 401: 401 Unauthorized
--------------------------------------------------------------------------------
{"error":"invalid_client","error_description":"AADSTS7000222: The provided client secret keys for app '9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b' are expired. Trace ID: 8eea681d-a1eb-487d-9be7-d61225177f00 Correlation ID: 3c0a1b2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}`

// spEnv configures a service principal with a secret: explain reports its
// kind and client ID, as a credential built there would.
var spEnv = map[string]string{"AZURE_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47",
	"AZURE_CLIENT_ID": "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b", "AZURE_CLIENT_SECRET": "must-not-matter"}

// TestExplainTextShowsTheJSONFields: every field the JSON output has, the
// text output shows, with the same value (kind and the HTTP status
// included).
func TestExplainTextShowsTheJSONFields(t *testing.T) {
	t.Parallel()
	labels := map[string]string{"code": "code", "aadsts": "AADSTS", "kind": "kind", "summary": "summary", "remedy": "remedy", "docs": "docs",
		"status": "HTTP status", "subject": "subject", "trace_id": "trace ID", "correlation_id": "correlation ID"}
	for _, env := range []map[string]string{nil, spEnv} {
		for _, text := range []string{
			azidentityExpired,
			azureCLIMFA,
			"ManagedIdentityCredential: no response from the IMDS endpoint",
			"Error: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:contoso/app:environment:prod'. Trace ID: 8eea681d-a1eb-487d-9be7-d61225177f00",
		} {
			_, out, _ := runExplainTest(t, text, env)
			_, js, _ := runExplainTest(t, text, env, "--json")
			var m map[string]any
			if err := json.Unmarshal([]byte(js), &m); err != nil {
				t.Fatalf("%v\n%s", err, js)
			}
			rows := strings.Count(out, "\n")
			for k, v := range m {
				label, ok := labels[k]
				if !ok {
					t.Errorf("JSON field %q has no row in the text output", k)
					continue
				}
				if v = fmt.Sprint(v); v == "" {
					continue
				}
				rows--
				if want := fmt.Sprintf("%-15s %s\n", label+":", v); !strings.Contains(out, want) {
					t.Errorf("text output lacks %q:\n%s", want, out)
				}
			}
			if rows != 0 {
				t.Errorf("the text output has %d rows the JSON does not:\n%s\n%s", rows, out, js)
			}
			if (env != nil) != (m["kind"] == "service-principal-secret") || strings.Contains(out+js, "must-not-matter") {
				t.Errorf("environment %v: kind %v, want it to be the selected kind:\n%s", env, m["kind"], out)
			}
		}
	}
	_, out, _ := runExplainTest(t, azidentityExpired, spEnv)
	golden(t, "explain_kind.golden", out)
}
