package autherrors_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

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
		env := &autherrors.Environment{GitHubRepository: "o/r", GitHubRef: "refs/heads/main"}
		for _, in := range []string{text, text + " " + marker + fuzzSecret + " " + fuzzJWT, fuzzJWT + text} {
			checkNoCanary(t, autherrors.Parse(in))
			checkNoCanary(t, autherrors.Parse(in).For(env))
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

// fuzzableSecret reports whether s is a secret the fuzzers plant: printable,
// 6 bytes or more, and as Redactor.Add keeps it (no surrounding space).
func fuzzableSecret(s string) bool {
	if len(s) < 6 || strings.TrimSpace(s) != s || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// unmasked returns out with each [REDACTED] replaced by a NUL, which no
// encoding of a printable secret contains: a form found in the result lies
// wholly in text the Redactor left, so it was not masked.
func unmasked(out string) string {
	return strings.ReplaceAll(out, autherrors.Redacted, "\x00")
}

// Finding 2: a secret in any encoding the Redactor registers, anywhere in
// any text, is masked; base64-encoded inside a longer value, every
// character that encodes only the secret is masked.
func FuzzRedactor(f *testing.F) {
	f.Add("hunter2-but-longer", "before ", " after", uint8(0))
	f.Add(`p@ss "word" <&> ü`, "client_id:", "", uint8(5))
	f.Add("0123456789abcdef", "", "\n", uint8(len(encodings)))
	f.Add("c2VjcmV0", "xx", "yy", uint8(len(encodings)+1))
	f.Fuzz(func(t *testing.T, secret, before, after string, which uint8) {
		if !fuzzableSecret(secret) {
			t.Skip()
		}
		var r autherrors.Redactor
		r.Add(secret)
		if int(which)%(len(encodings)+1) < len(encodings) {
			enc := encodings[int(which)%len(encodings)].enc(secret)
			out := unmasked(r.Redact(before + enc + after))
			if strings.Contains(out, enc) || strings.Contains(out, secret) {
				t.Fatalf("Redact(%q) = %q", before+enc+after, out)
			}
			return
		}
		e := []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding}[int(which)/8%4]
		blob := e.EncodeToString([]byte(before + secret + after))
		core := coreOf(blob, len(before), len(secret))
		out := r.Redact(blob)
		if kept := len(strings.ReplaceAll(out, autherrors.Redacted, "")); strings.Contains(unmasked(out), core) || kept > len(blob)-len(core) {
			t.Fatalf("Redact(%q) = %q keeps %d characters; core %q", blob, out, kept, core)
		}
	})
}

// Finding 1: whatever surrounds it, a registered secret echoed as the
// assertion subject, in any encoding, is neither printed nor left half
// before a cut, in one step or two.
func FuzzSubjectEcho(f *testing.F) {
	f.Add("hunter2-but-longer", "repo:o/r:", "", uint8(0))
	f.Add("correct horse battery", strings.Repeat("a", 240), "", uint8(0))
	f.Add("Kx9-secret-value", strings.Repeat("b", 236), "x", uint8(1))
	f.Fuzz(func(t *testing.T, secret, before, after string, which uint8) {
		if !fuzzableSecret(secret) {
			t.Skip()
		}
		enc := encodings[int(which)%len(encodings)].enc(secret)
		env := &autherrors.Environment{}
		env.AddSecrets(secret)
		text := "AADSTS700213: presented assertion subject '" + before + enc + after + "'."
		for _, d := range []*autherrors.Diagnostic{autherrors.Parse(text).For(env), autherrors.Parse(text).For(env).For(env)} {
			js, _ := json.Marshal(d)
			for _, out := range []string{d.Error(), d.GoString(), string(js), d.Subject} {
				if o := unmasked(out); strings.Contains(o, enc) || strings.Contains(o, secret) {
					t.Fatalf("%q holds the secret (%q)", out, enc)
				}
			}
			if kept, cut := strings.CutSuffix(d.Subject, autherrors.Truncated); cut {
				for k := 1; k < len(enc); k++ {
					if strings.HasSuffix(kept, enc[:k]) {
						t.Fatalf("Subject %q ends with %q, the beginning of %q", d.Subject, enc[:k], enc)
					}
				}
			}
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
