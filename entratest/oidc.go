package entratest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// gitHubIDTokenURL is ACTIONS_ID_TOKEN_REQUEST_URL: clients append
// "&audience=...", as on a real runner.
func (s *Server) gitHubIDTokenURL() string { return s.httpsURL + pathGitHub + "?api-version=2.0" }

// pipelinesOIDCURL is SYSTEM_OIDCREQUESTURI.
func (s *Server) pipelinesOIDCURL() string { return s.httpsURL + pathPipelines }

func bearer(r *http.Request, want string) bool {
	return headerIs(r, "Authorization", "Bearer "+want)
}

func (s *Server) subject(is Issuer) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subjects[is]
}

func (s *Server) serveGitHub(w http.ResponseWriter, r *http.Request) {
	aud := r.URL.Query().Get("audience")
	li := info(w)
	li.Resource, li.Identity = aud, s.subject(GitHubIssuer)
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "Method not allowed"})
		return
	}
	if !bearer(r, ActionsRequestToken) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return
	}
	if aud == "" {
		aud = "https://github.com/autoidentity"
	}
	lifetime := 5 * time.Minute
	if wantExpired(r) {
		lifetime = 0
	}
	tok, err := s.FederatedToken(GitHubIssuer, li.Identity, aud, lifetime)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "signing failed"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": 1, "value": tok})
}

func (s *Server) servePipelines(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	li := info(w)
	li.Identity, li.ClientID = s.subject(AzurePipelinesIssuer), q.Get("serviceConnectionId")
	w.Header().Set("x-vss-e2eid", newGUID())
	w.Header().Set("x-msedge-ref", "Ref A: entratest")
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, vssError("Method not allowed."))
		return
	}
	if !bearer(r, SystemAccessToken) {
		writeJSON(w, http.StatusUnauthorized, vssError("TF400813: The user is not authorized to access this resource."))
		return
	}
	if q.Get("api-version") == "" {
		writeJSON(w, http.StatusBadRequest, vssError("VS403403: The api-version query parameter is required."))
		return
	}
	if !strings.EqualFold(q.Get("serviceConnectionId"), DefaultServiceConnectionID) {
		writeJSON(w, http.StatusNotFound, vssError(fmt.Sprintf("Service connection %s was not found or is not authorized for this pipeline.", q.Get("serviceConnectionId"))))
		return
	}
	lifetime := 10 * time.Minute
	if wantExpired(r) {
		lifetime = 0
	}
	tok, err := s.FederatedToken(AzurePipelinesIssuer, li.Identity, FederatedAudience, lifetime)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, vssError("signing failed"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"oidcToken": tok})
}

func vssError(msg string) map[string]any {
	return map[string]any{"$id": "1", "innerException": nil, "message": msg,
		"typeName": "Microsoft.VisualStudio.Services.Common.VssServiceException, Microsoft.VisualStudio.Services.Common",
		"typeKey":  "VssServiceException", "errorCode": 0, "eventId": 3000}
}

// serviceAccountTokenFile is the default path for [Server.WriteServiceAccountToken]:
// Dir/azure-identity-token, like AKS's projected token file.
func (s *Server) serviceAccountTokenFile() string {
	return filepath.Join(s.dir, "azure-identity-token")
}

// WriteServiceAccountToken writes a fresh AKS service account token
// (issuer [AKSIssuer], the AKS subject, audience [FederatedAudience]) to path
// ("" means the AZURE_FEDERATED_TOKEN_FILE of [Server.WorkloadIdentityEnv],
// [Server.Dir]/azure-identity-token), replacing the file atomically
// the way the kubelet rotates it. lifetime <= 0 writes an expired token.
// Call it again to rotate.
func (s *Server) WriteServiceAccountToken(path string, lifetime time.Duration) error {
	if path == "" {
		path = s.serviceAccountTokenFile()
	}
	tok, err := s.FederatedToken(AKSIssuer, s.subject(AKSIssuer), FederatedAudience, lifetime)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".token-*")
	if err != nil {
		return fmt.Errorf("entratest: writing service account token: %w", err)
	}
	if _, err = tmp.WriteString(tok); err == nil {
		err = tmp.Close()
	} else {
		_ = tmp.Close()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("entratest: writing service account token %s: %w", path, err)
	}
	return nil
}
