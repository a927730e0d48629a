package detect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/autoidentity/autoidentity/detect"
)

// Files named by the environment are bounded: no read can hang (a FIFO),
// exhaust memory (/dev/zero, a huge file) or read a directory or device.
// These tests go through the public API with the real file system; the
// ones that would hang or run out of memory if the bound regressed run in a
// subprocess the test kills after childTimeout.

const (
	tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	client = "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b"

	childSwitch  = "AUTOIDENTITY_DETECT_READ_CHILD" // the environment, as JSON
	childTimeout = 10 * time.Second
	// childMemory is where the child's watchdog gives up: Detect needs a
	// few MB; a read that ignores the cap passes this within milliseconds.
	childMemory = 512 << 20
)

// fileEnv is an environment whose only file is path, named by variable.
func fileEnv(variable, path string) map[string]string {
	return map[string]string{"AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": client, variable: path}
}

// problem returns the Incomplete entry's text for the file variable.
func problem(r *detect.Result) string {
	var s []string
	for _, in := range r.Incomplete {
		s = append(s, strings.Join(in.Missing, "; "))
	}
	return strings.Join(s, " | ")
}

func TestReadBounded(t *testing.T) {
	t.Parallel()
	const token, cert = "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_CERTIFICATE_PATH"
	dir := t.TempDir()
	write := func(name string, size int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Repeat([]byte("a"), size), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("big", 2<<20)
	atCap := write("at-cap", detect.MaxTokenFileSize)
	overCap := write("over-cap", detect.MaxTokenFileSize+1)
	for _, tc := range []struct {
		name, variable, path, want string
	}{
		{"directory as token file", token, dir, "file " + dir + " named by " + token + " is a directory, not a regular file: point it at the projected service account token file"},
		{"directory as certificate", cert, dir, " named by " + cert + " is a directory, not a regular file: point it at the PEM or PKCS#12"},
		{"2 MiB token file", token, big, "file " + big + " named by " + token + " is 2097152 bytes, more than the 65536 a token file can be: point it at"},
		{"2 MiB certificate", cert, big, " named by " + cert + " is 2097152 bytes, more than the 1048576 a certificate file can be: point it at"},
		{"token file one byte over the cap", token, overCap, "is 65537 bytes, more than the 65536 a token file can be"},
		{"token file at the cap is read", token, atCap, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := detect.Detect(detect.MapEnv(fileEnv(tc.variable, tc.path)), nil)
			if got := problem(r); tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("incomplete = %q, want it to contain %q\n%s", got, tc.want, r)
			}
		})
	}
}

// TestReadBoundedAnyFS holds an injected FS to the same rules: Stat must
// report a regular file within the cap, and what ReadFile returns beyond
// the cap is refused even when Stat lied.
func TestReadBoundedAnyFS(t *testing.T) {
	t.Parallel()
	huge := bytes.Repeat([]byte("a"), 2<<20)
	mfs := fstest.MapFS{
		"run/pipe":  {Mode: fs.ModeNamedPipe},
		"dev/zero":  {Mode: fs.ModeDevice | fs.ModeCharDevice},
		"run/sock":  {Mode: fs.ModeSocket},
		"run/huge":  {Data: huge},
		"run/dir/x": {Data: []byte("x")},
	}
	for _, tc := range []struct {
		name string
		fsys detect.FS
		path string
		want string
	}{
		{"FIFO", detect.IOFS(mfs), "/run/pipe", "is a named pipe (FIFO), not a regular file"},
		{"device", detect.IOFS(mfs), "/dev/zero", "is a character device, not a regular file"},
		{"socket", detect.IOFS(mfs), "/run/sock", "is a socket, not a regular file"},
		{"directory", detect.IOFS(mfs), "/run/dir", "is a directory, not a regular file"},
		{"huge", detect.IOFS(mfs), "/run/huge", "is 2097152 bytes, more than the 65536"},
		{"Stat lies about the size", lyingFS{detect.IOFS(mfs)}, "/run/huge", "is 2097152 bytes, more than the 65536"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := detect.Detect(detect.MapEnv(fileEnv("AZURE_FEDERATED_TOKEN_FILE", tc.path)), detect.WithFS(nil, tc.fsys))
			if got := problem(r); !strings.Contains(got, tc.want) || !strings.Contains(got, "AZURE_FEDERATED_TOKEN_FILE") {
				t.Errorf("incomplete = %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

// lyingFS reports every file as a 1-byte regular file.
type lyingFS struct{ detect.FS }

func (l lyingFS) Stat(name string) (fs.FileInfo, error) {
	st, err := l.FS.Stat(name)
	if err != nil {
		return nil, err
	}
	return smallInfo{st}, nil
}

type smallInfo struct{ fs.FileInfo }

func (smallInfo) Size() int64       { return 1 }
func (smallInfo) Mode() fs.FileMode { return 0o644 }

// TestReadBoundedSubprocess runs the cases that hang or run out of memory
// when the bound regresses, each in a child process killed after
// childTimeout.
func TestReadBoundedSubprocess(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/zero"); err != nil || runtime.GOOS == "windows" {
		t.Skip("no /dev/zero here")
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if !mkfifo(t, fifo) {
		fifo = ""
	}
	link := filepath.Join(dir, "zero-link")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	const token, cert = "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_CERTIFICATE_PATH"
	for _, tc := range []struct {
		name, variable, path, want string
	}{
		{"/dev/zero as token file", token, "/dev/zero", "file /dev/zero named by " + token + " is a character device, not a regular file: point it at the projected service account token file"},
		{"/dev/zero as certificate", cert, "/dev/zero", "file /dev/zero named by " + cert + " is a character device, not a regular file: point it at the PEM or PKCS#12"},
		{"symlink to /dev/zero", token, link, " named by " + token + " is a character device, not a regular file"},
		{"FIFO as token file", token, fifo, " named by " + token + " is a named pipe (FIFO), not a regular file: point it at the projected service account token file"},
		{"FIFO as certificate", cert, fifo, " named by " + cert + " is a named pipe (FIFO), not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.path == "" {
				t.Skip("no FIFOs here")
			}
			r, took := runChild(t, fileEnv(tc.variable, tc.path))
			if got := problem(r); !strings.Contains(got, tc.want) {
				t.Errorf("incomplete = %q, want it to contain %q", got, tc.want)
			}
			if took > time.Second {
				t.Errorf("Detect took %v in the child", took)
			}
		})
	}
}

// childOutput is what the child prints on one line after childMarker.
type childOutput struct {
	Result *detect.Result `json:"result"`
	Nanos  time.Duration  `json:"nanos"`
}

const childMarker = "CHILD-RESULT "

// runChild runs Detect over env in a child process with the real file
// system, and fails the test if the child does not finish in time.
func runChild(t *testing.T, env map[string]string) (*detect.Result, time.Duration) {
	t.Helper()
	envJSON, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestReadBoundedChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childSwitch+"="+string(envJSON))
	cmd.WaitDelay = time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the child did not finish within %v (killed): a file read blocks\n%s", childTimeout, out)
	}
	if err != nil {
		t.Fatalf("the child failed after %v: %v\n%s", time.Since(start), err, out)
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		if j, ok := strings.CutPrefix(line, childMarker); ok {
			var co childOutput
			if err := json.Unmarshal([]byte(j), &co); err != nil {
				t.Fatal(err)
			}
			return co.Result, co.Nanos
		}
	}
	t.Fatalf("the child printed no result:\n%s", out)
	return nil, 0
}

// TestReadBoundedChild is the child half of TestReadBoundedSubprocess; it
// does nothing unless childSwitch is set.
func TestReadBoundedChild(t *testing.T) {
	envJSON := os.Getenv(childSwitch)
	if envJSON == "" {
		return
	}
	var env map[string]string
	if err := json.Unmarshal([]byte(envJSON), &env); err != nil {
		t.Fatal(err)
	}
	go watchMemory()
	start := time.Now()
	r := detect.Detect(detect.MapEnv(env), nil)
	took := time.Since(start)
	j, err := json.Marshal(childOutput{Result: r, Nanos: took})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("\n%s%s\n", childMarker, j)
}

// watchMemory ends the child process when the Go heap passes childMemory,
// so a read that ignores its cap fails fast instead of exhausting the
// machine's memory.
func watchMemory() {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	for {
		metrics.Read(s)
		if s[0].Value.Kind() == metrics.KindUint64 && s[0].Value.Uint64() > childMemory {
			fmt.Fprintf(os.Stderr, "the child mapped %d bytes: a file read ignores its cap\n", s[0].Value.Uint64())
			os.Exit(3)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
