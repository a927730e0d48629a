package entratest

import (
	"crypto/subtle"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// API versions the managed identity endpoints require (as MSAL sends them).
const (
	imdsAPIVersion          = "2018-02-01"
	appServiceAPIVersion    = "2019-08-01"
	arcAPIVersion           = "2020-06-01"
	azureMLAPIVersion       = "2017-09-01"
	serviceFabricAPIVersion = "2019-07-01-preview"
)

func miError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// appServiceError is App Service's error shape.
func appServiceError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"statusCode": status, "message": msg, "correlationId": newGUID()})
}

func headerIs(r *http.Request, name, want string) bool {
	return subtle.ConstantTimeCompare([]byte(r.Header.Get(name)), []byte(want)) == 1
}

// miToken issues a token for a managed identity; ok is false (and the
// answer written) when the resource is unknown.
func (s *Server) miToken(w http.ResponseWriter, r *http.Request, m *ManagedIdentity, resource string) (string, time.Time, bool) {
	if e := s.checkResource(resource, m.TenantID); e != nil {
		info(w).Code = e.code
		miError(w, http.StatusBadRequest, "invalid_resource", "AADSTS500011: "+e.msg)
		return "", time.Time{}, false
	}
	p := principal{idtyp: "app", tenantID: m.TenantID, objectID: m.ObjectID, appID: m.ClientID, appidacr: "2", mirid: m.ResourceID}
	tok, exp, err := s.accessToken(r, p, resource, nil)
	if err != nil {
		miError(w, http.StatusInternalServerError, "server_error", "entratest: signing failed")
		return "", time.Time{}, false
	}
	return tok, exp, true
}

// imdsShape is IMDS's answer: every number a string.
func imdsShape(tok string, exp time.Time, resource, clientID string) map[string]string {
	now := time.Now()
	in := strconv.FormatInt(int64(time.Until(exp)/time.Second), 10)
	return map[string]string{
		"access_token": tok, "client_id": clientID, "expires_in": in, "ext_expires_in": in,
		"expires_on": strconv.FormatInt(exp.Unix(), 10), "not_before": strconv.FormatInt(now.Unix(), 10),
		"resource": resource, "token_type": "Bearer",
	}
}

func (s *Server) serveIMDS(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	li := info(w)
	li.Resource = q.Get("resource")
	li.Identity = q.Get("client_id") + q.Get("object_id") + q.Get("msi_res_id") + q.Get("mi_res_id")
	if r.Method != http.MethodGet {
		miError(w, http.StatusMethodNotAllowed, "invalid_request", "Only GET is supported")
		return
	}
	if r.Header.Get("Metadata") != "true" {
		miError(w, http.StatusBadRequest, "invalid_request", "Required metadata header not specified")
		return
	}
	if q.Get("api-version") == "" || q.Get("resource") == "" {
		miError(w, http.StatusBadRequest, "invalid_request", "Required query variable 'api-version' or 'resource' not specified")
		return
	}
	m := s.findIdentity(IMDS, q.Get("client_id"), q.Get("object_id"), q.Get("msi_res_id")+q.Get("mi_res_id"))
	if m == nil {
		miError(w, http.StatusBadRequest, "invalid_request", "Identity not found")
		return
	}
	tok, exp, ok := s.miToken(w, r, m, q.Get("resource"))
	if ok {
		writeJSON(w, http.StatusOK, imdsShape(tok, exp, q.Get("resource"), m.ClientID))
	}
}

func (s *Server) serveAppService(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	li := info(w)
	li.Resource = q.Get("resource")
	li.Identity = q.Get("client_id") + q.Get("object_id") + q.Get("principal_id") + q.Get("mi_res_id")
	if !headerIs(r, "X-IDENTITY-HEADER", IdentityHeader) {
		appServiceError(w, http.StatusUnauthorized, "X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER.")
		return
	}
	if q.Get("api-version") != appServiceAPIVersion {
		appServiceError(w, http.StatusBadRequest, "api-version must be "+appServiceAPIVersion+".")
		return
	}
	m := s.findIdentity(AppService, q.Get("client_id"), q.Get("object_id")+q.Get("principal_id"), q.Get("mi_res_id"))
	if m == nil {
		appServiceError(w, http.StatusBadRequest, "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.")
		return
	}
	if tok, exp, ok := s.miToken(w, r, m, q.Get("resource")); ok {
		writeJSON(w, http.StatusOK, map[string]string{
			"access_token": tok, "expires_on": strconv.FormatInt(exp.Unix(), 10),
			"resource": q.Get("resource"), "token_type": "Bearer", "client_id": m.ClientID,
		})
	}
}

// arcKeyDir is where the Azure Arc endpoint writes its challenge key files:
// Dir/arc-tokens. (The real agent uses /var/opt/azcmagent/tokens, which MSAL
// insists on; see the package documentation.)
func (s *Server) arcKeyDir() string { return filepath.Join(s.dir, "arc-tokens") }

func (s *Server) serveArc(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	li := info(w)
	li.Resource = q.Get("resource")
	li.Identity = q.Get("client_id") + q.Get("object_id") + q.Get("msi_res_id")
	if r.Header.Get("Metadata") != "true" {
		miError(w, http.StatusBadRequest, "invalid_request", "Required metadata header not specified")
		return
	}
	if q.Get("api-version") != arcAPIVersion {
		miError(w, http.StatusBadRequest, "invalid_request", "api-version must be "+arcAPIVersion)
		return
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		path, err := s.newArcKey()
		if err != nil {
			miError(w, http.StatusInternalServerError, "server_error", "entratest: cannot write the Arc key file")
			return
		}
		w.Header().Set("WWW-Authenticate", "Basic realm="+path)
		miError(w, http.StatusUnauthorized, "unauthorized", "Authorization header required; read the key file named in WWW-Authenticate")
		return
	}
	s.mu.Lock()
	keyFile := s.arcKeyFile
	s.mu.Unlock()
	want, err := os.ReadFile(keyFile)
	if err != nil || keyFile == "" || subtle.ConstantTimeCompare([]byte(auth), []byte("Basic "+string(want))) != 1 {
		miError(w, http.StatusUnauthorized, "unauthorized", "The key in the Authorization header is not the current challenge key")
		return
	}
	m := s.findIdentity(AzureArc, q.Get("client_id"), q.Get("object_id"), q.Get("msi_res_id"))
	if m == nil {
		miError(w, http.StatusBadRequest, "invalid_request", "Identity not found")
		return
	}
	tok, exp, ok := s.miToken(w, r, m, q.Get("resource"))
	if !ok {
		return
	}
	body := imdsShape(tok, exp, q.Get("resource"), m.ClientID)
	// The agent echoes the user-assigned identity it used; MSAL checks it.
	for _, k := range []string{"client_id", "object_id", "msi_res_id"} {
		if v := q.Get(k); v != "" {
			body[k] = v
		}
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) newArcKey() (string, error) {
	dir := s.arcKeyDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, newGUID()+".key")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(newGUID(), "-", "")), 0o600); err != nil {
		return "", err
	}
	s.mu.Lock()
	old := s.arcKeyFile
	s.arcKeyFile = path
	s.mu.Unlock()
	if old != "" {
		_ = os.Remove(old)
	}
	return path, nil
}

// userToken answers Cloud Shell and identity-less Azure ML: the signed-in
// user's token, in the IMDS shape.
func (s *Server) userToken(w http.ResponseWriter, r *http.Request, resource string) {
	s.mu.Lock()
	u := s.users[strings.ToLower(MFAUsername)]
	s.mu.Unlock()
	if u == nil {
		miError(w, http.StatusBadRequest, "invalid_request", "No user is signed in")
		return
	}
	info(w).Identity = u.Username
	if e := s.checkResource(resource, u.TenantID); e != nil {
		info(w).Code = e.code
		miError(w, http.StatusBadRequest, "invalid_resource", "AADSTS500011: "+e.msg)
		return
	}
	// Cloud Shell's client is the Azure CLI's public client.
	p := principal{idtyp: "user", tenantID: u.TenantID, objectID: u.ObjectID, appID: AzureCLIClientID, appidacr: "0", username: u.Username,
		mfa: true} // signed in to the portal, which requires MFA
	tok, exp, err := s.accessToken(r, p, resource, nil)
	if err != nil {
		miError(w, http.StatusInternalServerError, "server_error", "entratest: signing failed")
		return
	}
	body := imdsShape(tok, exp, resource, "")
	delete(body, "client_id")
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) serveCloudShell(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("Metadata") != "true" {
		miError(w, http.StatusBadRequest, "invalid_request", "Cloud Shell expects POST with Metadata: true")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil || r.PostForm.Get("resource") == "" {
		miError(w, http.StatusBadRequest, "invalid_request", "resource is required")
		return
	}
	info(w).Resource = r.PostForm.Get("resource")
	s.userToken(w, r, r.PostForm.Get("resource"))
}

func (s *Server) serveAzureML(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	li := info(w)
	li.Resource = q.Get("resource")
	li.Identity = q.Get("clientid")
	if !headerIs(r, "secret", IdentityHeader) {
		miError(w, http.StatusUnauthorized, "unauthorized", "secret header is missing or does not match MSI_SECRET")
		return
	}
	if q.Get("api-version") != azureMLAPIVersion {
		miError(w, http.StatusBadRequest, "invalid_request", "api-version must be "+azureMLAPIVersion)
		return
	}
	s.mu.Lock()
	hasMI := s.system[AzureML] != nil
	s.mu.Unlock()
	if !hasMI && q.Get("clientid") == "" {
		s.userToken(w, r, q.Get("resource")) // a compute instance without managed identity
		return
	}
	m := s.findIdentity(AzureML, q.Get("clientid"), "", "")
	if m == nil {
		miError(w, http.StatusBadRequest, "invalid_request", "Identity not found")
		return
	}
	if tok, exp, ok := s.miToken(w, r, m, q.Get("resource")); ok {
		body := imdsShape(tok, exp, q.Get("resource"), m.ClientID)
		delete(body, "ext_expires_in")
		writeJSON(w, http.StatusOK, body)
	}
}

func (s *Server) serveServiceFabric(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	info(w).Resource = q.Get("resource")
	if !headerIs(r, "Secret", IdentityHeader) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]string{"code": "SecretHeaderNotFound", "message": "Secret is not found in the request headers."}})
		return
	}
	if q.Get("api-version") != serviceFabricAPIVersion {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "InvalidApiVersion", "message": "api-version must be " + serviceFabricAPIVersion}})
		return
	}
	m := s.findIdentity(ServiceFabric, "", "", "")
	if m == nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "ManagedIdentityNotFound", "message": "No managed identity is configured for this application."}})
		return
	}
	if tok, exp, ok := s.miToken(w, r, m, q.Get("resource")); ok {
		writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "access_token": tok, "expires_on": exp.Unix(), "resource": q.Get("resource")})
	}
}
