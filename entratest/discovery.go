package entratest

import (
	"net/http"
	"net/url"
	"strings"
)

// issuerPaths maps the emulator's issuers to their JWKS path names.
var issuerPaths = map[string]Issuer{"github": GitHubIssuer, "azure-pipelines": AzurePipelinesIssuer, "aks": AKSIssuer}

func firstSegment(p string) string {
	return strings.SplitN(strings.Trim(p, "/"), "/", 2)[0]
}

func (s *Server) serveOpenIDConfiguration(w http.ResponseWriter, r *http.Request) {
	tenant := firstSegment(r.URL.Path)
	s.mu.Lock()
	tid, ok := s.tenantID(tenant)
	s.mu.Unlock()
	info(w).TenantID = tenant
	if !ok {
		aadsts(CodeTenantNotFound, tenant).write(w, r)
		return
	}
	base := s.httpsURL + "/" + tenant
	issuerTenant := tid
	if tenant == "common" || tenant == "organizations" {
		issuerTenant = "{tenantid}"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                s.httpsURL + "/" + issuerTenant + "/v2.0",
		"request_uri_parameter_supported":       false,
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"end_session_endpoint":                  base + "/oauth2/v2.0/logout",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"},
		"tenant_region_scope":                   "NA",
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          "graph.microsoft.com",
		"rbac_url":                              "https://pas.windows.net",
	})
}

func (s *Server) serveInstanceDiscovery(w http.ResponseWriter, r *http.Request) {
	host := strings.TrimPrefix(s.httpsURL, "https://")
	tenant := "common"
	if ae, err := url.Parse(r.URL.Query().Get("authorization_endpoint")); err == nil && ae.Path != "" {
		tenant = firstSegment(ae.Path)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": s.httpsURL + "/" + tenant + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []map[string]any{
			{"preferred_network": host, "preferred_cache": host, "aliases": []string{host}},
		},
	})
}

// serveUserRealm answers MSAL's user realm discovery,
// GET /common/userrealm/{user}?api-version=1.0 (MSAL Go's
// authority.Client.UserRealm, MSAL Python's Authority.user_realm_discovery),
// with the JSON MSAL Go's authority.UserRealm decodes: ver, account_type,
// domain_name, cloud_instance_name, cloud_audience_urn. A real answer for a
// managed domain, logged by Windows' AAD broker:
// {"ver":"1.0","account_type":"Managed","domain_name":"whfbhkt.contoso.com","cloud_instance_name":"microsoftonline.com","cloud_audience_urn":"urn:federation:MicrosoftOnline"}
// The realm is the domain's, not the user's: every user of a tenant's
// verified domain is "Managed" whether or not the account exists (the
// password grant then answers AADSTS50034), and an unknown domain is
// "Unknown", on which MSAL stops before sending a password. The emulator
// has no federated (WS-Trust) domains.
func (s *Server) serveUserRealm(w http.ResponseWriter, r *http.Request) {
	seg := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	user, err := url.PathUnescape(seg[2])
	if err != nil {
		user = seg[2]
	}
	info(w).Identity = user
	domain := strings.ToLower(user[strings.LastIndex(user, "@")+1:])
	s.mu.Lock()
	_, known := s.users[strings.ToLower(user)]
	for _, d := range s.tenants {
		known = known || (d != "" && d == domain)
	}
	s.mu.Unlock()
	accountType := "Managed"
	if !known {
		accountType = "Unknown"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"ver":                 "1.0",
		"account_type":        accountType,
		"domain_name":         domain,
		"cloud_instance_name": "microsoftonline.com",
		"cloud_audience_urn":  "urn:federation:MicrosoftOnline",
	})
}

func (s *Server) serveEntraKeys(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jwks(s.entraKey))
}

func (s *Server) serveIssuerKeys(w http.ResponseWriter, r *http.Request) {
	name := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[1]
	is, ok := issuerPaths[name]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown issuer"})
		return
	}
	writeJSON(w, http.StatusOK, jwks(s.issuerKeys[is]))
}
