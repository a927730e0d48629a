package credential

import (
	"context"
	"errors"
	"fmt"
	"testing"

	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/tokencache"
)

// classify matches the token cache's sentinels by type, whatever their
// text, and keeps them as the cause.
func TestClassifyCacheErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want autherrors.Code
	}{
		{tokencache.ErrClosed, autherrors.ErrCredentialClosed},
		{fmt.Errorf("%w; the request in flight was cancelled: %w", tokencache.ErrClosed, context.Canceled), autherrors.ErrCredentialClosed},
		{fmt.Errorf("%w: it expired at 2026-01-01T00:00:00Z, 5m0s ago", tokencache.ErrExpiredToken), autherrors.ErrClockSkew},
		// A different text with the same type is still recognised.
		{fmt.Errorf("wrapped: %w", errors.Join(errors.New("x"), tokencache.ErrExpiredToken)), autherrors.ErrClockSkew},
		{errors.New("tokencache: upstream returned an expired token"), autherrors.ErrUnknown}, // the text alone means nothing
	} {
		d := classify(tc.err)
		if d.Code != tc.want {
			t.Errorf("classify(%q) = %s, want %s", tc.err, d.Code, tc.want)
		}
		if !errors.Is(d, tc.err) {
			t.Errorf("classify(%q) lost the cause", tc.err)
		}
	}
}
