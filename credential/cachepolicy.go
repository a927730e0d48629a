package credential

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/tokencache"
)

// permanentCodes are the codes of failures that asking again soon cannot
// fix: a person must change a secret, a certificate, an application, a
// federated credential, a tenant, a consent, a role, a policy or a
// setting. The token cache remembers such a failure per key for
// tokencache.DefaultPermanentRetry (30 s ±20 %) and answers the key's
// callers with it meanwhile, so a program retrying in a loop costs Entra
// ID one request per period. Every other code is transient and retried
// after the cache's backoff (2 s doubling to 1 min, or the Retry-After):
// network, timeout, service-unavailable, throttled,
// managed-identity-unavailable, federated-token-expired (the next attempt
// reads or requests a fresh assertion), clock-skew (NTP may fix the clock
// any moment, and the endpoint may hand out a fresh token), and unknown
// (fail open towards retrying, but never faster than the backoff).
var permanentCodes = []autherrors.Code{
	autherrors.ErrMFARequired,
	autherrors.ErrUserIdentityRefused,
	autherrors.ErrDeveloperCredentialRefused,
	autherrors.ErrConditionalAccessBlocked,
	autherrors.ErrDeviceComplianceRequired,
	autherrors.ErrInvalidCredentials,
	autherrors.ErrInvalidClientSecret,
	autherrors.ErrClientSecretExpired,
	autherrors.ErrApplicationNotFound,
	autherrors.ErrTenantNotFound,
	autherrors.ErrAccountNotInTenant,
	autherrors.ErrFederatedIdentityMismatch,
	autherrors.ErrCertificateInvalid,
	autherrors.ErrResourceNotFound,
	autherrors.ErrConsentRequired,
	autherrors.ErrAuthorizationFailed,
	autherrors.ErrManagedIdentityNotFound,
	autherrors.ErrInvalidConfiguration,
	autherrors.ErrNoIdentity,
	autherrors.ErrTokenCacheUnavailable,
}

// cacheOptions configures a credential's token cache: failures classified
// by their diagnostic codes, remembered failures answered as diagnostics,
// and, with a logger, a warning for each refresh that failed while a valid
// token stays in service. The refresh's error is already a diagnostic: the
// inspector diagnosed it inside the request.
func cacheOptions(logger *slog.Logger) *tokencache.Options {
	o := &tokencache.Options{Classify: classifyFailure, Remembered: rememberedDiagnostic}
	if logger != nil {
		o.OnRefreshError = func(r *tokencache.RefreshError) {
			logger.Warn("autoidentity: token refresh failed; serving the cached token, still valid, meanwhile",
				"scopes", strings.Join(r.Scopes, " "), "tenant_id", r.TenantID, "expires_on", r.ExpiresOn.UTC(),
				"next_attempt", r.NextAttempt.UTC(), "permanent", r.Permanent, "error", r.Err.Error())
		}
	}
	return o
}

// classifyFailure is the cache's Options.Classify: permanent by code (see
// permanentCodes), and the Retry-After of the failed response, if any.
func classifyFailure(err error) tokencache.Failure {
	f := tokencache.Failure{RetryAfter: retryAfter(err, time.Now())}
	for _, c := range permanentCodes {
		if errors.Is(err, c) {
			f.Permanent = true
			break
		}
	}
	return f
}

// retryAfter returns the delay the failed response behind err asked for:
// x-ms-retry-after-ms or retry-after-ms (milliseconds), else Retry-After
// (seconds or an HTTP date), as azcore's retry policy reads them; 0 if
// none. The response is azidentity's AuthenticationFailedError's or
// azcore's ResponseError's.
func retryAfter(err error, now time.Time) time.Duration {
	var resp *http.Response
	var afe *azidentity.AuthenticationFailedError
	var re *azcore.ResponseError
	switch {
	case errors.As(err, &afe):
		resp = afe.RawResponse
	case errors.As(err, &re):
		resp = re.RawResponse
	}
	if resp == nil {
		return 0
	}
	for _, h := range []string{"X-Ms-Retry-After-Ms", "Retry-After-Ms"} {
		if ms, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get(h)), 10, 64); err == nil && ms > 0 {
			return time.Duration(min(ms, int64(tokencache.MaxRetryAfter/time.Millisecond))) * time.Millisecond
		}
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if s, err := strconv.ParseInt(v, 10, 64); err == nil && s > 0 {
		return time.Duration(min(s, int64(tokencache.MaxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), tokencache.MaxRetryAfter)
	}
	return 0
}

// rememberedDiagnostic is the cache's Options.Remembered: the remembered
// failure's diagnostic again, its summary saying when the next attempt is,
// wrapping r (and through it the original diagnostic and azidentity's
// error), so callers still get a *autherrors.Diagnostic with the same code.
// A failure that is not a diagnostic is returned as r, for GetToken to
// diagnose.
func rememberedDiagnostic(r *tokencache.RememberedError) error {
	var d *autherrors.Diagnostic
	if !errors.As(r.Err, &d) {
		return r
	}
	c := *d
	note := "; " + r.Note()
	summary := strings.TrimSuffix(d.Summary, ".")
	if room := autherrors.MaxFieldLen - len(note) - len(autherrors.Truncated); len(summary) > room {
		for room > 0 && !utf8.RuneStart(summary[room]) {
			room--
		}
		summary = summary[:room] + autherrors.Truncated
	}
	c.Summary, c.Err = summary+note, r
	return &c
}
