package secret

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const canary = "CANARY-s3cr3t-value"

func TestValueRedacts(t *testing.T) {
	t.Parallel()
	s := New(canary)
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "s", s)
	j, _ := json.Marshal(struct{ S Value }{s})
	for _, out := range []string{s.String(), s.GoString(), fmt.Sprint(s), fmt.Sprintf("%s %q %v %+v %#v %x", s, s, s, s, s, s), logged.String(), string(j)} {
		if strings.Contains(out, canary) || !strings.Contains(out, Redacted) {
			t.Errorf("rendering %q", out)
		}
	}
	if s.Reveal() != canary || s.IsZero() || !New("").IsZero() || New("").String() != "" {
		t.Error("Reveal/IsZero")
	}
}

func TestValuesNeverPrinted(t *testing.T) {
	t.Parallel()
	v := &Values{ClientSecret: New(canary), CertificatePassword: New(canary), RequestToken: New(canary), Redact: []Value{New(canary)}}
	for _, out := range []string{fmt.Sprintf("%v %+v %#v", v, *v, *v)} {
		if strings.Contains(out, canary) {
			t.Errorf("rendering %q", out)
		}
	}
	if got := v.All(); len(got) != 4 || got[0] != canary || got[3] != canary {
		t.Errorf("All = %d values", len(got))
	}
	if (*Values)(nil).All() != nil {
		t.Error("nil All")
	}
}

func TestTakeUnregisteredType(t *testing.T) {
	t.Parallel()
	if Take(42) != nil || Take(nil) != nil {
		t.Error("Of returned values for a value that is not a detect.Result")
	}
}

// A Value prints as a redaction marker wherever it could be logged; only
// Reveal, called where the value is handed to azidentity, returns it.
func ExampleNew() {
	s := New("canary-client-secret")
	fmt.Println(s)
	fmt.Printf("%v %+v %#v\n", s, s, s)
	b, _ := json.Marshal(struct{ Secret Value }{s})
	fmt.Println(string(b))
	fmt.Println(len(s.Reveal()))
	// Output:
	// [REDACTED]
	// [REDACTED] [REDACTED] secret.Value([REDACTED])
	// {"Secret":"[REDACTED]"}
	// 20
}
