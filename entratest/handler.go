package entratest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Paths of the endpoints whose URLs the environment carries.
const (
	pathIMDS          = "/metadata/identity/oauth2/token"
	pathAppService    = "/msi/token"
	pathArc           = "/arc/metadata/identity/oauth2/token"
	pathCloudShell    = "/cloudshell/oauth2/token"
	pathAzureML       = "/azureml/token"
	pathServiceFabric = "/servicefabric/token"
	pathGitHub        = "/github/idtoken"
	pathPipelines     = "/ado/oidctoken"
	pathRequests      = "/requests"
)

func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.handlerGroup.Add(1)
	s.inFlight.Add(1)
	return true
}

func (s *Server) handler(secure bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.enter() {
			http.Error(w, "entratest: server closing", http.StatusServiceUnavailable)
			return
		}
		defer s.handlerGroup.Done()
		defer s.inFlight.Add(-1)
		ep, h := s.route(secure, r)
		rec := &recorder{ResponseWriter: w, req: Request{Time: time.Now().UTC(), Endpoint: ep, Method: r.Method, Path: r.URL.Path}}
		if h == nil {
			writeJSON(rec, http.StatusNotFound, map[string]string{"error": "not_found", "error_description": "entratest: no endpoint at " + r.URL.Path})
			s.logRequest(rec.req)
			return
		}
		if ep == admin {
			h(rec, r)
			return
		}
		if f := s.takeFault(ep); f != nil {
			s.serveFault(rec, r, f, h)
		} else {
			h(rec, r)
		}
		s.logRequest(rec.req)
	})
}

func (s *Server) route(secure bool, r *http.Request) (Endpoint, http.HandlerFunc) {
	p := r.URL.Path
	if !secure {
		switch p {
		case pathIMDS:
			return IMDS, s.serveIMDS
		case pathAppService:
			return AppService, s.serveAppService
		case pathArc:
			return AzureArc, s.serveArc
		case pathCloudShell:
			return CloudShell, s.serveCloudShell
		case pathAzureML:
			return AzureML, s.serveAzureML
		case pathRequests:
			return admin, s.serveRequests
		}
		return "", nil
	}
	switch p {
	case pathServiceFabric:
		return ServiceFabric, s.serveServiceFabric
	case pathGitHub:
		return GitHubOIDC, s.serveGitHub
	case pathPipelines:
		return AzurePipelinesOIDC, s.servePipelines
	}
	seg := strings.Split(strings.Trim(p, "/"), "/")
	if strings.EqualFold(seg[0], "subscriptions") {
		return ARM, s.serveARM
	}
	switch {
	case len(seg) == 4 && seg[1] == "oauth2" && seg[2] == "v2.0" && seg[3] == "token":
		return TokenEndpoint, s.serveToken
	case len(seg) == 4 && seg[1] == "v2.0" && seg[2] == ".well-known" && seg[3] == "openid-configuration":
		return Discovery, s.serveOpenIDConfiguration
	case len(seg) == 4 && seg[1] == "discovery" && seg[2] == "v2.0" && seg[3] == "keys",
		len(seg) == 3 && seg[1] == "discovery" && seg[2] == "keys":
		return Discovery, s.serveEntraKeys
	case len(seg) == 3 && seg[0] == "common" && seg[1] == "discovery" && seg[2] == "instance":
		return Discovery, s.serveInstanceDiscovery
	case len(seg) == 3 && strings.EqualFold(seg[1], "userrealm"):
		// MSAL asks /common/userrealm/{user}; ADAL-era clients the tenant's.
		return Discovery, s.serveUserRealm
	case len(seg) == 3 && seg[0] == "issuers" && seg[2] == "jwks":
		return Discovery, s.serveIssuerKeys
	}
	return "", nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) serveRequests(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
		return
	}
	reqs := s.Requests()
	if reqs == nil {
		reqs = []Request{}
	}
	writeJSON(w, http.StatusOK, reqs)
}
