package entratest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// A minimal Azure Resource Manager: resource groups, PUT and GET, at
// /subscriptions/{subscription}/resourcegroups/{name}?api-version=... on the
// HTTPS listener. It accepts only tokens the emulator issued for ARM, and
// answers a user without MFA who writes as ARM does under Azure's mandatory
// MFA phase 2 (reads stay open, workload identities are exempt):
// https://learn.microsoft.com/entra/identity/authentication/concept-mandatory-multifactor-authentication
// Any subscription ID is accepted; there is no RBAC.

// armAudiences are the audiences ARM accepts (the two resource URIs, with
// and without the trailing slash az login's scope leaves).
var armAudiences = []string{
	"https://management.azure.com", "https://management.azure.com/",
	"https://management.core.windows.net", "https://management.core.windows.net/",
}

// mfaPolicyDefinitionID is Azure's built-in policy "Users must authenticate
// with multi-factor authentication to create or update resources"
// (https://www.azadvertizer.net/azpolicyadvertizer/4e6c27d5-a6ee-49cf-b2b4-d8fe90fa2b8b.html).
const mfaPolicyDefinitionID = "4e6c27d5-a6ee-49cf-b2b4-d8fe90fa2b8b"

// mfaClaims is the claims challenge ARM's phase-2 refusal carries, asking
// for a token whose amr holds "mfa". No public capture of ARM's value was
// found, so the value is the emulator's; the token endpoint refuses it to a
// password (AADSTS50076), as Entra refuses any MFA demand to ROPC.
const mfaClaims = `{"access_token":{"amr":{"essential":true,"values":["mfa"]}}}`

// claimsRequireMFA reports whether a token request's claims parameter asks
// for MFA (see mfaClaims). The xms_cc client capabilities MSAL sends with
// every request ask for nothing.
func claimsRequireMFA(claims string) bool {
	if claims == "" {
		return false
	}
	var c struct {
		AccessToken struct {
			AMR *struct {
				Values []string `json:"values"`
			} `json:"amr"`
		} `json:"access_token"`
	}
	if json.Unmarshal([]byte(claims), &c) != nil || c.AccessToken.AMR == nil {
		return false
	}
	return slices.Contains(c.AccessToken.AMR.Values, "mfa")
}

// ARMEndpoint is the base URL of the emulator's Azure Resource Manager,
// "https://127.0.0.1:PORT" (the HTTPS listener), in place of
// https://management.azure.com. [Server.ClientOptions] names it as the
// cloud's ResourceManager endpoint, so ARM clients and azcore pipelines built
// from those options reach it. Tokens for it are requested with the scope
// https://management.azure.com/.default as for the real ARM.
func (s *Server) ARMEndpoint() string { return s.httpsURL }

// resourceGroup is ARM's resource group, field for field.
type resourceGroup struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties struct {
		ProvisioningState string `json:"provisioningState"`
	} `json:"properties"`
}

// armError is ARM's error body: {"error": {"code", "message", ...}}.
type armError struct {
	Code           string           `json:"code"`
	Target         string           `json:"target,omitempty"`
	Message        string           `json:"message"`
	AdditionalInfo []map[string]any `json:"additionalInfo,omitempty"`
}

func writeARMError(w http.ResponseWriter, status int, e armError) {
	writeJSON(w, status, map[string]armError{"error": e})
}

// armChallenge sets the WWW-Authenticate header of ARM's 401 answers. Real
// ARM names https://login.windows.net/; the emulator names itself so that
// no client following it leaves the machine.
func (s *Server) armChallenge(w http.ResponseWriter, params string) {
	w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="`+s.AuthorityHost()+`", `+params)
}

// parseARMPath splits /subscriptions/{sub}/resourcegroups/{name}.
func parseARMPath(p string) (sub, name string, ok bool) {
	seg := strings.Split(strings.Trim(p, "/"), "/")
	if len(seg) != 4 || !strings.EqualFold(seg[0], "subscriptions") || !strings.EqualFold(seg[2], "resourcegroups") ||
		seg[1] == "" || seg[3] == "" {
		return "", "", false
	}
	return seg[1], seg[3], true
}

func (s *Server) serveARM(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-ms-request-id", newGUID())
	w.Header().Set("x-ms-correlation-request-id", newGUID())
	sub, name, ok := parseARMPath(r.URL.Path)
	if !ok {
		writeARMError(w, http.StatusNotFound, armError{Code: "NotFound",
			Message: "entratest: the emulated Resource Manager serves only /subscriptions/{id}/resourcegroups/{name}, not " + r.URL.Path})
		return
	}
	id := "/subscriptions/" + sub + "/resourceGroups/" + name
	info(w).Resource = id
	claims, ok := s.armAuthenticate(w, r)
	if !ok {
		return
	}
	if r.URL.Query().Get("api-version") == "" {
		writeARMError(w, http.StatusBadRequest, armError{Code: "MissingApiVersionParameter",
			Message: "The api-version query parameter (?api-version=) is required for all requests."})
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.getResourceGroup(w, sub, name)
	case http.MethodPut:
		if !s.armWriteAllowed(w, claims, name) {
			return
		}
		s.putResourceGroup(w, r, sub, name)
	default:
		w.Header().Set("Allow", "GET, PUT")
		writeARMError(w, http.StatusMethodNotAllowed, armError{Code: "MethodNotAllowed",
			Message: "entratest: the emulated Resource Manager supports GET and PUT on resource groups, not " + r.Method})
	}
}

// armAuthenticate checks the bearer token as ARM does: the emulator's
// signature, one of ARM's audiences, a registered tenant, not expired. The
// refusals carry ARM's codes and texts, e.g. "Authentication failed. The
// 'Authorization' header is missing." (AuthenticationFailed) and "The access
// token is invalid." (InvalidAuthenticationToken), as ARM answers them in
// public logs and docs.
func (s *Server) armAuthenticate(w http.ResponseWriter, r *http.Request) (jwt.MapClaims, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		s.armChallenge(w, `error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`)
		writeARMError(w, http.StatusUnauthorized, armError{Code: "AuthenticationFailed",
			Message: "Authentication failed. The 'Authorization' header is missing."})
		return nil, false
	}
	invalid := func() (jwt.MapClaims, bool) {
		s.armChallenge(w, `error="invalid_token", error_description="The access token is invalid."`)
		writeARMError(w, http.StatusUnauthorized, armError{Code: "InvalidAuthenticationToken", Message: "The access token is invalid."})
		return nil, false
	}
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || raw == "" {
		s.armChallenge(w, `error="invalid_token", error_description="The authentication failed because of malformed 'Authorization' header."`)
		writeARMError(w, http.StatusUnauthorized, armError{Code: "AuthenticationFailed",
			Message: "Authentication failed. The 'Authorization' header is provided in an invalid format."})
		return nil, false
	}
	claims := jwt.MapClaims{}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	if _, err := parser.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return &s.entraKey.PublicKey, nil }); err != nil {
		return invalid()
	}
	tid, _ := claims["tid"].(string)
	iss, _ := claims.GetIssuer()
	s.mu.Lock()
	_, known := s.tenants[normalizeTenant(tid)]
	s.mu.Unlock()
	if !known || iss != "https://sts.windows.net/"+tid+"/" {
		return invalid()
	}
	if aud, _ := claims.GetAudience(); len(aud) != 1 || !slices.Contains(armAudiences, aud[0]) {
		got := strings.Join(aud, ",")
		s.armChallenge(w, `error="invalid_token", error_description="The access token has been obtained for wrong audience or resource '`+got+`'."`)
		writeARMError(w, http.StatusUnauthorized, armError{Code: "InvalidAuthenticationTokenAudience",
			Message: "The access token has been obtained for wrong audience or resource '" + got + "'. It should exactly match with one of the allowed audiences '" +
				strings.Join(armAudiences, "','") + "'."})
		return nil, false
	}
	exp, _ := claims.GetExpirationTime()
	if now := time.Now().UTC(); exp == nil || now.After(exp.Time) {
		const f = "1/2/2006 3:04:05 PM"
		var at time.Time
		if exp != nil {
			at = exp.UTC()
		}
		s.armChallenge(w, `error="invalid_token", error_description="The access token expiry UTC time '`+at.Format(f)+`' is earlier than current UTC time '`+now.Format(f)+`'."`)
		writeARMError(w, http.StatusUnauthorized, armError{Code: "ExpiredAuthenticationToken",
			Message: "The access token expiry UTC time '" + at.Format(f) + "' is earlier than current UTC time '" + now.Format(f) + "'."})
		return nil, false
	}
	li := info(w)
	li.TenantID = tid
	li.ClientID, _ = claims["appid"].(string)
	if upn, _ := claims["upn"].(string); upn != "" {
		li.Identity = upn
	} else {
		li.Identity, _ = claims["oid"].(string)
	}
	return claims, true
}

// armWriteAllowed enforces mandatory MFA phase 2: a user token without "mfa"
// in amr may read but not create or update. ARM answers 401 with a claims
// challenge in WWW-Authenticate (Azure PowerShell's ClaimsChallengeHandler
// reads exactly that: 401 + WWW-Authenticate claims, then error.message of
// the body) and RequestDisallowedByPolicy with the texts the Azure CLI
// troubleshooting guide quotes: "Unauthorized. RequestDisallowedByPolicy.
// Resource was disallowed by policy. Reasons: MFA is required. See error
// details for policy resource IDs. MFA is required. Users must authenticate
// with multi-factor authentication to create or update resources."
// (https://github.com/MicrosoftDocs/azure-docs-cli/blob/main/docs-ref-conceptual/Latest-version/use-azure-cli-successfully-troubleshooting.md,
// https://github.com/Azure/azure-powershell/blob/main/src/Accounts/Authentication/Utilities/ClaimsChallengeUtilities.cs).
// The additionalInfo layout is Azure Policy's PolicyViolation.
func (s *Server) armWriteAllowed(w http.ResponseWriter, claims jwt.MapClaims, name string) bool {
	if claims["idtyp"] != "user" {
		return true // workload identities are exempt
	}
	if amr, _ := claims["amr"].([]any); slices.Contains(amr, any("mfa")) {
		return true
	}
	s.armChallenge(w, `error="insufficient_claims", error_description="MFA is required.", claims="`+
		base64.StdEncoding.EncodeToString([]byte(mfaClaims))+`"`)
	writeARMError(w, http.StatusUnauthorized, armError{
		Code:    "RequestDisallowedByPolicy",
		Target:  name,
		Message: "Resource was disallowed by policy. Reasons: MFA is required. See error details for policy resource IDs.",
		AdditionalInfo: []map[string]any{{
			"type": "PolicyViolation",
			"info": map[string]string{
				"evaluationDetails":            "MFA is required.",
				"policyDefinitionDisplayName":  "Users must authenticate with multi-factor authentication to create or update resources",
				"policyDefinitionId":           "/providers/Microsoft.Authorization/policyDefinitions/" + mfaPolicyDefinitionID,
				"policyDefinitionName":         mfaPolicyDefinitionID,
				"policyAssignmentDisplayName":  "Users must use MFA for Create/Update operations.",
				"policyDefinitionEffect":       "Deny",
				"policyAssignmentEnforcedMode": "Default",
			},
		}},
	})
	return false
}

func armKey(sub, name string) string { return strings.ToLower(sub) + "/" + strings.ToLower(name) }

func (s *Server) getResourceGroup(w http.ResponseWriter, sub, name string) {
	s.mu.Lock()
	rg, ok := s.groups[armKey(sub, name)]
	s.mu.Unlock()
	if !ok {
		writeARMError(w, http.StatusNotFound, armError{Code: "ResourceGroupNotFound",
			Message: fmt.Sprintf("Resource group '%s' could not be found.", name)})
		return
	}
	writeJSON(w, http.StatusOK, rg)
}

func (s *Server) putResourceGroup(w http.ResponseWriter, r *http.Request, sub, name string) {
	var body struct {
		Location string            `json:"location"`
		Tags     map[string]string `json:"tags"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	if err := dec.Decode(&body); err != nil {
		writeARMError(w, http.StatusBadRequest, armError{Code: "InvalidRequestContent",
			Message: "The request content was invalid and could not be deserialized: " + err.Error()})
		return
	}
	loc := strings.ToLower(strings.ReplaceAll(body.Location, " ", ""))
	if loc == "" {
		writeARMError(w, http.StatusBadRequest, armError{Code: "LocationRequired",
			Message: "The location property is required for this definition."})
		return
	}
	rg := resourceGroup{ID: "/subscriptions/" + sub + "/resourceGroups/" + name, Name: name,
		Type: "Microsoft.Resources/resourceGroups", Location: loc, Tags: body.Tags}
	rg.Properties.ProvisioningState = "Succeeded"
	s.mu.Lock()
	old, exists := s.groups[armKey(sub, name)]
	if exists {
		rg.ID, rg.Name = old.ID, old.Name // ARM keeps the first spelling
	}
	if !exists || old.Location == loc {
		s.groups[armKey(sub, name)] = rg
	}
	s.mu.Unlock()
	switch {
	case exists && old.Location != loc:
		writeARMError(w, http.StatusConflict, armError{Code: "InvalidResourceGroupLocation",
			Message: fmt.Sprintf("Invalid resource group location '%s'. The Resource group already exists in location '%s'.", loc, old.Location)})
	case exists:
		writeJSON(w, http.StatusOK, rg)
	default:
		writeJSON(w, http.StatusCreated, rg)
	}
}
