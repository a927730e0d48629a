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
	var o ProbeOptions
	if opts != nil {
		o = *opts
	}
	if o.Client == nil {
		o.Client = defaultProbeClient
	}
	if o.Endpoint == "" {
		o.Endpoint = IMDSEndpoint
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultProbeTimeout
	}
	p := Probe{Endpoint: o.Endpoint}
	u, err := url.Parse(o.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		p.Error = "the endpoint is not an http(s) URL"
		return p
	}
	q := u.Query()
	q.Set("api-version", "2018-02-01")
	q.Set("resource", "https://management.azure.com/")
	if o.ClientID != "" {
		q.Set("client_id", o.ClientID)
	}
	u.RawQuery = q.Encode()

	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	req.Header.Set("Metadata", "true")
	start := time.Now()
	resp, err := o.Client.Do(req)
	p.Latency = time.Since(start)
	if err != nil {
		switch {
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
			p.Error = "no answer within " + o.Timeout.String()
		case errors.Is(err, context.Canceled):
			p.Error = "canceled"
		default:
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			p.Error = err.Error()
		}
		return p
	}
	defer resp.Body.Close()
	p.OK, p.Status = true, resp.StatusCode
	if resp.StatusCode >= 400 {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&e) == nil && e.Error != "" {
			p.Detail = e.Error
			if e.Description != "" {
				p.Detail += ": " + e.Description
			}
			if len(p.Detail) > 300 {
				p.Detail = p.Detail[:300] + "…"
			}
		}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return p
}
