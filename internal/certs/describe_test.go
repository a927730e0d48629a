package certs

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestDescribe(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	now := time.Now()
	tests := []struct {
		name     string
		fx       *fixture
		warnings []string
		reason   Reason // "" means no error
	}{
		{"valid", f.rsa, nil, ""},
		{"expires in 10 days", f.soon, []string{"expires on " + stamp(f.soon.cert.NotAfter), "in 10 days", PathVariable}, ""},
		{"expired", f.expired, nil, ReasonExpired},
		{"not yet valid", f.notYet, nil, ReasonNotYetValid},
		{"ecdsa", f.ec, nil, ReasonUnsupportedKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := Load(cat(certPEM(tt.fx.cert), pkcs8PEM(t, tt.fx.key)), "")
			if err != nil {
				t.Fatal(err)
			}
			info, warnings, err := b.Describe(now)
			sha1Sum, sha256Sum := sha1.Sum(tt.fx.cert.Raw), sha256.Sum256(tt.fx.cert.Raw)
			if want := strings.ToUpper(hex.EncodeToString(sha1Sum[:])); info.ThumbprintSHA1 != want {
				t.Errorf("ThumbprintSHA1 = %s, want %s", info.ThumbprintSHA1, want)
			}
			if want := strings.ToUpper(hex.EncodeToString(sha256Sum[:])); info.ThumbprintSHA256 != want {
				t.Errorf("ThumbprintSHA256 = %s, want %s", info.ThumbprintSHA256, want)
			}
			if info.Subject != tt.fx.cert.Subject.String() || !info.NotAfter.Equal(tt.fx.cert.NotAfter) || !info.NotBefore.Equal(tt.fx.cert.NotBefore) {
				t.Errorf("Info = %+v does not describe %s", info, tt.fx.cert.Subject)
			}
			if len(tt.warnings) == 0 && len(warnings) != 0 {
				t.Errorf("unexpected warnings %q", warnings)
			}
			if len(tt.warnings) != 0 {
				if len(warnings) != 1 {
					t.Fatalf("warnings = %q, want one", warnings)
				}
				for _, p := range tt.warnings {
					if !strings.Contains(warnings[0], p) {
						t.Errorf("warning lacks %q: %s", p, warnings[0])
					}
				}
			}
			if tt.reason == "" && err != nil {
				t.Errorf("Describe error: %v", err)
			}
			if tt.reason != "" && !errors.Is(err, tt.reason) {
				t.Errorf("Describe error = %v, want reason %s", err, string(tt.reason))
			}
		})
	}
}

// TestBundleNeverShowsKey formats a Bundle every way a program might and
// checks the private exponent appears in none of them.
func TestBundleNeverShowsKey(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	b, err := Load(cat(certPEM(f.rsa.cert), pkcs8PEM(t, f.rsa.key)), "")
	if err != nil {
		t.Fatal(err)
	}
	d := rsaPrivate(f.rsa).D
	secrets := []string{d.String(), d.Text(16), fmt.Sprintf("%X", d.Bytes())[:32]}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("cert", "bundle", b)
	js, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", b), "%+v": fmt.Sprintf("%+v", b), "%#v": fmt.Sprintf("%#v", b),
		"value %v": fmt.Sprintf("%v", *b), "json": string(js), "slog": logged.String(),
	}
	for how, out := range outputs {
		if !strings.Contains(out, b.Info().ThumbprintSHA1) {
			t.Errorf("%s does not show the thumbprint: %s", how, out)
		}
		for _, s := range secrets {
			if strings.Contains(strings.ToUpper(out), strings.ToUpper(s)) {
				t.Fatalf("%s shows the private key", how)
			}
		}
	}
}
