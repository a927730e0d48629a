package credential_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/credential"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// A caller-supplied credential that answers without ExpiresOn sent an
// invalid response: that is not clock skew, and the fix is not NTP. One
// whose ExpiresOn has passed is.
func TestGuardedTokenExpiry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		expiresOn time.Time
		want      autherrors.Code
		says      string
	}{
		{"no ExpiresOn", time.Time{}, autherrors.ErrServiceUnavailable, "ExpiresOn is not set"},
		{"expired on arrival", time.Now().Add(-time.Minute), autherrors.ErrClockSkew, "expired at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tok, err := guarded(t, jwtOf(appClaims(nil)), tc.expiresOn, nil)
			if err == nil {
				t.Fatalf("a token without a future expiry was served (%d bytes)", len(tok.Token))
			}
			var d *autherrors.Diagnostic
			if !errors.As(err, &d) || d.Code != tc.want {
				t.Fatalf("GetToken = %v, want %s", err, tc.want)
			}
			if !strings.Contains(d.Summary, tc.says) {
				t.Errorf("summary = %q, want it to say %q", d.Summary, tc.says)
			}
			if tc.want != autherrors.ErrClockSkew && (errors.Is(err, autherrors.ErrClockSkew) || strings.Contains(d.Remedy, "NTP")) {
				t.Errorf("an invalid response is diagnosed as clock skew: %v", err)
			}
		})
	}
}

// GetToken after Close serves a cached token and otherwise fails with the
// typed, documented ErrCredentialClosed, never "unknown".
func TestGetTokenAfterClose(t *testing.T) {
	t.Parallel()
	c, err := credential.Guard(tokenFunc(func() (azcore.AccessToken, error) {
		return azcore.AccessToken{Token: jwtOf(appClaims(nil)), ExpiresOn: time.Now().Add(time.Hour)}, nil
	}), &credential.ChainOptions{AllowUnknownTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	arm := policy.TokenRequestOptions{Scopes: []string{attackScope}}
	if _, err := c.GetToken(ctx, arm); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := c.GetToken(ctx, arm); err != nil {
		t.Errorf("the cached token is not served after Close: %v", err)
	}
	_, err = c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://vault.azure.net/.default"}})
	var d *autherrors.Diagnostic
	if !errors.Is(err, autherrors.ErrCredentialClosed) || !errors.As(err, &d) {
		t.Fatalf("GetToken after Close = %v, want %s", err, autherrors.ErrCredentialClosed)
	}
	if !strings.Contains(d.Remedy, "Close") || d.Docs == "" {
		t.Errorf("the diagnostic does not explain itself: %+v", d)
	}
}
