package entratest

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// principal is who a token is issued to.
type principal struct {
	idtyp    string // "app" or "user"
	tenantID string
	objectID string
	appID    string // client ID (appid/azp)
	appidacr string // "0" public client, "1" secret, "2" certificate/assertion
	roles    []string
	username string // users
	mfa      bool   // users who signed in with MFA: amr holds "mfa"
	mirid    string // managed identities: xms_mirid
}

func keyID(pub *rsa.PublicKey) string {
	h := sha256.Sum256(pub.N.Bytes())
	return base64.RawURLEncoding.EncodeToString(h[:])[:27]
}

func sign(key *rsa.PrivateKey, claims jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = keyID(&key.PublicKey)
	return t.SignedString(key)
}

// lifetime is the lifetime of tokens issued for r: negative under an
// ExpiredToken fault.
func (s *Server) lifetime(r *http.Request) time.Duration {
	if wantExpired(r) {
		return -5 * time.Minute
	}
	return s.opts.TokenLifetime
}

// accessToken issues a v1 access token (the kind ARM, Key Vault and Storage
// receive) for resource.
func (s *Server) accessToken(r *http.Request, p principal, resource string, scopes []string) (string, time.Time, error) {
	now := time.Now()
	exp := now.Add(s.lifetime(r))
	iss := "https://sts.windows.net/" + p.tenantID + "/"
	c := jwt.MapClaims{
		"aud":   strings.TrimSuffix(resource, "/.default"),
		"iss":   iss,
		"iat":   now.Unix(),
		"nbf":   now.Add(-5 * time.Minute).Unix(),
		"exp":   exp.Unix(),
		"aio":   base64.RawURLEncoding.EncodeToString([]byte(newGUID()))[:40],
		"appid": p.appID,
		"idp":   iss,
		"idtyp": p.idtyp,
		"oid":   p.objectID,
		"rh":    "0.entratest." + newGUID()[:8],
		"sub":   p.objectID,
		"tid":   p.tenantID,
		"uti":   base64.RawURLEncoding.EncodeToString([]byte(newGUID()))[:22],
		"ver":   "1.0",
	}
	c["appidacr"] = p.appidacr
	if len(p.roles) > 0 {
		c["roles"] = p.roles
	}
	if p.mirid != "" {
		c["xms_mirid"] = p.mirid
	}
	if p.idtyp == "user" {
		c["scp"] = "user_impersonation"
		if len(scopes) > 0 {
			c["scp"] = strings.Join(scopes, " ")
		}
		c["upn"] = p.username
		c["unique_name"] = p.username
		c["name"] = strings.SplitN(p.username, "@", 2)[0]
		c["amr"] = []string{"pwd"}
		if p.mfa {
			c["amr"] = []string{"pwd", "mfa"}
		}
		// A user's sub is pairwise: unique to the user and the app, unlike
		// oid; only in app-only tokens do the two agree.
		c["sub"] = base64.RawURLEncoding.EncodeToString([]byte(derivedGUID("sub:" + p.objectID + ":" + p.appID)))[:43]
		delete(c, "idp")
	}
	tok, err := sign(s.entraKey, c)
	return tok, exp, err
}

// idToken is the v2 ID token returned with user tokens.
func (s *Server) idToken(p principal) (string, error) {
	now := time.Now()
	return sign(s.entraKey, jwt.MapClaims{
		"aud": p.appID, "iss": s.AuthorityHost() + p.tenantID + "/v2.0",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"name": strings.SplitN(p.username, "@", 2)[0], "oid": p.objectID,
		"preferred_username": p.username, "sub": p.objectID, "tid": p.tenantID, "ver": "2.0",
	})
}

func clientInfo(p principal) string {
	b, _ := json.Marshal(map[string]string{"uid": p.objectID, "utid": p.tenantID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// FederatedToken mints a token from one of the emulator's issuers, signed
// with that issuer's key, as the issuer itself would. lifetime <= 0 mints an
// already expired token. Most tests get these tokens through the GitHub or
// Azure Pipelines endpoints or [Server.WriteServiceAccountToken] instead.
func (s *Server) FederatedToken(is Issuer, subject, audience string, lifetime time.Duration) (string, error) {
	key, ok := s.issuerKeys[is]
	if !ok {
		return "", &unknownIssuerError{string(is)}
	}
	now := time.Now()
	exp := now.Add(lifetime)
	if lifetime <= 0 {
		exp = now.Add(-5 * time.Minute)
	}
	c := jwt.MapClaims{
		"iss": string(is), "sub": subject, "aud": audience,
		"iat": now.Add(-time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix(), "exp": exp.Unix(),
		"jti": newGUID(),
	}
	switch is {
	case GitHubIssuer:
		c["repository"], c["ref"], c["repository_owner"] = "autoidentity/demo", "refs/heads/main", "autoidentity"
	case AKSIssuer:
		c["kubernetes.io"] = map[string]any{"namespace": "default", "serviceaccount": map[string]string{"name": "workload"}}
	}
	return sign(key, c)
}

type unknownIssuerError struct{ issuer string }

func (e *unknownIssuerError) Error() string {
	return "entratest: " + e.issuer + " is not one of the emulator's issuers"
}

type jwk struct {
	Kty string   `json:"kty"`
	Use string   `json:"use"`
	Alg string   `json:"alg,omitempty"`
	Kid string   `json:"kid"`
	N   string   `json:"n"`
	E   string   `json:"e"`
	X5c []string `json:"x5c,omitempty"`
}

func jwks(keys ...*rsa.PrivateKey) map[string][]jwk {
	out := map[string][]jwk{"keys": {}}
	for _, k := range keys {
		out["keys"] = append(out["keys"], jwk{
			Kty: "RSA", Use: "sig", Alg: "RS256", Kid: keyID(&k.PublicKey),
			N: base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
			E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes()),
		})
	}
	return out
}
