package detect

import (
	"errors"
	"io/fs"

	"github.com/autoidentity/autoidentity/internal/certs"
	"github.com/autoidentity/autoidentity/internal/filecap"
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
// boundary. The real file system reads them through internal/filecap: a file
// that is not regular is refused before it is read (a FIFO cannot block the
// open, a file swapped in between is caught on the opened file), and no more
// than the cap plus one byte is read. A test's fileSystem is held to the same
// rules through its Stat and ReadFile.

// cappedReader is implemented by the real file system, which enforces the
// rules on the opened file rather than on the path.
type cappedReader interface {
	readCapped(name string, limit int64) ([]byte, error)
}

// readCapped reads a regular file of at most limit bytes from fsys.
func readCapped(fsys fileSystem, name string, limit int64) ([]byte, error) {
	if c, ok := fsys.(cappedReader); ok {
		return c.readCapped(name, limit)
	}
	st, err := fsys.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := filecap.Check(st, limit); err != nil {
		return nil, err
	}
	b, err := fsys.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &filecap.Error{Size: int64(len(b)), Limit: limit}
	}
	return b, nil
}

func (osFS) readCapped(name string, limit int64) ([]byte, error) {
	return filecap.Read(name, limit)
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
	var fe *filecap.Error
	var pe *fs.PathError
	switch {
	case errors.As(err, &fe) && fe.Limit > 0:
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
