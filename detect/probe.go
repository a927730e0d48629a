package detect

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"
)

// IMDSEndpoint is the Azure Instance Metadata Service's token endpoint,
// which [ProbeIMDS] asks by default.
const IMDSEndpoint = "http://169.254.169.254/metadata/identity/oauth2/token"

// DefaultProbeTimeout bounds [ProbeIMDS]. IMDS is a link-local service that
// answers within milliseconds on Azure; elsewhere the packets to
// 169.254.169.254 are usually dropped, so the timeout is what a negative
// answer costs. One second is what azidentity's DefaultAzureCredential
// allows its own IMDS probe, so both decide alike.
const DefaultProbeTimeout = time.Second

// ProbeOptions configure [ProbeIMDS]. The zero value probes [IMDSEndpoint]
// for the system-assigned identity within [DefaultProbeTimeout].
type ProbeOptions struct {
	// Client sends the request. Default: a client that ignores proxy
	// settings (IMDS is link-local and must not be proxied) and follows no
	// redirects.
	Client *http.Client
	// ClientID, if set, asks for that user-assigned identity (client_id),
	// so "Identity not found" refers to it.
	ClientID string
	// Endpoint is the token endpoint to probe. Default [IMDSEndpoint].
	Endpoint string
	// Timeout bounds the probe. Default [DefaultProbeTimeout].
	Timeout time.Duration
}

var defaultProbeClient = &http.Client{
	Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// ProbeIMDS asks the managed identity token endpoint for a token for Azure
// Resource Manager, with the Metadata: true header IMDS requires, and
// reports whether anything answered. Any HTTP answer, even an error status,
// means IMDS is there (azidentity decides the same way); the status and
// IMDS's error description are kept as evidence. A token in the answer is
// read and discarded, never kept. This is the only network access in
// package detect; pass its result to [Detect] through [Options].Probe.
func ProbeIMDS(ctx context.Context, opts *ProbeOptions) Probe {
	o := opts.withDefaults()
	p := Probe{Endpoint: o.Endpoint}
	u, err := probeURL(o.Endpoint, o.ClientID)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	req.Header.Set("Metadata", "true")
	start := time.Now()
	resp, err := o.Client.Do(req)
	p.Latency = time.Since(start)
	if err != nil {
		p.Error = sendError(ctx, err, o.Timeout)
		return p
	}
	defer resp.Body.Close()
	p.OK, p.Status = true, resp.StatusCode
	if resp.StatusCode >= 400 {
		p.Detail = errorDetail(resp.Body)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return p
}

// withDefaults copies o (nil means defaults) and fills in the defaults.
func (o *ProbeOptions) withDefaults() ProbeOptions {
	var c ProbeOptions
	if o != nil {
		c = *o
	}
	if c.Client == nil {
		c.Client = defaultProbeClient
	}
	if c.Endpoint == "" {
		c.Endpoint = IMDSEndpoint
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultProbeTimeout
	}
	return c
}

// probeURL is the token request's URL: endpoint asking for an ARM token,
// for clientID's user-assigned identity if set.
func probeURL(endpoint, clientID string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", errors.New("the endpoint is not an http(s) URL")
	}
	q := u.Query()
	q.Set("api-version", "2018-02-01")
	q.Set("resource", "https://management.azure.com/")
	if clientID != "" {
		q.Set("client_id", clientID)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// sendError describes why the request sent under ctx, which the probe's
// timeout bounds, got no answer.
func sendError(ctx context.Context, err error, timeout time.Duration) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		return "no answer within " + timeout.String()
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// errorDetail reads IMDS's error and description from an error answer's
// body (at most 4 KiB of it), clipped to 300 bytes; "" if it has none.
func errorDetail(body io.Reader) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.NewDecoder(io.LimitReader(body, 4096)).Decode(&e) != nil || e.Error == "" {
		return ""
	}
	detail := e.Error
	if e.Description != "" {
		detail += ": " + e.Description
	}
	if len(detail) > 300 {
		detail = detail[:300] + "…"
	}
	return detail
}
