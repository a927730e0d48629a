package autherrors_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// The canaries are secrets planted in fuzz input with the markers a
// credential leaks with; none may reach a diagnostic.
const (
	fuzzSecret = "Fz9Q~canarySecretValue0123456789abcdefgh"
	fuzzJWT    = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYW5hcnkifQ.Y2FuYXJ5c2ln"
)

func fuzzSeeds(f *testing.F) {
	f.Add("AADSTS50076: Due to a configuration change ... multi-factor authentication", "client_secret=")
	f.Add("AADSTS70002: Error validating credentials. AADSTS50126: Invalid username or password", "password=")
	f.Add("Error: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:o/r:ref:refs/heads/main'.", "client_assertion=")
	f.Add("Interactive authentication is needed. Please run:\naz login", "access_token: ")
	f.Add(`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret","error_codes":[7000215]}`, `"client_secret":"`)
	f.Add("autoidentity: mfa-required: x. Fix: y", "Bearer ")
	f.Add("", "")
}

func checkNoCanary(t *testing.T, d *autherrors.Diagnostic) {
	t.Helper()
	if d == nil {
		return
	}
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{d.Error(), string(js), d.GoString()} {
		if strings.Contains(out, fuzzSecret) || strings.Contains(out, fuzzJWT) {
			t.Fatalf("canary secret in output: %s", out)
		}
	}
}

func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, text, marker string) {
		env := &autherrors.Environment{Platform: autherrors.PlatformGitHubActions, GitHubRepository: "o/r", GitHubRef: "refs/heads/main"}
		for _, in := range []string{text, text + " " + marker + fuzzSecret + " " + fuzzJWT, fuzzJWT + text} {
			checkNoCanary(t, autherrors.Parse(in))
			checkNoCanary(t, autherrors.ParseIn(in, env))
		}
	})
}

func FuzzClassify(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, text, marker string) {
		err := errors.New(text + " " + marker + fuzzSecret + " bearer " + fuzzJWT)
		d := autherrors.Classify(err)
		checkNoCanary(t, d)
		if !errors.Is(d, err) {
			t.Fatal("cause lost")
		}
	})
}

func BenchmarkParse(b *testing.B) {
	var large string
	for _, e := range loadCorpus(b) {
		if strings.Contains(e.Text, "RESPONSE 401") {
			large = e.Text
		}
	}
	// A large azidentity error: the real shape padded with a long chain.
	large = strings.Repeat("DefaultAzureCredential: attempted credential failed with a long message.\n", 40) + large
	b.SetBytes(int64(len(large)))
	b.ReportAllocs()
	for b.Loop() {
		if d := autherrors.Parse(large); d.Code != autherrors.ErrInvalidClientSecret {
			b.Fatal(d.Code)
		}
	}
}
