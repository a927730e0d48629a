package autherrors_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// printed returns everything a Diagnostic shows a log or a terminal: its
// methods, fmt's verbs on it and on a dereferenced copy, JSON, and slog's
// text and JSON handlers.
func printed(t *testing.T, d *autherrors.Diagnostic) map[string]string {
	t.Helper()
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	jsv, err := json.Marshal(*d)
	if err != nil {
		t.Fatal(err)
	}
	var text, jsonLog bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Error("token", "err", d, "value", *d, slog.Any("group", d))
	slog.New(slog.NewJSONHandler(&jsonLog, nil)).Error("token", "err", d, "value", *d)
	return map[string]string{
		"Error": d.Error(), "GoString": d.GoString(),
		"%v": fmt.Sprintf("%v", d), "%+v": fmt.Sprintf("%+v", d), "%#v": fmt.Sprintf("%#v", d), "%s": fmt.Sprintf("%s", d), "%q": fmt.Sprintf("%q", d),
		"value %v": fmt.Sprintf("%v", *d), "value %+v": fmt.Sprintf("%+v", *d), "value %#v": fmt.Sprintf("%#v", *d), "value %d": fmt.Sprintf("%d", *d),
		"wrapped": fmt.Sprintf("%+v", fmt.Errorf("call: %w", d)),
		"JSON":    string(js), "JSON of value": string(jsv), "slog text": text.String(), "slog JSON": jsonLog.String(),
		"fields": strings.Join([]string{string(d.Code), d.AADSTS, d.Kind, d.Summary, d.Remedy, d.Docs, d.TraceID, d.CorrelationID, d.Subject}, "\n"),
	}
}

// checkNoForms fails if any output holds any of forms.
func checkNoForms(t *testing.T, d *autherrors.Diagnostic, forms []string) {
	t.Helper()
	for where, out := range printed(t, d) {
		for _, f := range forms {
			if strings.Contains(out, f) {
				t.Errorf("%s holds %q:\n%s", where, f, out)
			}
		}
	}
}

// The echoes a hostile or broken endpoint can produce, each placing enc
// where Parse looks for something.
var placements = []struct {
	name string
	text func(enc string) string
	want autherrors.Code
}{
	{"assertion subject", func(enc string) string {
		return "AADSTS700213: No matching federated identity record found for presented assertion subject '" + enc +
			"'. Please note that the matching is done using a case-sensitive comparison. Trace ID: " + traceID
	}, autherrors.ErrFederatedIdentityMismatch},
	{"error_description", func(enc string) string {
		return `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Received: ` + enc +
			`","error_codes":[7000215],"trace_id":"` + traceID + `"}`
	}, autherrors.ErrInvalidClientSecret},
	{"trace and correlation IDs", func(enc string) string {
		return "AADSTS7000215: Invalid client secret provided. Trace ID: " + enc + " Correlation ID: " + enc +
			`{"trace_id":"` + enc + `","correlation_id":"` + enc + `"}`
	}, autherrors.ErrInvalidClientSecret},
	{"URL query", func(enc string) string {
		return "ClientSecretCredential authentication failed. POST https://login.microsoftonline.com/" + tenantID +
			"/oauth2/v2.0/token?state=" + enc + "&x=1\n--------\nRESPONSE 401: 401 Unauthorized\nAADSTS7000215: Invalid client secret provided."
	}, autherrors.ErrInvalidClientSecret},
}

// builders are the ways a Diagnostic meets the Environment that knows the
// secret: diagnosed first and then given the environment with For, as the
// credential package does, from pasted text or from an error.
var builders = []struct {
	name  string
	build func(text string, env *autherrors.Environment) *autherrors.Diagnostic
}{
	{"Parse then For", func(text string, env *autherrors.Environment) *autherrors.Diagnostic {
		return autherrors.Parse(text).For(env)
	}},
	{"Classify then For", func(text string, env *autherrors.Environment) *autherrors.Diagnostic {
		return autherrors.Classify(errors.New(text)).For(env)
	}},
}

// Finding 1 and 2: text a hostile endpoint echoes, in any encoding the
// Redactor knows and wherever Parse looks, never reaches anything a
// Diagnostic prints once the Environment's Redactor knows the secret.
func TestHostileEchoNeverPrinted(t *testing.T) {
	t.Parallel()
	github := envFrom(onGitHub, redactorCanary)
	github.GitHubRepository, github.GitHubRef, github.ClientID = "o/r", "refs/heads/main", clientID
	envs := map[string]*autherrors.Environment{
		"bare":   envFrom("", redactorCanary),
		"github": github,
	}
	// The secret inside a longer base64 value, at each byte alignment.
	inside := []encoding{}
	for _, prefix := range []string{"client:", "id:", "u:"} {
		inside = append(inside, encoding{"base64 after " + prefix, func(s string) string {
			return base64.StdEncoding.EncodeToString([]byte(prefix + s))
		}})
	}
	forms := forbidden(redactorCanary)
	for _, e := range append(encodings, inside...) {
		for _, p := range placements {
			for _, b := range builders {
				for envName, env := range envs {
					t.Run(e.name+"/"+p.name+"/"+b.name+"/"+envName, func(t *testing.T) {
						t.Parallel()
						enc := e.enc(redactorCanary)
						d := b.build(p.text(enc), env)
						if d.Code != p.want {
							t.Fatalf("Code = %s, want %s", d.Code, p.want)
						}
						checkNoForms(t, d, append(slices.Clip(forms), enc))
						if strings.HasPrefix(e.name, "base64 after") {
							blob := strings.TrimRight(enc, "=")
							prefix := len(blob)*6/8 - len(redactorCanary)
							checkNoForms(t, d, []string{coreOf(blob, prefix, len(redactorCanary))})
						}
						if p.want == autherrors.ErrFederatedIdentityMismatch {
							// Redacted or cut, never dropped silently.
							if !strings.Contains(d.Subject, autherrors.Redacted) && !strings.Contains(d.Subject, autherrors.Truncated) {
								t.Errorf("Subject = %q", d.Subject)
							}
						}
						if d.TraceID != "" && d.TraceID != traceID || d.CorrelationID != "" {
							t.Errorf("TraceID %q CorrelationID %q", d.TraceID, d.CorrelationID)
						}
					})
				}
			}
		}
	}
}

// A dereferenced Diagnostic printed by fmt or slog shows what the pointer
// shows, never its cause's text field by field.
func TestDereferencedDiagnosticHidesCause(t *testing.T) {
	t.Parallel()
	const cause = "AADSTS50076: body with the-cause-text-only"
	d := autherrors.Classify(errors.New(cause))
	for where, out := range printed(t, d) {
		if strings.Contains(out, "the-cause-text-only") {
			t.Errorf("%s prints the cause: %s", where, out)
		}
	}
	if got, want := fmt.Sprintf("%v|%s|%+v", *d, *d, *d), d.Error()+"|"+d.Error()+"|"+d.Error(); got != want {
		t.Errorf("value prints %q, want %q", got, want)
	}
	if got := fmt.Sprintf("%#v", *d); got != d.GoString() {
		t.Errorf("%%#v of the value = %q", got)
	}
	if got := fmt.Sprintf("%-12.12s|", d); got != fmt.Sprintf("%-12.12s|", d.Error()) {
		t.Errorf("width and precision lost: %q", got)
	}
}
