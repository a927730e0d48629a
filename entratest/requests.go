package entratest

import (
	"bufio"
	"net"
	"net/http"
	"time"
)

// Endpoint names what the emulator serves; it keys the request log and
// [Fault] injection. Values are spelled as the JSON request log prints them.
type Endpoint string

// The emulator's endpoints.
const (
	// TokenEndpoint is Entra's /{tenant}/oauth2/v2.0/token.
	TokenEndpoint Endpoint = "token"
	// Discovery covers OpenID configuration, instance discovery, user realm
	// discovery and the JWKS documents.
	Discovery Endpoint = "discovery"
	// IMDS is the Azure Instance Metadata Service token endpoint.
	IMDS Endpoint = "imds"
	// AppService is App Service / Functions / Container Apps IDENTITY_ENDPOINT.
	AppService Endpoint = "app-service"
	// AzureArc is the Azure Arc agent's endpoint.
	AzureArc Endpoint = "azure-arc"
	// CloudShell is Cloud Shell's MSI_ENDPOINT.
	CloudShell Endpoint = "cloud-shell"
	// AzureML is Azure Machine Learning's MSI_ENDPOINT.
	AzureML Endpoint = "azure-ml"
	// ServiceFabric is Service Fabric's IDENTITY_ENDPOINT (HTTPS, pinned).
	ServiceFabric Endpoint = "service-fabric"
	// GitHubOIDC is ACTIONS_ID_TOKEN_REQUEST_URL.
	GitHubOIDC Endpoint = "github-oidc"
	// AzurePipelinesOIDC is SYSTEM_OIDCREQUESTURI.
	AzurePipelinesOIDC Endpoint = "azure-pipelines-oidc"
	// ARM is the emulated Azure Resource Manager ([Server.ARMEndpoint]).
	ARM Endpoint = "arm"
)

// admin is the emulator's own admin API (GET /requests); it is neither
// logged nor open to faults.
const admin Endpoint = "admin"

// Request is one request the emulator received. It never holds a secret:
// no client secret, password, assertion, header or token.
type Request struct {
	Time     time.Time `json:"time"`
	Endpoint Endpoint  `json:"endpoint"`
	Method   string    `json:"method"`
	// Path is the URL path, without the query.
	Path string `json:"path"`
	// GrantType is the token request's grant_type, e.g. "client_credentials"
	// or "password".
	GrantType string `json:"grant_type,omitempty"`
	ClientID  string `json:"client_id,omitempty"`
	TenantID  string `json:"tenant_id,omitempty"`
	// Identity is the managed identity selector, the username of a password
	// grant, the subject of a federated token, or the caller of a Resource
	// Manager request (UPN, or object ID for a workload).
	Identity string `json:"identity,omitempty"`
	// Resource is the requested resource or scope.
	Resource string `json:"resource,omitempty"`
	// Status is the HTTP status sent; 0 if none (hang, reset).
	Status int `json:"status"`
	// Code is the AADSTS code of an error answer.
	Code int `json:"aadsts,omitempty"`
	// Fault is true when an injected fault shaped the answer.
	Fault bool `json:"fault,omitempty"`
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many logged requests match, e.g. password grants:
//
//	srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" })
func (s *Server) Count(match func(Request) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if match(r) {
			n++
		}
	}
	return n
}

// EndpointRequests counts requests to ep: srv.EndpointRequests(TokenEndpoint)
// is how many token requests reached Entra. It is [Server.Count] for the
// question most tests ask.
func (s *Server) EndpointRequests(ep Endpoint) int {
	return s.Count(func(r Request) bool { return r.Endpoint == ep })
}

// ClearRequests empties the request log.
func (s *Server) ClearRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

func (s *Server) logRequest(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

// recorder captures the status and request details for the log.
type recorder struct {
	http.ResponseWriter
	req Request
}

func (r *recorder) WriteHeader(status int) {
	if r.req.Status == 0 {
		r.req.Status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.req.Status == 0 {
		r.req.Status = http.StatusOK
	}
	return r.ResponseWriter.Write(p)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

// info returns the log entry of the current request, for handlers to fill.
func info(w http.ResponseWriter) *Request {
	for {
		switch t := w.(type) {
		case *recorder:
			return &t.req
		case *bufferWriter:
			return &t.rec.req
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return &Request{}
		}
	}
}
