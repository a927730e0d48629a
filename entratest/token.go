package entratest

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

const (
	grantClientCredentials = "client_credentials"
	grantPassword          = "password"
	grantRefreshToken      = "refresh_token"
	assertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
)

// tokenResponse is Entra's v2 token endpoint answer, field for field.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	RefreshIn    int64  `json:"refresh_in,omitempty"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	ClientInfo   string `json:"client_info,omitempty"`
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request", "error_description": "the token endpoint accepts only POST"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "malformed form body"})
		return
	}
	f := r.PostForm
	tenant := firstSegment(r.URL.Path)
	li := info(w)
	li.GrantType, li.ClientID, li.TenantID, li.Resource = f.Get("grant_type"), f.Get("client_id"), tenant, f.Get("scope")
	if li.GrantType == grantPassword {
		li.Identity = f.Get("username")
	}

	s.mu.Lock()
	tid, ok := s.tenantID(tenant)
	var app *App
	if ok {
		if a := s.apps[strings.ToLower(f.Get("client_id"))]; a != nil && strings.EqualFold(a.TenantID, tid) {
			c := *a
			app = &c
		}
	}
	s.mu.Unlock()
	if !ok {
		aadsts(CodeTenantNotFound, tenant).write(w, r)
		return
	}
	if app == nil {
		app = firstPartyApp(f.Get("client_id"), tid)
	}
	if app == nil {
		aadsts(CodeAppNotFound, f.Get("client_id"), tid).write(w, r)
		return
	}
	if app.public && (f.Get("client_secret") != "" || f.Get("client_assertion") != "") {
		aadsts(CodePublicClientCredential).write(w, r)
		return
	}
	switch li.GrantType {
	case grantClientCredentials:
		s.clientCredentials(w, r, app, tid, tenant)
	case grantPassword:
		s.passwordGrant(w, r, app, tid, tenant)
	case grantRefreshToken:
		s.refreshGrant(w, r, app, tid, tenant)
	default:
		aadsts(codeUnsupportedGrant, li.GrantType).write(w, r)
	}
}

func (s *Server) clientCredentials(w http.ResponseWriter, r *http.Request, app *App, tid, tenantPath string) {
	f := r.PostForm
	acr := "1"
	switch {
	case f.Get("client_secret") != "":
		if e := checkSecret(app, f.Get("client_secret")); e != nil {
			e.write(w, r)
			return
		}
	case f.Get("client_assertion") != "":
		if f.Get("client_assertion_type") != assertionTypeJWTBearer {
			aadsts(CodeMissingCredential).write(w, r)
			return
		}
		sub, e := s.verifyAssertion(app, tid, tenantPath, f.Get("client_assertion"))
		if sub != "" && sub != app.ClientID {
			info(w).Identity = sub
		}
		if e != nil {
			e.write(w, r)
			return
		}
		acr = "2"
	default:
		aadsts(CodeMissingCredential).write(w, r)
		return
	}
	scope := strings.Join(withoutOIDCScopes(f.Get("scope")), " ")
	if !strings.HasSuffix(scope, "/.default") || strings.Contains(scope, " ") {
		aadsts(CodeInvalidScope, scope).write(w, r)
		return
	}
	resource := strings.TrimSuffix(scope, "/.default")
	if e := s.checkResource(resource, tid); e != nil {
		e.write(w, r)
		return
	}
	if app.Blocked {
		aadsts(CodeConditionalAccessBlocked).write(w, r)
		return
	}
	p := principal{idtyp: "app", tenantID: tid, objectID: app.ObjectID, appID: app.ClientID, appidacr: acr, roles: app.Roles}
	s.writeToken(w, r, p, resource, nil, "")
}

func checkSecret(app *App, secret string) *aadError {
	for _, sec := range app.Secrets {
		if subtle.ConstantTimeCompare([]byte(sec.Value), []byte(secret)) == 1 {
			if !sec.Expires.IsZero() && time.Now().After(sec.Expires) {
				return aadsts(CodeClientSecretExpired, app.ClientID)
			}
			return nil
		}
	}
	return aadsts(CodeInvalidClientSecret, app.ClientID)
}

func (s *Server) checkResource(resource, tid string) *aadError {
	s.mu.Lock()
	_, ok := s.resources[normalizeResource(resource)]
	s.mu.Unlock()
	if !ok {
		return aadsts(CodeResourceNotFound, resource, tid)
	}
	return nil
}

// withoutOIDCScopes drops the OpenID scopes MSAL adds to every request.
func withoutOIDCScopes(scope string) []string {
	var out []string
	for _, sc := range strings.Fields(scope) {
		switch sc {
		case "openid", "profile", "offline_access", "email":
		default:
			out = append(out, sc)
		}
	}
	return out
}

// resourceOf picks the resource from a user flow's scopes, skipping the
// OpenID scopes MSAL adds.
func resourceOf(scope string) (resource string, scopes []string) {
	for _, sc := range withoutOIDCScopes(scope) {
		if resource == "" {
			resource = sc
			if i := strings.LastIndex(sc, "/"); i > len("https://") {
				resource = sc[:i]
			}
		}
		if i := strings.LastIndex(sc, "/"); i > len("https://") && sc[i+1:] != ".default" {
			scopes = append(scopes, sc[i+1:])
		}
	}
	return resource, scopes
}

func (s *Server) passwordGrant(w http.ResponseWriter, r *http.Request, app *App, tid, tenantPath string) {
	f := r.PostForm
	s.mu.Lock()
	u := s.users[strings.ToLower(f.Get("username"))]
	if u != nil && app.public && isOrganizations(tenantPath) {
		// A first-party client signing in at /organizations or /common
		// reaches the user's home tenant, as az login does.
		tid = u.TenantID
	}
	domain := s.tenants[tid]
	s.mu.Unlock()
	if u == nil || !strings.EqualFold(u.TenantID, tid) {
		aadsts(CodeUserNotFound, domain).write(w, r)
		return
	}
	if subtle.ConstantTimeCompare([]byte(u.Password), []byte(f.Get("password"))) != 1 {
		aadsts(CodeInvalidPassword).write(w, r)
		return
	}
	resource, scopes := resourceOf(f.Get("scope"))
	if resource == "" {
		resource = "00000003-0000-0000-c000-000000000000"
	}
	if e := s.checkResource(resource, tid); e != nil {
		e.write(w, r)
		return
	}
	if u.Blocked {
		aadsts(CodeConditionalAccessBlocked).write(w, r)
		return
	}
	if u.MFA || claimsRequireMFA(f.Get("claims")) {
		s.mfaRequired(w, r, resource)
		return
	}
	s.issueUser(w, r, app, u, resource, scopes)
}

// mfaRequired answers AADSTS50076 for resource: a password cannot satisfy
// the user's MFA requirement, nor a claims challenge that asks for MFA.
func (s *Server) mfaRequired(w http.ResponseWriter, r *http.Request, resource string) {
	s.mu.Lock()
	resApp := s.resources[normalizeResource(resource)]
	s.mu.Unlock()
	aadsts(CodeMFARequired, resApp).write(w, r)
}

func isOrganizations(tenantPath string) bool {
	switch normalizeTenant(tenantPath) {
	case "common", "organizations":
		return true
	}
	return false
}

func (s *Server) issueUser(w http.ResponseWriter, r *http.Request, app *App, u *User, resource string, scopes []string) {
	p := principal{idtyp: "user", tenantID: u.TenantID, objectID: u.ObjectID, appID: app.ClientID, appidacr: "0", username: u.Username}
	rt := "0.entratest-rt." + newGUID()
	s.mu.Lock()
	s.refresh[rt] = strings.ToLower(u.Username)
	s.mu.Unlock()
	s.writeToken(w, r, p, resource, scopes, rt)
}

func (s *Server) refreshGrant(w http.ResponseWriter, r *http.Request, app *App, tid, tenantPath string) {
	f := r.PostForm
	s.mu.Lock()
	var u *User
	if name, ok := s.refresh[f.Get("refresh_token")]; ok {
		u = s.users[name]
	}
	if u != nil && app.public && isOrganizations(tenantPath) {
		tid = u.TenantID
	}
	s.mu.Unlock()
	if u == nil || !strings.EqualFold(u.TenantID, tid) {
		aadsts(CodeInvalidRefreshToken).write(w, r)
		return
	}
	info(w).Identity = u.Username
	resource, scopes := resourceOf(f.Get("scope"))
	if e := s.checkResource(resource, tid); e != nil {
		e.write(w, r)
		return
	}
	if claimsRequireMFA(f.Get("claims")) {
		// The refresh token came from a password sign-in: no MFA.
		s.mfaRequired(w, r, resource)
		return
	}
	s.issueUser(w, r, app, u, resource, scopes)
}

func (s *Server) writeToken(w http.ResponseWriter, r *http.Request, p principal, resource string, scopes []string, refreshToken string) {
	tok, exp, err := s.accessToken(r, p, resource, scopes)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error", "error_description": "entratest: signing failed"})
		return
	}
	lt := int64(time.Until(exp).Round(time.Second) / time.Second)
	if lt < 0 {
		lt = 0
	}
	resp := tokenResponse{TokenType: "Bearer", ExpiresIn: lt, ExtExpiresIn: lt, AccessToken: tok}
	switch {
	case s.opts.RefreshIn > 0:
		resp.RefreshIn = int64(s.opts.RefreshIn / time.Second)
	case lt >= 2*3600:
		resp.RefreshIn = lt / 2
	}
	if p.idtyp == "user" {
		resp.Scope = strings.TrimSpace(r.PostForm.Get("scope"))
		resp.RefreshToken = refreshToken
		resp.ClientInfo = clientInfo(p)
		if resp.IDToken, err = s.idToken(p); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
			return
		}
	}
	writeJSON(w, http.StatusOK, resp)
}
