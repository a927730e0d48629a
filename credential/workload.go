package credential

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/claims"
	"github.com/autoidentity/autoidentity/internal/filecap"
)

// tokenFileVariable names the projected service account token file.
const tokenFileVariable = "AZURE_FEDERATED_TOKEN_FILE"

// tokenFileReuse is how long an assertion read from the token file is sent
// again without reading the file, as azidentity's WorkloadIdentityCredential
// does: the kubelet rotates a projected token at 80% of its lifetime, so one
// just read stays valid for at least this long (20% of the shortest TTL the
// AKS webhook asks for, one hour, less a margin).
const tokenFileReuse = 10 * time.Minute

// tokenFileAssertion reads the projected service account token for a
// ClientAssertionCredential. It replaces azidentity's
// WorkloadIdentityCredential, which re-reads the file with os.ReadFile under
// a lock: a FIFO swapped in there blocks GetToken forever, past any
// context, and /dev/zero exhausts memory. Here every read goes through
// internal/filecap (regular files only, opened without blocking, at most
// detect.MaxTokenFileSize), surrounding whitespace is trimmed, and an empty
// file is refused. Like azidentity, a token read is reused for
// tokenFileReuse, and never past a minute before its own exp.
type tokenFileAssertion struct {
	path string
	now  func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

func newTokenFileAssertion(path string, now func() time.Time) *tokenFileAssertion {
	if now == nil {
		now = time.Now
	}
	return &tokenFileAssertion{path: path, now: now}
}

// assertion returns the token in the file, read again once the last one
// read is due. The read is bounded and never blocks, so holding the lock
// across it keeps no caller waiting long.
func (a *tokenFileAssertion) assertion(ctx context.Context) (string, error) {
	tok, err := a.read()
	return tok, recordCause(ctx, err)
}

func (a *tokenFileAssertion) read() (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if a.token != "" && now.Before(a.expires) {
		return a.token, nil
	}
	b, err := filecap.Read(a.path, detect.MaxTokenFileSize)
	if err != nil {
		return "", a.problem(err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", autherrors.New(autherrors.ErrInvalidConfiguration,
			"the file "+a.path+" named by "+tokenFileVariable+" is empty", tokenFileRemedy, nil)
	}
	a.token, a.expires = tok, now.Add(tokenFileReuse)
	// A token that is not a JWT is still sent: Entra ID decides, and
	// detect has warned. One that is a JWT is not reused near its exp.
	if c, err := claims.Parse(tok); err == nil && !c.Expiry.IsZero() {
		if exp := c.Expiry.Add(-time.Minute); exp.Before(a.expires) {
			a.expires = exp
		}
	}
	return tok, nil
}

const tokenFileRemedy = "point " + tokenFileVariable + " at the projected service account token file (on AKS the workload identity webhook sets it and the kubelet keeps it fresh)"

// problem is the diagnostic for a token file that cannot be read.
// azidentity keeps only its text; the inspector gets it back through the
// request's cause slot (cause.go).
func (a *tokenFileAssertion) problem(err error) error {
	head := "the file " + a.path + " named by " + tokenFileVariable
	var fe *filecap.Error
	var pe *fs.PathError
	var summary string
	switch {
	case errors.As(err, &fe) && fe.Limit > 0:
		summary = head + " " + fe.Error() + " a token file can be"
	case errors.As(err, &fe):
		summary = head + " " + fe.Error()
	case errors.Is(err, fs.ErrNotExist):
		summary = head + " does not exist"
	case errors.Is(err, fs.ErrPermission):
		summary = head + " cannot be read: permission denied"
	case errors.As(err, &pe):
		summary = head + " cannot be read: " + pe.Err.Error()
	default:
		summary = head + " cannot be read: " + err.Error()
	}
	return autherrors.New(autherrors.ErrInvalidConfiguration, summary, tokenFileRemedy, err)
}
