package autherrors

import "testing"

// The package's own sentences hold nothing Redact masks: redactDiagnostic
// relies on it to skip the patterns for them.
func TestConstantTextIsRedacted(t *testing.T) {
	t.Parallel()
	for s := range constantText() {
		if Redact(s) != s {
			t.Errorf("Redact changes a constant sentence: %q", s)
		}
	}
}

// New redacts its fields once; For, with no secret registered, leaves
// them as they are and still redacts a field that changed.
func TestNewThenForRedactsOnce(t *testing.T) {
	t.Parallel()
	d := New(ErrInvalidConfiguration, "client_secret=abc123xyz is wrong", "", nil)
	if d.Summary != "client_secret="+Redacted+" is wrong" || d.clean[0] != d.Summary {
		t.Fatalf("New: %q", d.Summary)
	}
	env := &Environment{}
	env.AddSecrets("is wrong-but-long")
	got := d.For(env)
	if got.Summary != d.Summary {
		t.Errorf("For changed a clean summary: %q", got.Summary)
	}
	d.Summary = "password=hunter22 leaked"
	if got := d.For(nil); got.Summary != "password="+Redacted+" leaked" {
		t.Errorf("For skipped a changed field: %q", got.Summary)
	}
}
