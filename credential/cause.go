package credential

import (
	"context"
	"errors"
	"sync"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// azidentity keeps only the text of an error that an assertion callback or
// a pipeline policy returns, so our own diagnosis of a failure made inside
// it (a token file that became a FIFO, GitHub's endpoint refusing the job's
// token, a request refused on the wire) would come back as text: its code
// survives classification, its summary and remedy would not, and the text
// cannot be trusted to carry them (a hostile response can forge it). The
// inspector therefore puts a cause slot in the context of every upstream
// request; the code that fails inside azidentity records its
// *autherrors.Diagnostic there, and the inspector returns that diagnostic
// with azidentity's error as its cause.

type causeKey struct{}

// causeSlot holds the first diagnostic recorded during one upstream request.
type causeSlot struct {
	mu sync.Mutex
	d  *autherrors.Diagnostic
}

// withCause returns ctx with a new, empty slot.
func withCause(ctx context.Context) (context.Context, *causeSlot) {
	s := &causeSlot{}
	return context.WithValue(ctx, causeKey{}, s), s
}

// recordCause records err in ctx's slot, if there is one and err is a
// diagnostic, and returns err.
func recordCause(ctx context.Context, err error) error {
	var d *autherrors.Diagnostic
	if !errors.As(err, &d) {
		return err
	}
	if s, ok := ctx.Value(causeKey{}).(*causeSlot); ok {
		s.mu.Lock()
		if s.d == nil {
			s.d = d
		}
		s.mu.Unlock()
	}
	return err
}

// explain returns the recorded diagnostic with err (azidentity's error) as
// its cause, or err when nothing was recorded.
func (s *causeSlot) explain(err error) error {
	s.mu.Lock()
	d := s.d
	s.mu.Unlock()
	if d == nil {
		return err
	}
	return autherrors.New(d.Code, d.Summary, d.Remedy, err)
}
