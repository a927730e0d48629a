package credential

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// MaxResponseBytes is the largest response body a credential built by [New]
// accepts from any identity endpoint (Microsoft Entra ID, a managed identity
// endpoint, a CI OIDC endpoint), whatever the status. Real token, discovery,
// metadata and error responses are a few KB; anything larger is a
// misconfigured URL, a proxy page or a hostile endpoint. Reading byte
// MaxResponseBytes+1 is an error, and the connection is closed; the body is
// never held in memory whole.
//
// One gap: ManagedIdentityCredential on Service Fabric requires
// ClientOptions.Transport to be a plain *http.Client, which MSAL clones to
// pin the cluster's certificate (IDENTITY_SERVER_THUMBPRINT), so there the
// cap is not in the transport. A success response (2xx) over the cap is
// still refused without being read whole; an error response (400 and above)
// is read whole by azcore before it is refused. The endpoint is the local
// Service Fabric cluster agent, reached over TLS pinned to that thumbprint.
const MaxResponseBytes = 1 << 20

// maxRequestBytes caps the request body the wire check reads. Token
// requests are a few KB; a larger body cannot be checked cheaply, so it is
// refused.
const maxRequestBytes = 1 << 20

// guardWire returns a copy of co whose pipeline ends its per-retry policies
// with the wire check and whose transport caps response bodies. It is layer
// 0 of "never a person": every request azidentity and MSAL send (token
// requests, instance discovery, managed identity, the CI OIDC endpoints)
// crosses the policy, so zero password grants holds by transport, not by
// type switches. The credential types [New] builds never send user traffic;
// this makes a mistake in that switch, a caller's policy or a future
// azidentity default fail closed before a password leaves the process.
//
// The check is a policy, so it keeps working where the transport cannot be
// wrapped (Service Fabric, see [uncapTransport]). The response cap is in
// both: azcore's bodyDownloadPolicy, below every caller policy, reads an
// error response (HTTP 400 and above) whole, so only the transport can stop
// that read; the policy still caps a success response when the transport is
// not wrapped.
//
// The returned slice is new (the caller's backing array is never written),
// and an earlier wire policy is dropped, so the check always runs last,
// below any caller policy. A transport guardWire wrapped is not wrapped
// again, so guardWire is idempotent.
func guardWire(co azcore.ClientOptions) azcore.ClientOptions {
	ps := make([]policy.Policy, 0, len(co.PerRetryPolicies)+1)
	for _, p := range co.PerRetryPolicies {
		if _, ok := p.(wirePolicy); !ok {
			ps = append(ps, p)
		}
	}
	co.PerRetryPolicies = append(ps, wirePolicy{})
	if _, ok := co.Transport.(capTransport); !ok {
		co.Transport = capTransport{next: co.Transport}
	}
	return co
}

// uncapTransport returns co with the transport guardWire wrapped put back,
// nil included, for ManagedIdentityCredential on Service Fabric: it requires
// ClientOptions.Transport to be an *http.Client (nil meaning the SDK's
// default), which MSAL clones to pin the cluster's certificate. The wire
// check stays; response bodies are capped by the policy alone (see
// [MaxResponseBytes] for what that leaves).
func uncapTransport(co azcore.ClientOptions) azcore.ClientOptions {
	if t, ok := co.Transport.(capTransport); ok {
		co.Transport = t.next
	}
	return co
}

// capTransport hands out response bodies that fail past MaxResponseBytes.
type capTransport struct {
	next policy.Transporter // the caller's; nil means defaultClient
}

// Do implements policy.Transporter.
func (t capTransport) Do(req *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = defaultClient()
	}
	resp, err := next.Do(req)
	if err != nil || resp == nil || resp.Body == nil || resp.Body == http.NoBody {
		return resp, err
	}
	resp.Body = &capBody{rc: resp.Body, host: req.URL.Host, left: MaxResponseBytes}
	return resp, nil
}

// defaultClient stands in for azcore's default HTTP client when
// ClientOptions.Transport is nil: the cap must wrap a transport, and azcore
// keeps its own in a package (sdk/internal/transport) no other module can
// import. It copies that client's settings as of azcore v1.23.3: proxy from
// the environment, 30 s dial timeout and keep-alive, HTTP/2 with a 10 s
// idle ping, TLS 1.2 or later, renegotiation as a client. Its connection
// pool is its own, shared by every credential New builds.
var defaultClient = sync.OnceValue(func() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   10,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12, Renegotiation: tls.RenegotiateFreelyAsClient},
		HTTP2:                 &http.HTTP2Config{SendPingTimeout: 10 * time.Second, PingTimeout: 5 * time.Second},
	}}
})

// capBody is a response body that returns tooLarge, and closes the body
// under it, once more than MaxResponseBytes bytes would be read. Reads are
// not concurrent (io.Reader); Close may run alongside one, as on an
// *http.Response body.
type capBody struct {
	rc        io.ReadCloser
	host      string
	left      int64 // bytes still allowed
	err       error // the over-cap error, once returned
	closeOnce sync.Once
	closeErr  error
}

func (b *capBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte past the cap tells over from exactly at it
	}
	n, err := b.rc.Read(p)
	if int64(n) <= b.left {
		b.left -= int64(n)
		return n, err
	}
	n, b.left = int(b.left), 0
	b.err = tooLarge(b.host)
	_ = b.Close() // hang up: the rest is never read
	return n, b.err
}

func (b *capBody) Close() error {
	b.closeOnce.Do(func() { b.closeErr = b.rc.Close() })
	return b.closeErr
}

// errTooLarge is the cause of every over-cap refusal.
var errTooLarge = final{errors.New("credential: response too large")}

// tooLarge is the diagnostic for a response from host over the cap.
func tooLarge(host string) error {
	return autherrors.New(autherrors.ErrServiceUnavailable,
		fmt.Sprintf("credential: the response from %s is over %d bytes (credential.MaxResponseBytes); a token response is a few KB", host, MaxResponseBytes),
		"check that the identity endpoint's URL is right and that no proxy or captive portal answers in its place", errTooLarge)
}

// wirePolicy refuses user-identity requests before they are sent and caps
// response bodies at MaxResponseBytes.
type wirePolicy struct{}

// errRefused is the cause of every wire refusal: nothing was sent.
var errRefused = final{errors.New("credential: refused on the wire; nothing was sent")}

// final marks an error azcore's retry policy must not retry: it finds the
// NonRetriable method through the *autherrors.Diagnostic's Unwrap.
type final struct{ error }

func (final) NonRetriable()   {}
func (f final) Unwrap() error { return f.error }

// Do implements policy.Policy. A refusal or an over-cap answer is also
// recorded as the request's cause (see cause.go): azidentity keeps only
// its text.
func (w wirePolicy) Do(req *policy.Request) (*http.Response, error) {
	resp, err := w.do(req)
	if err != nil {
		recordCause(req.Raw().Context(), err)
	}
	return resp, err
}

func (wirePolicy) do(req *policy.Request) (*http.Response, error) {
	host := req.Raw().URL.Host
	if what := userTraffic(req); what != "" {
		return nil, autherrors.New(autherrors.ErrUserIdentityRefused, "credential: refused "+what+" to "+host+" before sending it",
			"use a managed identity, workload identity federation or a service principal (client secret or certificate); autoidentity never signs in as a person",
			errRefused)
	}
	// Stop bodyDownloadPolicy, below, reading the whole body into memory.
	// It ignores this for error statuses (>= 400), which it reads through
	// the transport's cap (capTransport); over it, req.Next fails.
	runtime.SkipBodyDownload(req)
	resp, err := req.Next()
	var d *autherrors.Diagnostic
	if errors.Is(err, errTooLarge) && errors.As(err, &d) {
		return nil, d // capTransport's, without bodyDownloadPolicy's prefix
	}
	if err != nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	_ = resp.Body.Close()
	switch {
	case errors.Is(err, errTooLarge):
		return nil, err // capTransport's diagnostic
	case err != nil:
		err = fmt.Errorf("credential: reading the response from %s: %w", host, err)
		if m := req.Raw().Method; m != http.MethodGet && m != http.MethodPut && m != http.MethodDelete {
			err = final{err} // as bodyDownloadPolicy: only idempotent requests are retried
		}
		return nil, err
	case len(b) > MaxResponseBytes: // the transport is not capped (Service Fabric)
		return nil, tooLarge(host)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	// Mark the body downloaded, as bodyDownloadPolicy would have.
	if _, err := runtime.Payload(resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// userTraffic says what req is if it is user-identity traffic, else "". It
// never quotes a value from the request.
func userTraffic(req *policy.Request) string {
	u := req.Raw().URL
	for _, seg := range strings.Split(u.Path, "/") {
		// u.Path is decoded once; decode again for a double-encoded path.
		again, _ := url.PathUnescape(seg)
		for _, s := range []string{seg, again} {
			s, _, _ = strings.Cut(s, ";")
			switch strings.ToLower(strings.TrimRight(s, ". ")) {
			case "devicecode":
				return "a device code request (/devicecode)"
			case "authorize":
				return "an authorization request (/authorize)"
			}
		}
	}
	h := req.Raw().Header
	if h.Get("SOAPAction") != "" || strings.Contains(strings.ToLower(h.Get("Content-Type")), "soap") {
		return "a WS-Trust (SOAP) request, which carries a federated user's password"
	}
	body := req.Body()
	if body == nil {
		if rb := req.Raw().Body; rb != nil && rb != http.NoBody {
			return "a request whose body the wire check cannot read and rewind"
		}
		return formTraffic(u.RawQuery)
	}
	// Seek the body itself rather than req.RewindBody, which would replace
	// the retry policy's non-closing wrapper around it for this try.
	_, err := body.Seek(0, io.SeekStart)
	var b []byte
	if err == nil {
		b, err = io.ReadAll(io.LimitReader(body, maxRequestBytes+1))
	}
	if _, serr := body.Seek(0, io.SeekStart); err == nil {
		err = serr
	}
	switch {
	case err != nil:
		return "a request whose body could not be read and rewound"
	case len(b) > maxRequestBytes:
		return fmt.Sprintf("a request body over %d bytes, too large to check", maxRequestBytes)
	}
	// One form: a grant_type in the query counts with one in the body.
	return formTraffic(u.RawQuery + "&" + string(b))
}

// grantNames names the grant types a refusal may mention; any other value is
// described, never quoted.
var grantNames = map[string]string{
	"password":           "a password grant (grant_type=password)",
	"refresh_token":      "a refresh token grant (grant_type=refresh_token)",
	"authorization_code": "an authorization code grant (grant_type=authorization_code)",
	"device_code":        "a device code grant",
	"urn:ietf:params:oauth:grant-type:device_code":    "a device code grant",
	"urn:ietf:params:oauth:grant-type:jwt-bearer":     "an on-behalf-of grant (grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer)",
	"urn:ietf:params:oauth:grant-type:saml1_1-bearer": "a SAML user assertion grant",
	"urn:ietf:params:oauth:grant-type:saml2-bearer":   "a SAML user assertion grant",
}

// formTraffic reads s as application/x-www-form-urlencoded, whatever the
// request's Content-Type says, splitting on ';' as well as '&'
// (url.ParseQuery drops pairs with ';', which a lenient server may split).
// Keys compare case-insensitively and after percent-decoding, as a lenient
// server's might. It refuses any grant_type but exactly one
// client_credentials (named first, being the more telling), and a password
// or username field.
func formTraffic(s string) string {
	n, grant, field := 0, "", ""
	for _, pair := range strings.FieldsFunc(s, func(r rune) bool { return r == '&' || r == ';' }) {
		k, v, _ := strings.Cut(pair, "=")
		if d, err := url.QueryUnescape(k); err == nil {
			k = d
		}
		switch k = strings.ToLower(strings.TrimSpace(k)); k {
		case "password", "username":
			field = "a request carrying a " + k + " field"
		case "grant_type":
			n++
			if g, err := url.QueryUnescape(v); err != nil || g != "client_credentials" {
				grant = "a token request whose grant_type is not client_credentials"
				if name, ok := grantNames[strings.ToLower(strings.TrimSpace(g))]; ok && err == nil {
					grant = name
				}
			}
		}
	}
	switch {
	case grant != "":
		return grant
	case n > 1:
		return fmt.Sprintf("a token request with %d grant_type values", n)
	}
	return field
}
