package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bin is the autoidentity-vet binary TestMain builds.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "autoidentity-vet")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "autoidentity-vet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs name with args in this directory, offline, and returns its
// combined output and exit code.
func run(t *testing.T, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out), 0
}

const (
	device  = "azidentity.NewDeviceCodeCredential waits for a person"
	dflt    = "azidentity.NewDefaultAzureCredential may select a password or a developer login"
	ropc    = "azidentity.NewUsernamePasswordCredential"
	managed = "NewManagedIdentityCredential"
)

func TestStandalone(t *testing.T) {
	t.Parallel()
	out, code := run(t, bin, "./testdata/signin")
	if code != 3 || !strings.Contains(out, device) || !strings.Contains(out, dflt) {
		t.Errorf("autoidentity-vet exited %d, want 3 with both findings:\n%s", code, out)
	}
	if strings.Contains(out, ropc) || strings.Contains(out, managed) {
		t.Errorf("reported a test file or an app-only credential:\n%s", out)
	}
	out, code = run(t, bin, "-report-tests", "./testdata/signin")
	if code != 3 || !strings.Contains(out, ropc) {
		t.Errorf("with -report-tests: exited %d, want 3 with the test file's finding:\n%s", code, out)
	}
}

// The standard -json output: package, then analyzer, then diagnostics.
func TestJSON(t *testing.T) {
	t.Parallel()
	out, code := run(t, bin, "-json", "./testdata/signin")
	var got map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 {
		t.Fatalf("-json exited %d, output not JSON (%v):\n%s", code, err, out)
	}
	diags := got["github.com/autoidentity/autoidentity/cmd/autoidentity-vet/testdata/signin"]["useridentity"]
	if len(diags) != 2 || !strings.HasSuffix(diags[0].Posn, "signin.go:11:9") || !strings.HasPrefix(diags[0].Message, device) {
		t.Errorf("diagnostics = %+v", diags)
	}
}

func TestGoVet(t *testing.T) {
	t.Parallel()
	out, code := run(t, "go", "vet", "-vettool="+bin, "./testdata/signin")
	if code != 1 || !strings.Contains(out, "signin.go:11:9: "+device) || !strings.Contains(out, dflt) {
		t.Errorf("go vet -vettool exited %d, want 1 with both findings:\n%s", code, out)
	}
	out, code = run(t, "go", "vet", "-vettool="+bin, "-report-tests", "./testdata/signin")
	if code != 1 || !strings.Contains(out, ropc) {
		t.Errorf("go vet -vettool -report-tests exited %d, want 1 with the test file's finding:\n%s", code, out)
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	out, _ := run(t, bin, "-fix", "-diff", "./testdata/signin")
	if !strings.Contains(out, "+	return credential.New(nil)") || !strings.Contains(out, `+	"github.com/autoidentity/autoidentity/credential"`) {
		t.Errorf("-diff does not replace NewDefaultAzureCredential(nil) with credential.New(nil):\n%s", out)
	}
}
