package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	azlog "github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// TestSecretsNeverAppear runs every kind, successful and failing, with
// canary secrets, and collects everything a program could print: error
// strings (%v, %+v, %#v), the slog selection log, azcore's log events, the
// JSON of the detect report and of each diagnostic, and the credential's
// String. No canary, issued access token or federated token may appear.
// azcore's log listener is process-wide, so the test is not parallel.
func TestSecretsNeverAppear(t *testing.T) {
	var mu sync.Mutex
	var out bytes.Buffer
	collect := func(what string, v ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&out, "--- %s\n", what)
		for _, x := range v {
			fmt.Fprintf(&out, "%v\n%+v\n%#v\n", x, x, x)
		}
	}
	azlog.SetListener(func(ev azlog.Event, msg string) { collect("azcore "+string(ev), msg) })
	defer azlog.SetListener(nil)
	var tokens []string

	srv := entratest.Start(t, nil)
	paths := fixtures(t, srv)
	pfxEnv := merge(srv.Env(), map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": paths["cert.pfx"], "AZURE_CLIENT_CERTIFICATE_PASSWORD": certPassword})
	wrongPFX := merge(pfxEnv, map[string]string{"AZURE_CLIENT_CERTIFICATE_PASSWORD": "x" + certPassword})
	type run struct {
		name  string
		env   map[string]string
		fault *entratest.Fault
		kind  *kind // to set the process environment for
	}
	var runs []run
	for _, k := range kinds {
		env, err := srv.Scenario(k.scenario)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run{name: k.name, env: env, kind: &k},
			run{name: k.name + " failing", env: env, kind: &k, fault: &entratest.Fault{Endpoint: k.endpoint, Status: 401}})
	}
	runs = append(runs,
		run{name: "pkcs12 with password", env: pfxEnv},
		run{name: "pkcs12 wrong password", env: wrongPFX},
		run{name: "ropc-mfa", env: mustScenario(t, srv, "ropc-mfa")},
		run{name: "ropc-mfa-with-secret", env: mustScenario(t, srv, "ropc-mfa-with-secret")},
		run{name: "expired-secret", env: mustScenario(t, srv, "expired-secret")},
		run{name: "secret rejected by CA policy", env: srv.ServicePrincipalSecretEnv(), fault: &entratest.Fault{Endpoint: entratest.TokenEndpoint, Code: entratest.CodeConditionalAccessBlocked}},
		run{name: "github oidc endpoint fails", env: srv.GitHubActionsEnv(), fault: &entratest.Fault{Endpoint: entratest.GitHubOIDC, MalformedJSON: true}},
	)
	for i, r := range runs {
		srv.ClearFaults()
		if r.kind != nil {
			envFor(t, srv, *r.kind)
		}
		if r.fault != nil {
			if err := srv.Inject(*r.fault); err != nil {
				t.Fatal(err)
			}
		}
		collect(r.name+" detect", jsonOf(detect.Detect(detect.MapEnv(r.env), nil)))
		var log bytes.Buffer
		c, err := credential.New(&credential.Options{Env: detect.MapEnv(r.env), ClientOptions: srv.ClientOptions(),
			Logger: slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		collect(r.name+" slog", log.String())
		if err != nil {
			collect(r.name+" New error", err, jsonOf(err))
			continue
		}
		collect(r.name+" credential", c, c.String(), jsonOf(c.Selection()))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		resource := strings.TrimSuffix(uniqueScope(t, srv), "/.default") + fmt.Sprint(i)
		srv.AddResource(resource)
		tok, err := c.GetToken(ctx, scopes(resource+"/.default"))
		cancel()
		if err != nil {
			collect(r.name+" GetToken error", err, jsonOf(err))
		} else {
			tokens = append(tokens, tok.Token)
		}
		c.Close()
	}
	if len(tokens) < len(kinds) {
		t.Fatalf("only %d runs got a token; every kind should have", len(tokens))
	}
	// Federated tokens the emulator wrote or handed out.
	for _, name := range []string{"azure-identity-token"} {
		if b, err := os.ReadFile(filepath.Join(srv.Dir(), name)); err == nil {
			tokens = append(tokens, strings.TrimSpace(string(b)))
		}
	}
	mu.Lock()
	text := out.String()
	mu.Unlock()
	if !strings.Contains(text, "azcore ") {
		t.Error("no azcore log event was collected")
	}
	assertNoCanaries(t, "collected output", text, tokens...)
	if strings.Contains(text, "Bearer ") && !strings.Contains(text, "REDACTED") {
		t.Error("a bearer header was logged unredacted")
	}
	t.Logf("checked %d bytes of output from %d runs against %d canaries and %d tokens", len(text), len(runs), len(canaries), len(tokens))
}

func mustScenario(t *testing.T, srv *entratest.Server, name string) map[string]string {
	t.Helper()
	env, err := srv.Scenario(name)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// jsonOf is what a JSON report of v prints; a *autherrors.Diagnostic inside
// an error is marshalled as itself.
func jsonOf(v any) string {
	if err, ok := v.(error); ok {
		if d := autherrors.Classify(err); d != nil {
			v = d
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "json: " + err.Error()
	}
	return string(b)
}
