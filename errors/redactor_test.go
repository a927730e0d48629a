package autherrors_test

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// encoding is a form in which a service or a log may echo a secret.
type encoding struct {
	name string
	enc  func(string) string
}

func b64(e *base64.Encoding) func(string) string {
	return func(s string) string { return e.EncodeToString([]byte(s)) }
}

func jsonInner(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// encodings are the forms Redactor.Add registers, each applied to the
// whole secret.
var encodings = []encoding{
	{"literal", func(s string) string { return s }},
	{"base64", b64(base64.StdEncoding)},
	{"base64 raw", b64(base64.RawStdEncoding)},
	{"base64url", b64(base64.URLEncoding)},
	{"base64url raw", b64(base64.RawURLEncoding)},
	{"query escape", url.QueryEscape},
	{"path escape", url.PathEscape},
	{"JSON string", jsonInner},
	{"JSON string without HTML escapes", func(s string) string {
		return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(jsonInner(s))
	}},
	{"hex", func(s string) string { return hex.EncodeToString([]byte(s)) }},
	{"HEX", func(s string) string { return strings.ToUpper(hex.EncodeToString([]byte(s))) }},
}

// forbidden returns every form of secret that must not be printed: each
// encoding, and each of those as Go and JSON quoting print it.
func forbidden(secret string) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range encodings {
		f := e.enc(secret)
		q := strconv.Quote(f)
		for _, s := range []string{f, q[1 : len(q)-1], jsonInner(f)} {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// coreOf returns the characters of blob, the base64 of prefix+secret+...,
// that encode bits of the secret only.
func coreOf(blob string, prefix, secret int) string {
	return blob[(8*prefix+5)/6 : 8*(prefix+secret)/6]
}

const redactorCanary = `cAn4ry "S3cr/t+K&y<=>?" \ü~end`

func TestRedactorMasksEncodings(t *testing.T) {
	t.Parallel()
	var r autherrors.Redactor
	r.Add(redactorCanary)
	for _, e := range encodings {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			out := r.Redact("before " + e.enc(redactorCanary) + " after")
			if !strings.HasPrefix(out, "before ") || !strings.HasSuffix(out, " after") || !strings.Contains(out, autherrors.Redacted) {
				t.Errorf("Redact = %q", out)
			}
			for _, f := range forbidden(redactorCanary) {
				if strings.Contains(out, f) {
					t.Errorf("Redact = %q, still holds %q", out, f)
				}
			}
		})
	}
}

// A secret base64-encoded inside a longer value (a Basic authorization
// header encodes "client-id:secret") is masked at every byte alignment, in
// both alphabets, padded or not.
func TestRedactorMasksBase64Inside(t *testing.T) {
	t.Parallel()
	var r autherrors.Redactor
	r.Add(redactorCanary)
	for _, e := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		for _, prefix := range []string{"", "u:", "id:", "client:", "00001111-aaaa:"} {
			for _, suffix := range []string{"", "x", "\n", "::"} {
				blob := e.EncodeToString([]byte(prefix + redactorCanary + suffix))
				core := coreOf(blob, len(prefix), len(redactorCanary))
				out := r.Redact("Authorization: Token " + blob)
				kept := len(strings.ReplaceAll(out, autherrors.Redacted, "")) - len("Authorization: Token ")
				if strings.Contains(out, core) || kept > len(blob)-len(core) {
					t.Errorf("prefix %q suffix %q: Redact(%q) = %q keeps %d characters", prefix, suffix, blob, out, kept)
				}
			}
		}
	}
}

func TestRedactorShortValues(t *testing.T) {
	t.Parallel()
	var r autherrors.Redactor
	r.Add("short", "  12345  ", "", "\tabc\n")
	// Neither the values nor their encodings, even those of 6 bytes or
	// more (base64 "c2hvcnQ=", hex "73686f7274"), are masked.
	const text = "short 12345 abc c2hvcnQ= 73686f7274 MTIzNDU="
	if got := r.Redact(text); got != text {
		t.Errorf("Redact = %q, want it unchanged", got)
	}
	r.Add(" sixsix ")
	if got := r.Redact("sixsix c2l4c2l4 736978736978"); got != "[REDACTED] [REDACTED] [REDACTED]" {
		t.Errorf("Redact = %q", got)
	}
}

// Overlapping occurrences of two values are masked as one span: masking
// one first must not leave the rest of the other.
func TestRedactorOverlap(t *testing.T) {
	t.Parallel()
	var r autherrors.Redactor
	r.Add("AAAAAAxyz123", "xyz123BBBBBB")
	for text, want := range map[string]string{
		"<AAAAAAxyz123BBBBBB>":   "<[REDACTED]>",
		"<xyz123BBBBBBAAAAAA>":   "<[REDACTED]AAAAAA>",
		"<AAAAAAxyz123><xyz123>": "<[REDACTED]><xyz123>",
	} {
		if got := r.Redact(text); got != want {
			t.Errorf("Redact(%q) = %q, want %q", text, got, want)
		}
	}
}

// The patterns of Redact still apply, with or without registered values.
func TestRedactorKeepsPatterns(t *testing.T) {
	t.Parallel()
	var nilR *autherrors.Redactor
	var r autherrors.Redactor
	r.Add("registered-value")
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	text := "client_secret=abc&x=1 Bearer " + jwt + " registered-value abc8Q~" + strings.Repeat("x", 34)
	for _, got := range []string{nilR.Redact(text), r.Redact(text), autherrors.Redact(text)} {
		if strings.Contains(got, "abc&") || strings.Contains(got, "eyJ") || strings.Contains(got, "8Q~") || !strings.Contains(got, "client_secret=[REDACTED]&x=1") {
			t.Errorf("Redact = %q", got)
		}
	}
	if got := r.Redact(text); strings.Contains(got, "registered-value") {
		t.Errorf("Redact = %q", got)
	}
}

// BenchmarkRedactorRedact masks 4 registered secrets (a client secret, a
// certificate password, an OIDC request token, a key) in 4 KiB of an
// azidentity-shaped error, against Redact's patterns alone.
func BenchmarkRedactorRedact(b *testing.B) {
	secrets := []string{"abc8Q~" + strings.Repeat("k", 34), "cert-password-16", strings.Repeat("eyJ0eXAiOiJKV1Qi", 50), hex.EncodeToString([]byte("0123456789abcdef"))}
	var r autherrors.Redactor
	r.Add(secrets...)
	line := "ClientSecretCredential authentication failed. POST https://login.microsoftonline.com/t/oauth2/v2.0/token\nRESPONSE 401: 401 Unauthorized\n"
	echo := "Authorization: Token " + base64.StdEncoding.EncodeToString([]byte("id:"+secrets[0])) + " pfx=" + url.QueryEscape(secrets[1]) + "\n"
	fill := func(n int) string { return strings.Repeat(line, n/len(line)+1)[:n] }
	half := (4096 - len(echo)) / 2
	text := fill(half) + echo + fill(4096-len(echo)-half)
	if len(text) != 4096 || strings.Contains(r.Redact(text), "cert-password") {
		b.Fatal("bad fixture")
	}
	clean := strings.ReplaceAll(text, echo, strings.Repeat(" ", len(echo)))
	for _, bc := range []struct {
		name   string
		text   string
		redact func(string) string
	}{
		{"4 secrets, 2 echoed", text, r.Redact},
		{"4 secrets, none echoed", clean, r.Redact},
		{"patterns only", text, autherrors.Redact},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				bc.redact(bc.text)
			}
		})
	}
}

func TestRedactorConcurrent(t *testing.T) {
	t.Parallel()
	var r autherrors.Redactor
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			secret := fmt.Sprintf("secret-number-%d", i)
			r.Add(secret)
			for range 50 {
				if got := r.Redact("x " + secret + " y"); got != "x [REDACTED] y" {
					t.Errorf("Redact = %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
}
