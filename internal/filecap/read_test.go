package filecap_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"testing/fstest"
	"time"

	"github.com/autoidentity/autoidentity/internal/filecap"
)

const limit = 1 << 10

// read runs filecap.Read and fails the test, rather than hang it, if the
// read does not return within a few seconds.
func read(t *testing.T, path string) ([]byte, error) {
	t.Helper()
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := filecap.Read(path, limit)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("Read(%s) blocked", path)
		return nil, nil
	}
}

func TestRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, size int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Repeat([]byte("a"), size), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "fifo")
	if !mkfifo(t, fifo) {
		fifo = ""
	}
	zero := "/dev/zero"
	link := filepath.Join(dir, "zero-link")
	if _, err := os.Stat(zero); err != nil || runtime.GOOS == "windows" {
		zero, link = "", ""
	} else if err := os.Symlink(zero, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		size       int    // of a good read
		want       string // the error's text
		notExist   bool
	}{
		{name: "empty", path: write("empty", 0)},
		{name: "at the cap", path: write("at-cap", limit), size: limit},
		{name: "one byte over", path: write("over", limit+1), want: "is 1025 bytes, more than the 1024"},
		{name: "directory", path: dir, want: "is a directory, not a regular file"},
		{name: "FIFO", path: fifo, want: "is a named pipe (FIFO), not a regular file"},
		{name: "/dev/zero", path: zero, want: "is a character device, not a regular file"},
		{name: "symlink to /dev/zero", path: link, want: "is a character device, not a regular file"},
		{name: "missing", path: filepath.Join(dir, "missing"), notExist: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.path == "" {
				t.Skip("not on this system")
			}
			b, err := read(t, tt.path)
			switch {
			case tt.notExist:
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("err = %v, want fs.ErrNotExist", err)
				}
			case tt.want == "":
				if err != nil || len(b) != tt.size {
					t.Errorf("Read = %d bytes, %v; want %d bytes", len(b), err, tt.size)
				}
			default:
				var fe *filecap.Error
				if !errors.As(err, &fe) || err.Error() != tt.want {
					t.Errorf("err = %v, want *filecap.Error %q", err, tt.want)
				}
				if b != nil {
					t.Errorf("a refused read returned %d bytes", len(b))
				}
			}
		})
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	mfs := fstest.MapFS{
		"pipe": {Mode: fs.ModeNamedPipe},
		"sock": {Mode: fs.ModeSocket},
		"blk":  {Mode: fs.ModeDevice},
		"big":  {Data: make([]byte, limit+1)},
		"ok":   {Data: make([]byte, limit)},
	}
	for name, want := range map[string]string{
		"pipe": "is a named pipe (FIFO), not a regular file",
		"sock": "is a socket, not a regular file",
		"blk":  "is a block device, not a regular file",
		"big":  "is 1025 bytes, more than the 1024",
		"ok":   "",
	} {
		st, err := fs.Stat(mfs, name)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if err := filecap.Check(st, limit); err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("Check(%s) = %q, want %q", name, got, want)
		}
	}
}

// TestErrorGrew is the text of a file that grew past its Stat size.
func TestErrorGrew(t *testing.T) {
	t.Parallel()
	e := &filecap.Error{Size: 65537, More: true, Limit: 65536}
	if got, want := e.Error(), "is 65537+ bytes, more than the 65536"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
