package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
)

// canaries are the emulator's secret values; none may ever be printed.
var canaries = []string{
	entratest.DefaultClientSecret, entratest.ExpiredClientSecret, entratest.DefaultPassword,
	entratest.ActionsRequestToken, entratest.SystemAccessToken, entratest.IdentityHeader,
}

// TestDemo runs the demo as `go run ./examples/demo` does and checks the
// structure of what it prints (not the exact text: times, ports and
// thumbprints vary).
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	if code := run(ctx, &out); code != 0 {
		t.Fatalf("run = %d, want 0; output:\n%s", code, out.String())
	}
	text := out.String()
	for _, c := range canaries {
		if strings.Contains(text, c) {
			t.Errorf("the output contains the canary secret %q", c)
		}
	}
	if strings.Contains(text, "eyJ") {
		t.Errorf("the output contains something shaped like a JWT")
	}
	if strings.Contains(text, "✗") || strings.Contains(text, "NOT AS SHOWN") {
		t.Errorf("a step is marked as failed:\n%s", text)
	}

	blocks := strings.Split(text, "\n\n")
	if len(blocks) != len(steps)+2 {
		t.Fatalf("got %d blocks, want a header, %d steps and a verdict:\n%s", len(blocks), len(steps), text)
	}
	if !strings.HasPrefix(blocks[0], "autoidentity demo: 9 steps against the entratest emulator at https://127.0.0.1:") {
		t.Errorf("header = %q", blocks[0])
	}
	if v := blocks[len(blocks)-1]; !strings.HasPrefix(v, "OK: all 9 steps behaved as shown") {
		t.Errorf("verdict = %q", v)
	}
	for i, st := range steps {
		b := blocks[i+1]
		title := "✓ " + string(rune('1'+i)) + ". " + st.title + "\n"
		if !strings.HasPrefix(b, title) {
			t.Errorf("step %d starts %q, want %q", i+1, firstLine(b), title)
		}
		var want []string
		switch st.scenario {
		case "ropc-mfa":
			want = []string{"refused  ", "user-password (AZURE_USERNAME, AZURE_PASSWORD)", "diagnosis  ", "user-identity-refused",
				"AADSTS50076 → mfa-required", "password grants sent  0"}
		case "ropc-mfa-with-secret":
			want = []string{"detected  ", "service-principal-secret", "user-password (AZURE_USERNAME, AZURE_PASSWORD) [user-identity-refused]",
				"idtyp  ", " app\n", "password grants sent  0"}
		case "expired-secret":
			want = []string{"detected  ", "client-secret-expired (AADSTS7000222)", "fix  ", "az ad app credential reset",
				"*azidentity.AuthenticationFailedError (HTTP 401)"}
		default:
			want = []string{"detected  ", " " + string(st.kind), "evidence  ", "token  ", "acquired for https://management.azure.com/.default",
				"aud  ", "https://management.azure.com", "tid  ", entratest.DefaultTenantID, "appid  ", st.appID, "idtyp  ", " app\n", "roles  "}
		}
		for _, w := range want {
			if !strings.Contains(b, w) {
				t.Errorf("step %d (%s) lacks %q:\n%s", i+1, st.scenario, w, b)
			}
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", text)
	}
}

// TestStepMismatchFails checks the demo's self-check: a step whose
// expectation is wrong is marked ✗ and the demo exits 1.
func TestStepMismatchFails(t *testing.T) {
	srv := entratest.Start(t, nil)
	wrong := steps[0]
	wrong.kind = detect.WorkloadIdentity
	var out bytes.Buffer
	if code := runSteps(context.Background(), &out, srv, []step{steps[0], wrong}, time.Now()); code != 1 {
		t.Fatalf("runSteps = %d, want 1; output:\n%s", code, out.String())
	}
	text := out.String()
	for _, w := range []string{"✓ 1. ", "✗ 2. ", "✗ NOT AS SHOWN", "want workload-identity", "FAIL: 1 of 2 steps did not behave as shown"} {
		if !strings.Contains(text, w) {
			t.Errorf("output lacks %q:\n%s", w, text)
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
