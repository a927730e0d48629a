package detect

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"

	"github.com/autoidentity/autoidentity/internal/certs"
)

// MaxTokenFileSize is the largest federated token file (AZURE_FEDERATED_TOKEN_FILE)
// detect reads: 64 KiB, the cap internal/claims puts on a token. A projected
// service account token is about 1 KB; anything past 64 KiB is not a token.
const MaxTokenFileSize = 64 << 10

// MaxCertificateFileSize is the largest certificate file
// (AZURE_CLIENT_CERTIFICATE_PATH) detect reads: 1 MiB, the cap internal/certs
// puts on a certificate file. A key and a chain of a few certificates, PEM or
// PKCS#12, take a few KB.
const MaxCertificateFileSize = certs.MaxFileSize

// The files detect reads are named by the environment, which crosses a trust
// boundary: a path may name /dev/zero (endless), a FIFO (blocks the open and
// the read forever), a directory or a huge file. Every read therefore
//
//   - refuses anything that is not a regular file, before reading: the real
//     file system checks the path, opens it with O_NONBLOCK (so a FIFO cannot
//     block the open) and checks the opened file again, so a file swapped in
//     between is caught too;
//   - reads at most the cap plus one byte, and refuses a file over the cap
//     without holding more than that in memory.
//
// Any other [FS] is held to the same rules through its Stat and ReadFile.

// fileError says why a file named by the environment was refused.
type fileError struct {
	mode  fs.FileMode // type bits of a file that is not regular
	size  int64       // the size of a file over the cap
	more  bool        // size is a lower bound ("N+ bytes")
	limit int64       // the cap, when the file is over it; 0 otherwise
}

func (e *fileError) Error() string {
	if e.limit > 0 {
		n := strconv.FormatInt(e.size, 10)
		if e.more {
			n += "+"
		}
		return "is " + n + " bytes, more than the " + strconv.FormatInt(e.limit, 10)
	}
	return "is " + fileType(e.mode) + ", not a regular file"
}

// fileType names the kind of a file that is not regular.
func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeDir != 0:
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file (" + m.Type().String() + ")"
}

// checkFile refuses a file that is not regular or is known to exceed limit.
func checkFile(st fs.FileInfo, limit int64) error {
	if !st.Mode().IsRegular() {
		return &fileError{mode: st.Mode()}
	}
	if st.Size() > limit {
		return &fileError{size: st.Size(), limit: limit}
	}
	return nil
}

// cappedReader is implemented by the real file system, which enforces the
// rules on the opened file rather than on the path.
type cappedReader interface {
	readCapped(name string, limit int64) ([]byte, error)
}

// readCapped reads a regular file of at most limit bytes from fsys.
func readCapped(fsys FS, name string, limit int64) ([]byte, error) {
	if c, ok := fsys.(cappedReader); ok {
		return c.readCapped(name, limit)
	}
	st, err := fsys.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := checkFile(st, limit); err != nil {
		return nil, err
	}
	b, err := fsys.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &fileError{size: int64(len(b)), limit: limit}
	}
	return b, nil
}

func (osFS) readCapped(name string, limit int64) ([]byte, error) {
	// Stat the path first so a device is never opened (opening some has side
	// effects); the check on the opened file below is the one that counts.
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := checkFile(st, limit); err != nil {
		return nil, err
	}
	f, err := openNonblock(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkFile(st, limit); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &fileError{size: limit + 1, more: true, limit: limit}
	}
	return b, nil
}

// fileLimit is the cap on a file variable and what the file should be.
func fileLimit(id varID) (limit int64, what, fix string) {
	if id == vTokenFile {
		return MaxTokenFileSize, "a token file", "point it at the projected service account token file (on AKS the workload identity webhook sets it)"
	}
	return MaxCertificateFileSize, "a certificate file", "point it at the PEM or PKCS#12 (.pfx/.p12) file that holds the certificate and its private key"
}

// fileProblem is the Incomplete entry for a file variable that cannot be
// read, naming the file, the variable and the fix.
func fileProblem(id varID, name string, err error) string {
	head := "file " + clipPath(name) + " named by " + varNames[id]
	_, what, fix := fileLimit(id)
	var fe *fileError
	var pe *fs.PathError
	switch {
	case errors.As(err, &fe) && fe.limit > 0:
		return head + " " + fe.Error() + " " + what + " can be: " + fix
	case errors.As(err, &fe):
		return head + " " + fe.Error() + ": " + fix
	case errors.Is(err, fs.ErrNotExist):
		return head + " (it does not exist)"
	case errors.Is(err, fs.ErrPermission):
		return head + " (permission denied: make it readable by this process)"
	case errors.As(err, &pe):
		return head + " (cannot be read: " + pe.Err.Error() + ")"
	}
	return head + " (cannot be read: " + err.Error() + ")"
}
