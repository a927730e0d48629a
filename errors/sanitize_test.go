package autherrors_test

import (
	"encoding/base64"
	"errors"
	"net"
	"strings"
	"testing"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

const mib = 1 << 20

func checkCaps(t *testing.T, d *autherrors.Diagnostic) {
	t.Helper()
	if len(d.Subject) > autherrors.MaxSubjectLen {
		t.Errorf("Subject is %d bytes", len(d.Subject))
	}
	for _, f := range []string{d.AADSTS, d.Kind, d.Summary, d.Remedy, d.Docs, d.TraceID, d.CorrelationID} {
		if len(f) > autherrors.MaxFieldLen {
			t.Errorf("a field is %d bytes: %.80s…", len(f), f)
		}
	}
	if n := len(d.Error()); n > 3*autherrors.MaxFieldLen {
		t.Errorf("Error() is %d bytes", n)
	}
}

// Finding 1: a megabyte quoted by a response, or by a Go error, is capped.
func TestHugeQuotesAreCapped(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("a", mib)
	subject := func(d *autherrors.Diagnostic) string { return d.Subject }
	summary := func(d *autherrors.Diagnostic) string { return d.Summary }
	for _, tc := range []struct {
		name string
		err  error
		cut  func(*autherrors.Diagnostic) string // the field that quotes it
	}{
		{"subject", errors.New("AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:" + huge + "'."), subject},
		{"unterminated subject", errors.New("AADSTS700213: presented assertion subject 'repo:" + huge), subject},
		{"error_description", errors.New(`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. ` + huge + `","error_codes":[7000215]}`), nil},
		{"DNS name", &net.DNSError{Err: "no such host", Name: huge + ".example", IsNotFound: true}, summary},
		{"DNS message", &net.DNSError{Err: huge, Name: "login.microsoftonline.com"}, summary}, // a value in an error; nothing is dialled (loopback only)
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := envFrom(onAKS, "some-registered-secret")
			for _, d := range []*autherrors.Diagnostic{autherrors.Classify(tc.err), autherrors.Classify(tc.err).For(env)} {
				checkCaps(t, d)
				if tc.cut != nil {
					if f := tc.cut(d); !strings.HasSuffix(f, autherrors.Truncated) || !strings.Contains(f, "aaaa") {
						t.Errorf("field = %.100q, want it cut, not dropped", f)
					}
				}
				if d.Subject != "" && strings.Contains(d.Remedy, "aaaa") {
					t.Errorf("the remedy quotes a cut subject: %.200s", d.Remedy)
				}
			}
			checkCaps(t, autherrors.Parse(tc.err.Error()))
		})
	}
}

// Finding 1: a subject that is not plausible is cut where it stops being
// one and marked, never dropped, and the remedy does not quote it.
func TestImplausibleSubjectIsCut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ quoted, want string }{
		{"repo:o/r:ref:refs/heads/main", "repo:o/r:ref:refs/heads/main"},
		{"sc://org/My Project/conn", "sc://org/My" + autherrors.Truncated},
		{"repo:o/r\x1b[31m:ref:x", "repo:o/r" + autherrors.Truncated},
		{"repo:o/r\ninjected line", "repo:o/r" + autherrors.Truncated},
		{"repo:o/ré", "repo:o/r" + autherrors.Truncated},
		{"***", autherrors.Truncated}, // GitHub's own mask
		{"repo:" + strings.Repeat("x", 300), "repo:" + strings.Repeat("x", autherrors.MaxSubjectLen-len(autherrors.Truncated)-len("repo:")) + autherrors.Truncated},
	} {
		text := "AADSTS700213: No matching federated identity record found for presented assertion subject '" + tc.quoted + "'."
		d := autherrors.Parse(text)
		if d.Subject != tc.want {
			t.Errorf("Subject of %q = %q, want %q", tc.quoted, d.Subject, tc.want)
		}
		if quoted := strings.Contains(d.Remedy, "'"+d.Subject+"'"); quoted != (tc.want == tc.quoted) {
			t.Errorf("remedy for %q: %s", tc.quoted, d.Remedy)
		}
	}
	d := autherrors.Parse("AADSTS700213: assertion subject 'repo:o/r:ref:refs/heads/ma")
	if d.Subject != "repo:o/r:ref:refs/heads/ma"+autherrors.Truncated {
		t.Errorf("unterminated subject = %q", d.Subject)
	}
}

// Finding 1: where a subject is cut, no beginning of a registered secret
// (or of an encoding of it) stays before the marker, whether the cut
// happened with the secret known (For again, which masks it whole first)
// or before it was (Parse, then For, as the credential package does).
func TestCutLeavesNoSecretPrefix(t *testing.T) {
	t.Parallel()
	const secret = "Kx9-straddling-secret-0123456789"
	huge := strings.Repeat("Zq9-", 5<<10) // a registered value longer than what is redacted of a quote
	env := envFrom("", secret, "correct horse battery staple", huge)
	keep := autherrors.MaxSubjectLen - len(autherrors.Truncated)
	b64 := base64.StdEncoding.EncodeToString([]byte(secret))
	for _, tc := range []struct{ name, subject, secret string }{
		{"secret straddles the cap", strings.Repeat("a", keep-5) + secret, secret},
		{"base64 straddles the cap", strings.Repeat("a", keep-7) + b64, b64},
		{"base64 straddles the cap of a subject over 16 KiB", strings.Repeat("a", keep-7) + b64 + strings.Repeat("a", 20<<10), b64},
		{"secret with spaces", "correct horse battery staple", "correct horse battery staple"},
		{"secret after junk, cut at its space", "repo:x/correct horse battery staple", "correct horse battery staple"},
		{"a value over 16 KiB starts in the kept part", "repo:x/" + huge, huge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			text := "AADSTS700213: presented assertion subject '" + tc.subject + "'."
			twoStep := autherrors.Parse(text)
			if !strings.HasSuffix(twoStep.Subject, autherrors.Truncated) {
				t.Fatalf("Parse: Subject = %q, want it cut", twoStep.Subject)
			}
			for _, d := range []*autherrors.Diagnostic{twoStep.For(env), twoStep.For(env).For(env)} {
				kept := strings.TrimSuffix(d.Subject, autherrors.Truncated)
				for k := 1; k <= len(tc.secret); k++ {
					if strings.HasSuffix(kept, tc.secret[:k]) || k >= 4 && strings.Contains(d.Subject, tc.secret[:k]) {
						t.Errorf("Subject = %q holds %q, the beginning of the secret", d.Subject, tc.secret[:k])
					}
				}
				if again := d.For(env); *again != *d {
					t.Errorf("For is not idempotent: %q, then %q", d.Subject, again.Subject)
				}
			}
		})
	}
}
