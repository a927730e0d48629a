package certs

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/golang-jwt/jwt/v5"
	"software.sslmate.com/src/go-pkcs12"
)

const (
	testTenant   = "00000000-0000-0000-0000-0000000000aa"
	testClientID = "00000000-0000-0000-0000-0000000000bb"
)

// tokenServer is a loopback Entra ID token endpoint that accepts a client
// assertion only if its signature verifies with leaf's public key and its
// thumbprint header names leaf. verified counts accepted assertions.
type tokenServer struct {
	*httptest.Server
	leaf     *x509.Certificate
	wantX5C  []*x509.Certificate // checked when non-nil
	verified atomic.Int32
}

func newTokenServer(t *testing.T, leaf *x509.Certificate, wantX5C []*x509.Certificate) *tokenServer {
	ts := &tokenServer{leaf: leaf, wantX5C: wantX5C}
	ts.Server = httptest.NewTLSServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) serve(w http.ResponseWriter, r *http.Request) {
	base := ts.URL + "/" + testTenant
	switch r.URL.Path {
	case "/" + testTenant + "/v2.0/.well-known/openid-configuration":
		writeJSON(w, http.StatusOK, map[string]string{
			"authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"token_endpoint":         base + "/oauth2/v2.0/token",
			"issuer":                 base + "/v2.0",
		})
	case "/" + testTenant + "/oauth2/v2.0/token":
		if err := ts.verify(r, base+"/oauth2/v2.0/token"); err != nil {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client",
				"error_description": "AADSTS700027: Client assertion failed signature validation. " + err.Error(), "error_codes": []int{700027}})
			return
		}
		ts.verified.Add(1)
		writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": "loopback-test-token"})
	default:
		http.NotFound(w, r)
	}
}

// verify checks the client_credentials request and its client assertion.
func (ts *tokenServer) verify(r *http.Request, tokenEndpoint string) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if got := r.PostForm.Get("grant_type"); got != "client_credentials" {
		return fmt.Errorf("grant_type %q", got)
	}
	if got := r.PostForm.Get("client_assertion_type"); got != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		return fmt.Errorf("client_assertion_type %q", got)
	}
	tok, err := jwt.Parse(r.PostForm.Get("client_assertion"), func(*jwt.Token) (any, error) { return ts.leaf.PublicKey, nil },
		jwt.WithValidMethods([]string{"PS256", "RS256"}), jwt.WithAudience(tokenEndpoint), jwt.WithIssuer(testClientID),
		jwt.WithSubject(testClientID), jwt.WithExpirationRequired())
	if err != nil {
		return fmt.Errorf("assertion: %w", err)
	}
	s1, s256 := sha1.Sum(ts.leaf.Raw), sha256.Sum256(ts.leaf.Raw)
	x5t, hasX5t := tok.Header["x5t"]
	x5tS256, hasS256 := tok.Header["x5t#S256"]
	switch {
	case !hasX5t && !hasS256:
		return fmt.Errorf("assertion names no certificate thumbprint")
	case hasX5t && !thumbprintIs(x5t, s1[:]):
		return fmt.Errorf("x5t %v is not the leaf's SHA-1 thumbprint", x5t)
	case hasS256 && !thumbprintIs(x5tS256, s256[:]):
		return fmt.Errorf("x5t#S256 %v is not the leaf's SHA-256 thumbprint", x5tS256)
	}
	if ts.wantX5C != nil {
		x5c, _ := tok.Header["x5c"].([]any)
		if len(x5c) != len(ts.wantX5C) {
			return fmt.Errorf("x5c has %d certificates, want %d", len(x5c), len(ts.wantX5C))
		}
		for i, c := range ts.wantX5C {
			if x5c[i] != base64.StdEncoding.EncodeToString(c.Raw) {
				return fmt.Errorf("x5c[%d] is not %s", i, c.Subject)
			}
		}
	}
	return nil
}

// thumbprintIs accepts the standard and URL-safe base64 spellings.
func thumbprintIs(v any, sum []byte) bool {
	s, _ := v.(string)
	return s != "" && (s == base64.StdEncoding.EncodeToString(sum) || s == base64.RawURLEncoding.EncodeToString(sum))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// authenticate gets a token with azidentity's real ClientCertificateCredential.
func authenticate(t *testing.T, ts *tokenServer, certs []*x509.Certificate, key any, sendChain bool) error {
	t.Helper()
	cred, err := azidentity.NewClientCertificateCredential(testTenant, testClientID, certs, key, &azidentity.ClientCertificateCredentialOptions{
		DisableInstanceDiscovery: true,
		SendCertificateChain:     sendChain,
		ClientOptions: azcore.ClientOptions{
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: ts.URL + "/"},
			Transport: ts.Client(),
		},
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tk, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
	if err == nil && tk.Token != "loopback-test-token" {
		return fmt.Errorf("unexpected token")
	}
	return err
}

// TestModernPKCS12ThroughAzidentity is the proof: azidentity's own
// parser rejects a modern PKCS#12, Load reads it, and the chain and key it
// returns authenticate with azidentity's real credential.
func TestModernPKCS12ThroughAzidentity(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	data, err := pkcs12.Modern.Encode(f.rsa.key, f.rsa.cert, nil, canaryPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := azidentity.ParseCertificates(data, []byte(canaryPassword)); err == nil ||
		!strings.Contains(err.Error(), "pkcs12: unknown digest algorithm: 2.16.840.1.101.3.4.2.1") {
		t.Fatalf("azidentity.ParseCertificates(modern PKCS#12) = %v; the premise of this package changed", err)
	}
	b, err := Load(data, canaryPassword)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTokenServer(t, f.rsa.cert, nil)
	if err := authenticate(t, ts, b.Chain, b.Key, false); err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if ts.verified.Load() != 1 {
		t.Fatalf("server verified %d assertions, want 1", ts.verified.Load())
	}
}

func TestFormatsAuthenticate(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	legacy, err := pkcs12.LegacyDES.Encode(f.rsa.key, f.rsa.cert, nil, canaryPassword)
	if err != nil {
		t.Fatal(err)
	}
	chain := []*x509.Certificate{f.chainLeaf.cert, f.intermediate.cert, f.root.cert}
	tests := []struct {
		name      string
		data      []byte
		leaf      *x509.Certificate
		sendChain []*x509.Certificate
	}{
		{"pkcs12 legacy", legacy, f.rsa.cert, nil},
		{"encrypted pkcs8 pem", cat(certPEM(f.rsa.cert), encryptPKCS8(t, f.rsa.key, canaryPassword, pbes2AES256SHA256)), f.rsa.cert, nil},
		{"pem chain, x5c sent leaf first", cat(certPEM(f.root.cert, f.intermediate.cert), pkcs8PEM(t, f.rsa.key), certPEM(f.chainLeaf.cert)), f.chainLeaf.cert, chain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := Load(tt.data, canaryPassword)
			if err != nil {
				t.Fatal(err)
			}
			ts := newTokenServer(t, tt.leaf, tt.sendChain)
			if err := authenticate(t, ts, b.Chain, b.Key, tt.sendChain != nil); err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			if ts.verified.Load() != 1 {
				t.Fatalf("server verified %d assertions, want 1", ts.verified.Load())
			}
		})
	}
}

// TestServerRejectsWrongKey shows the token server is not a rubber stamp:
// an assertion signed by another key is refused.
func TestServerRejectsWrongKey(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	ts := newTokenServer(t, f.rsa.cert, nil)
	err := authenticate(t, ts, []*x509.Certificate{f.rsaOther.cert}, f.rsaOther.key, false)
	if err == nil || !strings.Contains(err.Error(), "AADSTS700027") {
		t.Fatalf("GetToken with the wrong key = %v, want AADSTS700027", err)
	}
}

// TestECDSARefusedByAzidentity documents why Check refuses ECDSA keys.
func TestECDSARefusedByAzidentity(t *testing.T) {
	t.Parallel()
	f := fixtures(t)
	b, err := Load(cat(certPEM(f.ec.cert), pkcs8PEM(t, f.ec.key)), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = azidentity.NewClientCertificateCredential(testTenant, testClientID, b.Chain, b.Key, nil)
	if err == nil || !strings.Contains(err.Error(), "key must be an RSA key") {
		t.Fatalf("azidentity accepted or changed its ECDSA refusal: %v", err)
	}
	if err := b.Check(time.Now()); err == nil {
		t.Fatal("Check accepted an ECDSA key azidentity refuses")
	}
}
