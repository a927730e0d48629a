package entratest_test

import (
	"context"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/golang-jwt/jwt/v5"

	"github.com/autoidentity/autoidentity/entratest"
)

func assertionCred(t *testing.T, srv *entratest.Server, clientID string, get func() (string, error)) *azidentity.ClientAssertionCredential {
	t.Helper()
	cred, err := azidentity.NewClientAssertionCredential(entratest.DefaultTenantID, clientID,
		func(context.Context) (string, error) { return get() },
		&azidentity.ClientAssertionCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

func TestClientCertificateCredential(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	other, err := entratest.NewCertificate("unregistered")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cert *entratest.Certificate
		code int
	}{
		{"registered", srv.DefaultCertificate(), 0},
		{"unregistered", other, entratest.CodeInvalidSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			certs, key, err := azidentity.ParseCertificates(tc.cert.PEM, nil)
			if err != nil {
				t.Fatal(err)
			}
			cred, err := azidentity.NewClientCertificateCredential(entratest.DefaultTenantID, entratest.DefaultClientID, certs, key,
				&azidentity.ClientCertificateCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := getToken(t, cred, armScope)
			if tc.code != 0 {
				wantAADSTS(t, err, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c := claims(t, tok.Token); c["appidacr"] != "2" || c["appid"] != entratest.DefaultClientID {
				t.Errorf("claims %v", c)
			}
		})
	}
}

// certAssertion builds a client assertion like MSAL's, with overrides.
type certAssertion struct {
	method   jwt.SigningMethod
	cert     *x509.Certificate
	key      *rsa.PrivateKey
	iss, aud string
	sub      string // defaults to iss
	exp      time.Time
	sha1     bool
}

func (a certAssertion) sign() (string, error) {
	sub := a.sub
	if sub == "" {
		sub = a.iss
	}
	tok := jwt.NewWithClaims(a.method, jwt.MapClaims{
		"aud": a.aud, "iss": a.iss, "sub": sub, "jti": "x",
		"nbf": a.exp.Add(-10 * time.Minute).Unix(), "exp": a.exp.Unix(),
	})
	if a.sha1 {
		h := sha1.Sum(a.cert.Raw)
		tok.Header["x5t"] = base64.RawURLEncoding.EncodeToString(h[:])
	} else {
		h := sha256.Sum256(a.cert.Raw)
		tok.Header["x5t#S256"] = base64.StdEncoding.EncodeToString(h[:])
	}
	return tok.SignedString(a.key)
}

func TestCertificateAssertionRules(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	def := srv.DefaultCertificate()
	other, err := entratest.NewCertificate("other")
	if err != nil {
		t.Fatal(err)
	}
	good := certAssertion{method: jwt.SigningMethodPS256, cert: def.Cert, key: def.Key,
		iss: entratest.DefaultClientID, aud: tokenURL(srv), exp: time.Now().Add(10 * time.Minute)}
	mod := func(f func(*certAssertion)) certAssertion { a := good; f(&a); return a }
	for _, tc := range []struct {
		name string
		a    certAssertion
		code int
	}{
		{"PS256 x5t#S256", good, 0},
		{"RS256 x5t", mod(func(a *certAssertion) { a.method, a.sha1 = jwt.SigningMethodRS256, true }), 0},
		{"wrong signature", mod(func(a *certAssertion) { a.key = other.Key }), entratest.CodeInvalidSignature},
		{"unregistered certificate", mod(func(a *certAssertion) { a.cert, a.key = other.Cert, other.Key }), entratest.CodeInvalidSignature},
		{"wrong audience", mod(func(a *certAssertion) { a.aud = "https://login.microsoftonline.com/x/oauth2/v2.0/token" }), entratest.CodeAssertionAudience},
		{"expired", mod(func(a *certAssertion) { a.exp = time.Now().Add(-time.Hour) }), entratest.CodeAssertionExpired},
		{"wrong issuer", mod(func(a *certAssertion) { a.iss, a.sub = entratest.DefaultClientID[:35]+"9", entratest.DefaultClientID }), entratest.CodeAssertionAppMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := getToken(t, assertionCred(t, srv, entratest.DefaultClientID, tc.a.sign), armScope)
			if tc.code == 0 && err != nil {
				t.Fatal(err)
			}
			if tc.code != 0 {
				wantAADSTS(t, err, tc.code)
			}
		})
	}
}

func TestFederatedAssertionRules(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	const noFIC = "7e570000-0000-4000-8000-0000000000a1"
	const unknownIssuerApp = "7e570000-0000-4000-8000-0000000000a2"
	if err := srv.AddApp(entratest.App{ClientID: noFIC}); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddApp(entratest.App{ClientID: unknownIssuerApp, FederatedCredentials: []entratest.FederatedCredential{
		{Issuer: "https://issuer.example", Subject: "s"}}}); err != nil {
		t.Fatal(err)
	}
	mint := func(is entratest.Issuer, sub, aud string, life time.Duration) func() (string, error) {
		return func() (string, error) { return srv.FederatedToken(is, sub, aud, life) }
	}
	forged := func() (string, error) {
		// GitHub's claims signed with a key GitHub's JWKS does not hold.
		other, err := entratest.NewCertificate("forger")
		if err != nil {
			return "", err
		}
		return jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
			"iss": string(entratest.GitHubIssuer), "sub": entratest.DefaultGitHubSubject, "aud": entratest.FederatedAudience,
			"exp": time.Now().Add(5 * time.Minute).Unix(), "nbf": time.Now().Unix(),
		}).SignedString(other.Key)
	}
	for _, tc := range []struct {
		name, client string
		get          func() (string, error)
		code         int
	}{
		{"github", entratest.DefaultClientID, mint(entratest.GitHubIssuer, entratest.DefaultGitHubSubject, entratest.FederatedAudience, 5*time.Minute), 0},
		{"aks", entratest.DefaultClientID, mint(entratest.AKSIssuer, entratest.DefaultAKSSubject, entratest.FederatedAudience, time.Hour), 0},
		{"wrong subject", entratest.DefaultClientID, mint(entratest.GitHubIssuer, "repo:autoidentity/demo:ref:refs/heads/dev", entratest.FederatedAudience, 5*time.Minute), entratest.CodeFederationSubjectMismatch},
		{"wrong audience", entratest.DefaultClientID, mint(entratest.GitHubIssuer, entratest.DefaultGitHubSubject, "api://other", 5*time.Minute), entratest.CodeFederationAudienceMismatch},
		{"expired", entratest.DefaultClientID, mint(entratest.GitHubIssuer, entratest.DefaultGitHubSubject, entratest.FederatedAudience, 0), entratest.CodeAssertionExpired},
		{"wrong signature", entratest.DefaultClientID, forged, entratest.CodeInvalidSignature},
		{"issuer not federated", unknownIssuerApp, mint(entratest.GitHubIssuer, entratest.DefaultGitHubSubject, entratest.FederatedAudience, 5*time.Minute), entratest.CodeFederationIssuerMismatch},
		{"no federated credentials", noFIC, mint(entratest.GitHubIssuer, entratest.DefaultGitHubSubject, entratest.FederatedAudience, 5*time.Minute), entratest.CodeNoMatchingFederation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := getToken(t, assertionCred(t, srv, tc.client, tc.get), armScope)
			if tc.code == 0 && err != nil {
				t.Fatal(err)
			}
			if tc.code != 0 {
				wantAADSTS(t, err, tc.code)
			}
		})
	}
	// The presented subject is named in AADSTS700213's text, as Entra does.
	_, err := getToken(t, assertionCred(t, srv, entratest.DefaultClientID,
		mint(entratest.GitHubIssuer, "repo:x/y:pull_request", entratest.FederatedAudience, time.Minute)), armScope)
	if err == nil || !contains(err.Error(), "presented assertion subject 'repo:x/y:pull_request'") {
		t.Errorf("700213 text does not name the subject: %v", err)
	}
}
