package entratest

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// assertionSkew is the clock skew Entra tolerates on assertion lifetimes.
const assertionSkew = 5 * time.Minute

var assertionParser = jwt.NewParser(
	jwt.WithValidMethods([]string{"RS256", "PS256", "ES256"}),
	jwt.WithoutClaimsValidation(),
)

// verifyAssertion checks a jwt-bearer client_assertion: a certificate
// assertion (iss = sub = client_id) or a federated token. It returns the
// assertion's subject (for the log) and the Entra error, if any.
func (s *Server) verifyAssertion(app *App, tid, tenantPath, assertion string) (string, *aadError) {
	claims := jwt.MapClaims{}
	tok, _, err := jwt.NewParser().ParseUnverified(assertion, claims)
	if err != nil {
		return "", &aadError{status: 401, err: "invalid_client", code: 50027,
			msg: "JWT token is invalid or malformed."}
	}
	iss, _ := claims.GetIssuer()
	sub, _ := claims.GetSubject()
	if strings.EqualFold(iss, app.ClientID) || strings.EqualFold(sub, app.ClientID) {
		return sub, s.verifyCertificateAssertion(app, tid, tenantPath, assertion, tok, claims)
	}
	return sub, s.verifyFederated(app, assertion, claims)
}

func (s *Server) verifyCertificateAssertion(app *App, tid, tenantPath, assertion string, tok *jwt.Token, claims jwt.MapClaims) *aadError {
	iss, _ := claims.GetIssuer()
	sub, _ := claims.GetSubject()
	if iss != app.ClientID || sub != app.ClientID {
		return aadsts(CodeAssertionAppMismatch)
	}
	cert, thumb := findCertificate(app, tok.Header)
	if cert == nil {
		return aadsts(CodeInvalidSignature, "The certificate with identifier used to sign the client assertion is not registered on application.",
			"The key was not found.", thumb, app.ClientID)
	}
	if e := checkKeyValidity(cert, thumb, app.ClientID); e != nil {
		return e
	}
	if _, err := assertionParser.Parse(assertion, func(*jwt.Token) (any, error) { return cert.PublicKey, nil }); err != nil {
		return aadsts(CodeInvalidSignature, "Client assertion contains an invalid signature.",
			"The provided signature value did not match the expected signature value.", thumb, app.ClientID)
	}
	aud, _ := claims.GetAudience()
	if !s.tokenEndpointAudience(aud, tid, tenantPath) {
		return aadsts(CodeAssertionAudience)
	}
	return checkLifetime(claims)
}

// checkKeyValidity refuses a registered certificate used outside its
// NotBefore/NotAfter: Entra's key credential spans the certificate's
// validity. Entra's answer for an expired key, quoted in
// https://github.com/microsoft/azure-tools-for-java/issues/2785:
//
//	AADSTS700027: Client assertion contains an invalid signature. [Reason - The key used is expired.,
//	Thumbprint of key used by client: 'FEE7…', Found key 'Start=01/28/2018 16:00:00, End=01/28/2019 16:00:00', …]
//
// The trailer follows Entra's current wording (see CodeInvalidSignature).
// No public capture of a not-yet-valid key was found: the emulator answers
// it with the same code and says so in the reason.
func checkKeyValidity(cert *x509.Certificate, thumb, clientID string) *aadError {
	now := time.Now()
	reason := ""
	switch {
	case now.After(cert.NotAfter):
		reason = "The key used is expired."
	case now.Before(cert.NotBefore):
		reason = "The key used is not yet valid."
	default:
		return nil
	}
	const f = "01/02/2006 15:04:05"
	return &aadError{status: 401, err: "invalid_client", code: CodeInvalidSignature,
		msg: fmt.Sprintf("Client assertion contains an invalid signature. [Reason - %s, Thumbprint of key used by client: '%s', Found key 'Start=%s, End=%s', "+
			"Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'.]",
			reason, thumb, cert.NotBefore.UTC().Format(f), cert.NotAfter.UTC().Format(f), clientID)}
}

// tokenEndpointAudience accepts the token endpoint (v2 or v1) of the tenant,
// addressed by the path's tenant or the tenant ID, like Entra.
func (s *Server) tokenEndpointAudience(aud []string, tid, tenantPath string) bool {
	for _, a := range aud {
		for _, t := range []string{tid, tenantPath} {
			base := s.httpsURL + "/" + t
			if strings.EqualFold(a, base+"/oauth2/v2.0/token") || strings.EqualFold(a, base+"/oauth2/token") {
				return true
			}
		}
	}
	return false
}

func checkLifetime(claims jwt.MapClaims) *aadError {
	now := time.Now().UTC()
	exp, _ := claims.GetExpirationTime()
	nbf, _ := claims.GetNotBefore()
	var from, to time.Time
	if nbf != nil {
		from = nbf.UTC()
	}
	if exp != nil {
		to = exp.UTC()
	}
	if exp == nil || now.After(to.Add(assertionSkew)) || (nbf != nil && now.Add(assertionSkew).Before(from)) {
		const f = "2006-01-02T15:04:05.0000000Z"
		return aadsts(CodeAssertionExpired, now.Format(f), from.Format(f), to.Format(f))
	}
	return nil
}

// findCertificate finds the app certificate named by the x5t#S256 or x5t
// header (MSAL sends standard base64; RFC 7515 says base64url: both work).
func findCertificate(app *App, h map[string]any) (*x509.Certificate, string) {
	for _, k := range []string{"x5t#S256", "x5t"} {
		v, _ := h[k].(string)
		if v == "" {
			continue
		}
		raw, err := decodeB64(v)
		if err != nil {
			return nil, v
		}
		thumb := strings.ToUpper(hex.EncodeToString(raw))
		for _, c := range app.Certificates {
			want := thumbprintSHA256(c)
			if k == "x5t" {
				want, _ = hex.DecodeString(thumbprintSHA1(c))
			}
			if bytes.Equal(raw, want) {
				return c, thumb
			}
		}
		return nil, thumb
	}
	return nil, ""
}

func decodeB64(v string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(v); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("bad base64")
}

// verifyFederated checks a federated token the way Entra checks it against
// the app's federated identity credentials.
func (s *Server) verifyFederated(app *App, assertion string, claims jwt.MapClaims) *aadError {
	iss, _ := claims.GetIssuer()
	sub, _ := claims.GetSubject()
	aud, _ := claims.GetAudience()
	audText := strings.Join(aud, ",")
	if len(app.FederatedCredentials) == 0 {
		return aadsts(CodeNoMatchingFederation, iss, sub, audText)
	}
	var byIssuer, bySubject []FederatedCredential
	for _, fc := range app.FederatedCredentials {
		if fc.Issuer == iss {
			byIssuer = append(byIssuer, fc)
		}
	}
	if len(byIssuer) == 0 {
		return aadsts(CodeFederationIssuerMismatch, iss)
	}
	for _, fc := range byIssuer {
		if fc.Subject == sub {
			bySubject = append(bySubject, fc)
		}
	}
	if len(bySubject) == 0 {
		return aadsts(CodeFederationSubjectMismatch, sub)
	}
	matched := false
	for _, fc := range bySubject {
		auds := fc.Audiences
		if len(auds) == 0 {
			auds = []string{FederatedAudience}
		}
		for _, a := range aud {
			matched = matched || slices.Contains(auds, a)
		}
	}
	if !matched {
		return aadsts(CodeFederationAudienceMismatch, audText)
	}
	key, ok := s.issuerKeys[Issuer(iss)]
	if !ok {
		return aadsts(CodeExternalOIDCFailed, iss)
	}
	if _, err := assertionParser.Parse(assertion, func(*jwt.Token) (any, error) { return &key.PublicKey, nil }); err != nil {
		return &aadError{status: 401, err: "invalid_client", code: CodeInvalidSignature,
			msg: "Client assertion failed signature validation. [Reason - The key used to sign the federated token was not found in the issuer's published keys.]"}
	}
	if e := checkFederatedLifetime(claims); e != nil {
		return e
	}
	return checkLifetime(claims)
}

// maxFederatedLifetime is the longest a federated token may be valid:
// Entra's "1.01:00:00" (AADSTS70023).
const maxFederatedLifetime = 25 * time.Hour

// checkFederatedLifetime refuses a federated token valid (iat, or nbf, to
// exp) for longer than Entra accepts. Entra checks no such limit on
// certificate assertions that anyone has published, so neither does the
// emulator; nor does it refuse a reused jti: Entra accepts one federated
// token for many requests (a workload's projected token file and a GitHub
// ID token are read again for every token request until they expire), and
// no AADSTS code for a replayed client assertion is documented.
func checkFederatedLifetime(claims jwt.MapClaims) *aadError {
	exp, _ := claims.GetExpirationTime()
	from, _ := claims.GetIssuedAt()
	if from == nil {
		from, _ = claims.GetNotBefore()
	}
	if exp == nil || from == nil || exp.Sub(from.Time) <= maxFederatedLifetime {
		return nil
	}
	return aadsts(CodeFederatedTokenLifetime, from.Unix(), exp.Unix())
}
