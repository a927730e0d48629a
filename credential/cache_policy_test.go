package credential

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/tokencache"
)

// TestClassifyFailureDecidesEveryCode: each code is permanent or transient
// by a decision written here, so a new code cannot slip into either class
// unnoticed.
func TestClassifyFailureDecidesEveryCode(t *testing.T) {
	t.Parallel()
	permanent := map[autherrors.Code]bool{
		autherrors.ErrMFARequired: true, autherrors.ErrUserIdentityRefused: true, autherrors.ErrDeveloperCredentialRefused: true,
		autherrors.ErrConditionalAccessBlocked: true, autherrors.ErrDeviceComplianceRequired: true, autherrors.ErrInvalidCredentials: true,
		autherrors.ErrInvalidClientSecret: true, autherrors.ErrClientSecretExpired: true, autherrors.ErrApplicationNotFound: true,
		autherrors.ErrTenantNotFound: true, autherrors.ErrAccountNotInTenant: true, autherrors.ErrFederatedIdentityMismatch: true,
		autherrors.ErrCertificateInvalid: true, autherrors.ErrResourceNotFound: true, autherrors.ErrConsentRequired: true,
		autherrors.ErrAuthorizationFailed: true, autherrors.ErrManagedIdentityNotFound: true, autherrors.ErrInvalidConfiguration: true,
		autherrors.ErrNoIdentity: true, autherrors.ErrTokenCacheUnavailable: true,
		autherrors.ErrFederatedTokenExpired: false, autherrors.ErrManagedIdentityUnavailable: false, autherrors.ErrThrottled: false,
		autherrors.ErrNetwork: false, autherrors.ErrTimeout: false, autherrors.ErrServiceUnavailable: false,
		autherrors.ErrClockSkew: false, autherrors.ErrUnknown: false,
		// Failures after Close are never remembered: nothing asks again.
		autherrors.ErrCredentialClosed: false,
	}
	for _, code := range autherrors.Codes() {
		want, ok := permanent[code]
		if !ok {
			t.Errorf("code %s: decide whether the token cache remembers it as permanent", code)
			continue
		}
		if got := classifyFailure(autherrors.New(code, "", "", nil)); got.Permanent != want {
			t.Errorf("code %s: permanent = %v, want %v", code, got.Permanent, want)
		}
	}
	if classifyFailure(errors.New("not a diagnostic")).Permanent {
		t.Error("an error without a code is permanent, want transient")
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"10"}}, 10 * time.Second},
		{"HTTP date", http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second},
		{"milliseconds first", http.Header{"X-Ms-Retry-After-Ms": {"1500"}, "Retry-After": {"10"}}, 1500 * time.Millisecond},
		{"retry-after-ms", http.Header{"Retry-After-Ms": {"250"}}, 250 * time.Millisecond},
		{"capped", http.Header{"Retry-After": {"86400"}}, tokencache.MaxRetryAfter},
		{"date in the past", http.Header{"Retry-After": {now.Add(-time.Minute).Format(http.TimeFormat)}}, 0},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0},
		{"negative", http.Header{"Retry-After": {"-5"}}, 0},
		{"none", http.Header{}, 0},
	}
	for _, tt := range tests {
		afe := &azidentity.AuthenticationFailedError{RawResponse: &http.Response{StatusCode: 429, Header: tt.header}}
		err := autherrors.New(autherrors.ErrThrottled, "", "", afe)
		if got := retryAfter(err, now); got != tt.want {
			t.Errorf("%s: retryAfter = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := retryAfter(errors.New("no response"), now); got != 0 {
		t.Errorf("no response: retryAfter = %v", got)
	}
}

// TestRememberedDiagnostic: a remembered failure is still a Diagnostic with
// its code, unwrapping to azidentity's error, saying when the next attempt
// is, and within the field cap.
func TestRememberedDiagnostic(t *testing.T) {
	t.Parallel()
	afe := &azidentity.AuthenticationFailedError{RawResponse: &http.Response{StatusCode: 401, Header: http.Header{}}}
	for _, summary := range []string{"The client secret is wrong.", strings.Repeat("é", autherrors.MaxFieldLen)} {
		orig := autherrors.New(autherrors.ErrInvalidClientSecret, summary, "", afe)
		at := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
		r := &tokencache.RememberedError{Err: orig, NextAttempt: at.Add(27 * time.Second), Permanent: true, Now: at}
		err := rememberedDiagnostic(r)
		var d *autherrors.Diagnostic
		var got *azidentity.AuthenticationFailedError
		var rem *tokencache.RememberedError
		if !errors.As(err, &d) || d == orig || d.Code != autherrors.ErrInvalidClientSecret || !errors.Is(err, autherrors.ErrInvalidClientSecret) ||
			!errors.As(err, &got) || got != afe || !errors.As(err, &rem) {
			t.Fatalf("error = %#v, want a new invalid-client-secret Diagnostic wrapping the remembered one", err)
		}
		if want := "next attempt after 2026-01-02T15:04:32Z (in 27s)"; !strings.Contains(err.Error(), want) || len(d.Summary) > autherrors.MaxFieldLen {
			t.Fatalf("summary (%d bytes) = %q, want it to say %q, within %d bytes", len(d.Summary), d.Summary[max(0, len(d.Summary)-200):], want, autherrors.MaxFieldLen)
		}
	}
	plain := &tokencache.RememberedError{Err: errors.New("not a diagnostic")}
	if err := rememberedDiagnostic(plain); err != plain {
		t.Fatalf("a remembered error that is not a diagnostic became %v", err)
	}
}

// TestPermanentFailureCostsOneRequest: against the emulator, an expired
// client secret costs one token request for two bursts of 100 callers;
// every caller gets the Diagnostic, azidentity's error through it, and
// those answered from memory learn when the next attempt is.
func TestPermanentFailureCostsOneRequest(t *testing.T) {
	t.Parallel()
	srv := entratestStart(t)
	c, err := newFor(t, srv, "expired-secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	remembered := 0
	for range 2 {
		for _, err := range burstCredential(c, 100) {
			var d *autherrors.Diagnostic
			var afe *azidentity.AuthenticationFailedError
			if !errors.As(err, &d) || d.Code != autherrors.ErrClientSecretExpired || !errors.As(err, &afe) {
				t.Fatalf("GetToken = %v, want %s unwrapping to azidentity's error", err, autherrors.ErrClientSecretExpired)
			}
			if strings.Contains(err.Error(), "next attempt after") {
				remembered++
			}
			assertNoCanary(t, "error", err.Error())
		}
	}
	if n := srv.EndpointRequests(entratest.TokenEndpoint); n != 1 || remembered < 100 {
		t.Fatalf("%d token requests, %d callers answered from memory; want 1 request, at least the second burst", n, remembered)
	}
}

// TestRetryAfterHoldsBackRequests: a 429 with Retry-After 10 s (longer than
// azcore's retries wait) is remembered for 10 s: a caller whose deadline
// comes first gets the throttled Diagnostic at once, without a request.
func TestRetryAfterHoldsBackRequests(t *testing.T) {
	t.Parallel()
	srv := entratestStart(t)
	c, err := newFor(t, srv, "service-principal-secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := injectThrottle(srv, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetToken(context.Background(), armRequest()); !errors.Is(err, autherrors.ErrThrottled) {
		t.Fatalf("GetToken = %v, want %s", err, autherrors.ErrThrottled)
	}
	before := srv.EndpointRequests(entratest.TokenEndpoint)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = c.GetToken(ctx, armRequest())
	var r *tokencache.RememberedError
	if !errors.Is(err, autherrors.ErrThrottled) || !errors.As(err, &r) || r.NextAttempt.Sub(r.Now) < 5*time.Second {
		t.Fatalf("GetToken = %v, want the remembered throttling, next attempt about 10 s away", err)
	}
	if n := srv.EndpointRequests(entratest.TokenEndpoint); n != before {
		t.Fatalf("%d token requests during the Retry-After", n-before)
	}
}
