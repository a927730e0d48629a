package entratest_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
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

// certificateValidFor makes a self-signed certificate valid from nbf to naf.
func certificateValidFor(t *testing.T, nbf, naf time.Time) *entratest.Certificate {
	t.Helper()
	c, err := entratest.NewCertificate("window")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "window"},
		NotBefore: nbf, NotAfter: naf, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &c.Key.PublicKey, c.Key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(c.Key)
	if err != nil {
		t.Fatal(err)
	}
	p := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})...)
	return &entratest.Certificate{Cert: cert, Key: c.Key, PEM: p}
}

// TestCertificateValidity: a registered certificate used outside its
// validity gets AADSTS700027 naming the key's dates, as Entra answers.
func TestCertificateValidity(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	now := time.Now()
	for i, tc := range []struct {
		name   string
		cert   *entratest.Certificate
		reason string
	}{
		{"expired", certificateValidFor(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour)), "The key used is expired."},
		{"not yet valid", certificateValidFor(t, now.Add(24*time.Hour), now.Add(48*time.Hour)), "The key used is not yet valid."},
	} {
		clientID := "7e570000-0000-4000-8000-0000000000c" + itoa(i)
		if err := srv.AddApp(entratest.App{ClientID: clientID, Certificates: []*x509.Certificate{tc.cert.Cert}}); err != nil {
			t.Fatal(err)
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			certs, key, err := azidentity.ParseCertificates(tc.cert.PEM, nil)
			if err != nil {
				t.Fatal(err)
			}
			cred, err := azidentity.NewClientCertificateCredential(entratest.DefaultTenantID, clientID, certs, key,
				&azidentity.ClientCertificateCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true})
			if err != nil {
				t.Fatal(err)
			}
			_, err = getToken(t, cred, armScope)
			wantAADSTS(t, err, entratest.CodeInvalidSignature)
			const f = "01/02/2006 15:04:05"
			found := "Found key 'Start=" + tc.cert.Cert.NotBefore.UTC().Format(f) + ", End=" + tc.cert.Cert.NotAfter.UTC().Format(f) + "'"
			if !contains(err.Error(), "[Reason - "+tc.reason) || !contains(err.Error(), found) {
				t.Errorf("error does not give the reason and the key's dates (%s):\n%v", found, err)
			}
		})
	}
}

// TestFederatedTokenLifetime: Entra refuses a federated token valid for
// more than 25 hours with AADSTS70023; 24 hours is fine.
func TestFederatedTokenLifetime(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	mint := func(life time.Duration) func() (string, error) {
		return func() (string, error) {
			return srv.FederatedToken(entratest.GitHubIssuer, entratest.DefaultGitHubSubject, entratest.FederatedAudience, life)
		}
	}
	if _, err := getToken(t, assertionCred(t, srv, entratest.DefaultClientID, mint(24*time.Hour)), armScope); err != nil {
		t.Fatalf("24h token: %v", err)
	}
	_, err := getToken(t, assertionCred(t, srv, entratest.DefaultClientID, mint(26*time.Hour)), armScope)
	wantAADSTS(t, err, entratest.CodeFederatedTokenLifetime)
	if !contains(err.Error(), "must have a lifetime of less than or equal to 1.01:00:00") {
		t.Errorf("text: %v", err)
	}
}

// TestAssertionReuse: Entra accepts one client assertion, jti and all, for
// several requests (a workload identity's token file is sent again until it
// expires), so the emulator does too.
func TestAssertionReuse(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	def := srv.DefaultCertificate()
	a, err := certAssertion{method: jwt.SigningMethodPS256, cert: def.Cert, key: def.Key,
		iss: entratest.DefaultClientID, aud: tokenURL(srv), exp: time.Now().Add(5 * time.Minute)}.sign()
	if err != nil {
		t.Fatal(err)
	}
	fed, err := srv.FederatedToken(entratest.AKSIssuer, entratest.DefaultAKSSubject, entratest.FederatedAudience, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, assertion := range []string{a, fed} {
		for range 2 { // a new credential each time: no MSAL cache between them
			if _, err := getToken(t, assertionCred(t, srv, entratest.DefaultClientID, func() (string, error) { return assertion, nil }), armScope); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := srv.Count(func(r entratest.Request) bool { return r.Endpoint == entratest.TokenEndpoint && r.Status == 200 }); n != 4 {
		t.Errorf("%d successful token requests, want 4", n)
	}
}
