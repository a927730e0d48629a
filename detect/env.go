package detect

import (
	"errors"
	"github.com/autoidentity/autoidentity/internal/detectfs"
	"io/fs"
	"os"
	"strings"
)

// Env is the process environment as detect reads it. Implementations must be
// safe for concurrent use if the caller calls [Detect] concurrently.
type Env interface {
	// LookupEnv has the semantics of [os.LookupEnv].
	LookupEnv(key string) (string, bool)
}

// envFunc adapts a lookup function such as [os.LookupEnv] to [Env].
type envFunc func(key string) (string, bool)

// LookupEnv calls f.
func (f envFunc) LookupEnv(key string) (string, bool) { return f(key) }

// MapEnv is an environment held in a map, for tests and for callers that
// decide from a recorded environment: detect.MapEnv(m). Keys are
// case-sensitive, as on Linux.
type MapEnv map[string]string

// LookupEnv returns m[key].
func (m MapEnv) LookupEnv(key string) (string, bool) {
	v, ok := m[key]
	return v, ok
}

// OSEnv returns the process environment.
func OSEnv() Env { return envFunc(os.LookupEnv) }

// fileSystem is the read-only view of the file system detect uses to check
// the files the environment names (certificate, federated token file) and
// the Azure Arc agent's himds binary. Paths are the absolute paths the
// variables hold. It is a test seam (Options.fs): programs always read the
// OS file system.
//
// Whatever the implementation, detect reads a file only when Stat reports a
// regular file of at most [MaxTokenFileSize] or [MaxCertificateFileSize]
// bytes, and refuses what ReadFile returns beyond that cap.
func init() {
	detectfs.Firmware = func(opts any, fsys fs.FS) {
		if o, ok := opts.(*Options); ok && fsys != nil {
			o.firmware = ioFS{fsys}
			o.smbios = func() ([]byte, error) {
				b, err := fs.ReadFile(fsys, "smbios")
				if err != nil {
					return nil, errors.New("no SMBIOS table in the test file system")
				}
				return b, nil
			}
		}
	}
}

type fileSystem interface {
	Stat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
}

// osFS is the real file system. Its reads refuse anything but a regular
// file, checked on the opened file, and stop at a cap (see readCapped).
type osFS struct{}

func (osFS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }
func (o osFS) ReadFile(name string) ([]byte, error) {
	return o.readCapped(name, MaxCertificateFileSize)
}

// ioFS adapts an [io/fs.FS], such as [testing/fstest.MapFS], to
// fileSystem, for tests. An absolute path is looked up relative to fsys's
// root ("/var/run/token" is "var/run/token"), so a MapFS can stand in for
// the whole file system.
type ioFS struct{ fsys fs.FS }

func (f ioFS) Stat(name string) (fs.FileInfo, error) {
	return fs.Stat(f.fsys, strings.TrimLeft(name, "/"))
}

func (f ioFS) ReadFile(name string) ([]byte, error) {
	return fs.ReadFile(f.fsys, strings.TrimLeft(name, "/"))
}
