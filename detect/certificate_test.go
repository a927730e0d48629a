package detect

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	autherrors "github.com/autoidentity/autoidentity/errors"
	"software.sslmate.com/src/go-pkcs12"
)

// wrongPassword is a second canary: the password a user mistyped.
const wrongPassword = "CANARY-wr0ng-P4ss~abc"

// certFixture holds certificates generated once per test binary, dated
// around testNow: RSA 2048 key generation is slow.
type certFixture struct {
	rsaKey *rsa.PrivateKey
	ecKey  *ecdsa.PrivateKey
	// valid lasts a year from testNow; soon expires in 10 days; expired
	// expired 35 days before testNow; ec is a valid ECDSA P-256
	// certificate; ca is a CA certificate for bundles.
	valid, soon, expired, ec, ca *x509.Certificate
	// pem is valid with its unencrypted PKCS#8 key: sp.pem of files().
	pem []byte
}

var testCerts = sync.OnceValue(func() *certFixture {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("generating the test RSA key: " + err.Error())
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("generating the test ECDSA key: " + err.Error())
	}
	day := 24 * time.Hour
	f := &certFixture{rsaKey: rk, ecKey: ek}
	f.valid = selfSigned("autoidentity-detect-test", rk, testNow.Add(-day), testNow.Add(365*day), false)
	f.soon = selfSigned("autoidentity-detect-soon", rk, testNow.Add(-300*day), testNow.Add(10*day+time.Hour), false)
	f.expired = selfSigned("autoidentity-detect-expired", rk, testNow.Add(-400*day), time.Date(2025, 4, 27, 8, 30, 0, 0, time.UTC), false)
	f.ec = selfSigned("autoidentity-detect-ecdsa", ek, testNow.Add(-day), testNow.Add(365*day), false)
	f.ca = selfSigned("autoidentity-detect-root", ek, testNow.Add(-day), testNow.Add(3650*day), true)
	f.pem = append(certPEM(f.valid), keyPEM(rk)...)
	return f
})

// selfSigned issues a self-signed certificate for key.
func selfSigned(cn string, key crypto.Signer, notBefore, notAfter time.Time, ca bool) *x509.Certificate {
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn, Organization: []string{"autoidentity"}},
		NotBefore: notBefore, NotAfter: notAfter, BasicConstraintsValid: true, IsCA: ca,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if ca {
		tmpl.KeyUsage, tmpl.ExtKeyUsage = x509.KeyUsageCertSign, nil
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic("creating a test certificate: " + err.Error())
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic("parsing a test certificate: " + err.Error())
	}
	return c
}

func certPEM(cs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range cs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

func keyPEM(key crypto.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic("marshalling a test key: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func pfx(t *testing.T, key crypto.PrivateKey, cert *x509.Certificate, password string) []byte {
	t.Helper()
	data, err := pkcs12.Modern.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// certEnv is servicePrincipalCert with the file at path and the password.
func certEnv(path, password string) MapEnv {
	env := merge(servicePrincipalCert, map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "/" + path})
	if password == "" {
		delete(env, "AZURE_CLIENT_CERTIFICATE_PASSWORD")
	} else {
		env["AZURE_CLIENT_CERTIFICATE_PASSWORD"] = password
	}
	return env
}

// withFile is files() plus one file.
func withFile(path string, data []byte) fstest.MapFS {
	m := files()
	m[path] = &fstest.MapFile{Data: data}
	return m
}

var certEvidence = []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"}

// wantInfo checks that r describes cert.
func wantInfo(t *testing.T, r *Result, cert *x509.Certificate) {
	t.Helper()
	c := r.Certificate
	if c == nil {
		t.Fatalf("no certificate info:\n%s", r)
	}
	if c.Subject != cert.Subject.String() || !c.NotAfter.Equal(cert.NotAfter) ||
		len(c.ThumbprintSHA1) != 40 || len(c.ThumbprintSHA256) != 64 || c.ThumbprintSHA1 != strings.ToUpper(c.ThumbprintSHA1) {
		t.Errorf("certificate = %+v, want subject %q, not after %s and uppercase hex thumbprints", c, cert.Subject, cert.NotAfter)
	}
}

func TestCertificateReport(t *testing.T) {
	t.Parallel()
	f := testCerts()
	runCases(t, []tcase{
		{name: "PKCS#12 (modern) with its password", env: certEnv("etc/ssl/private/sp.pfx", canary),
			fs:   withFile("etc/ssl/private/sp.pfx", pfx(t, f.rsaKey, f.valid, canary)),
			want: want{kind: ServicePrincipalCertificate, clientID: client, tenantID: tenant, evidence: certEvidence},
			check: func(t *testing.T, r *Result) {
				wantInfo(t, r, f.valid)
				if s := r.Certificate.Subject; s != "CN=autoidentity-detect-test,O=autoidentity" {
					t.Errorf("certificate subject = %q", s)
				}
				var j struct {
					Certificate map[string]string `json:"certificate"`
				}
				raw, err := json.Marshal(r)
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(raw, &j); err != nil {
					t.Fatal(err)
				}
				wantJSON := map[string]string{"subject": r.Certificate.Subject, "thumbprint_sha1": r.Certificate.ThumbprintSHA1,
					"thumbprint_sha256": r.Certificate.ThumbprintSHA256, "not_after": f.valid.NotAfter.UTC().Format(time.RFC3339)}
				if len(j.Certificate) != len(wantJSON) {
					t.Errorf("JSON certificate = %v, want %v", j.Certificate, wantJSON)
				}
				for k, v := range wantJSON {
					if j.Certificate[k] != v {
						t.Errorf("JSON certificate.%s = %q, want %q (%s)", k, j.Certificate[k], v, raw)
					}
				}
			}},
		{name: "expires within 30 days: a warning", env: certEnv("tmp/soon.pem", canary),
			fs: withFile("tmp/soon.pem", append(certPEM(f.soon), keyPEM(f.rsaKey)...)),
			want: want{kind: ServicePrincipalCertificate, clientID: client, tenantID: tenant, evidence: certEvidence,
				warnings: []string{"AZURE_CLIENT_CERTIFICATE_PATH"}},
			check: func(t *testing.T, r *Result) {
				wantInfo(t, r, f.soon)
				w := r.Warnings[0]
				for _, s := range []string{"expires on " + f.soon.NotAfter.Format("2006-01-02"), "in 10 days", r.Certificate.ThumbprintSHA1} {
					if !strings.Contains(w, s) {
						t.Errorf("warning %q lacks %q", w, s)
					}
				}
			}},
		{name: "31 days left: no warning", env: certEnv("tmp/later.pem", ""),
			fs: withFile("tmp/later.pem", append(certPEM(selfSigned("later", f.rsaKey, testNow.Add(-time.Hour), testNow.Add(31*24*time.Hour), false)), keyPEM(f.rsaKey)...)),
			want: want{kind: ServicePrincipalCertificate, clientID: client, tenantID: tenant,
				evidence: []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"}}},
		{name: "expired: an error saying when, and AADSTS700027", env: certEnv("tmp/expired.pem", canary),
			fs: withFile("tmp/expired.pem", append(keyPEM(f.rsaKey), certPEM(f.expired)...)),
			want: want{kind: None, errors: []string{"AZURE_CLIENT_CERTIFICATE_PATH"},
				incomplete: []string{"service-principal-certificate missing=a usable certificate in AZURE_CLIENT_CERTIFICATE_PATH"}},
			check: func(t *testing.T, r *Result) {
				wantInfo(t, r, f.expired) // the report still says which certificate expired
				e := r.Errors[0]
				for _, s := range []string{`AZURE_CLIENT_CERTIFICATE_PATH ("/tmp/expired.pem")`, "expired on 2025-04-27 08:30:00 UTC", "AADSTS700027",
					"Fix: create a new certificate, upload its public part to the app registration"} {
					if !strings.Contains(e.Message+" Fix: "+e.Remedy, s) {
						t.Errorf("error %q lacks %q", e.Message, s)
					}
				}
				if e.Code != autherrors.ErrCertificateInvalid {
					t.Errorf("code = %s, want %s", e.Code, autherrors.ErrCertificateInvalid)
				}
				if c := r.Certificate; c == nil || c.NotAfter.UTC().Format(time.RFC3339) != "2025-04-27T08:30:00Z" {
					t.Errorf("certificate %+v lacks the expiry", c)
				}
			}},
	})
}

// TestCertificateLoadErrors: every way a certificate file can be unusable is
// a certificate-invalid error naming AZURE_CLIENT_CERTIFICATE_PATH, the file
// and the fix, and no password appears in any rendering of the result.
func TestCertificateLoadErrors(t *testing.T) {
	t.Parallel()
	f := testCerts()
	const fixPassword = "Fix: set AZURE_CLIENT_CERTIFICATE_PASSWORD to the password the file was exported with"
	const fixCombined = "Fix: point AZURE_CLIENT_CERTIFICATE_PATH at a PEM file holding the certificate and its private key"
	const fixRSA = "Fix: create an RSA certificate (openssl req -x509 -newkey rsa:2048"
	tests := []struct {
		name, file, password string
		data                 []byte
		want                 []string // substrings of the error message
	}{
		{name: "wrong password", file: "sp.pfx", password: wrongPassword, data: pfx(t, f.rsaKey, f.valid, canary),
			want: []string{"does not decrypt the file", fixPassword}},
		{name: "missing password", file: "sp.pfx", data: pfx(t, f.rsaKey, f.valid, canary),
			want: []string{"AZURE_CLIENT_CERTIFICATE_PASSWORD", fixPassword}},
		{name: "no private key in the PEM", file: "cert.pem", password: canary, data: certPEM(f.valid),
			want: []string{"only the public certificate", fixCombined}},
		{name: "public-only .cer (DER)", file: "sp.cer", data: f.valid.Raw,
			want: []string{"only the public certificate", "the .cer/.crt uploaded to the app registration is only the public half"}},
		{name: "key does not match the certificate", file: "mismatch.pem", password: canary, data: append(certPEM(f.valid), keyPEM(f.ecKey)...),
			want: []string{"the private key belongs to none of the certificates", "CN=autoidentity-detect-test", "Fix: put the certificate issued for this key in the file"}},
		{name: "unsupported key type (ECDSA P-256)", file: "ec.pem", password: canary, data: append(certPEM(f.ec), keyPEM(f.ecKey)...),
			want: []string{"ECDSA P-256", "only with RSA keys", fixRSA}},
		{name: "a JSON file", file: "sp.json", password: canary, data: []byte(`{"appId": "` + client + `", "password": "` + canary + `"}`),
			want: []string{"the file is JSON, not a certificate", fixCombined}},
		{name: "a CA bundle", file: "ca-bundle.pem", data: certPEM(f.ca, f.valid),
			want: []string{"looks like a CA bundle", fixCombined}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := "etc/ssl/private/" + tt.file
			r := Detect(certEnv(path, tt.password), testOptions(withFile(path, tt.data)))
			check(t, r, want{kind: None, errors: []string{"AZURE_CLIENT_CERTIFICATE_PATH"},
				incomplete: []string{"service-principal-certificate missing=a usable certificate in AZURE_CLIENT_CERTIFICATE_PATH (see errors)"}})
			if len(r.Errors) != 1 {
				return
			}
			e := r.Errors[0]
			if e.Code != autherrors.ErrCertificateInvalid {
				t.Errorf("code = %s, want %s", e.Code, autherrors.ErrCertificateInvalid)
			}
			for _, s := range append([]string{`AZURE_CLIENT_CERTIFICATE_PATH ("/` + path + `")`}, tt.want...) {
				if !strings.Contains(e.Message+" Fix: "+e.Remedy, s) {
					t.Errorf("error lacks %q:\n%s", s, e.Message)
				}
			}
			for how, out := range renderings(t, r) {
				for _, secret := range []string{canary, wrongPassword} {
					if strings.Contains(out, secret) {
						t.Errorf("%s rendering contains the password %q:\n%s", how, secret, out)
					}
				}
			}
		})
	}
}

// wantFederatedReport checks that the human and JSON reports show the
// federated token's public claims (iss, sub, aud, exp) and never the token.
func wantFederatedReport(t *testing.T, r *Result) {
	t.Helper()
	tok := r.FederatedToken
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Token struct {
			Iss, Sub string
			Aud      []string
			Exp      time.Time
		} `json:"federated_token"`
	}
	if err := json.Unmarshal(raw, &j); err != nil {
		t.Fatal(err)
	}
	if j.Token.Iss != tok.Issuer || j.Token.Sub != tok.Subject || strings.Join(j.Token.Aud, ",") != strings.Join(tok.Audience, ",") || !j.Token.Exp.Equal(tok.Expiry) {
		t.Errorf("JSON federated_token = %+v, want %+v (%s)", j.Token, tok, raw)
	}
	for _, out := range []string{r.String(), string(raw)} {
		if strings.Contains(out, saToken) || strings.Contains(out, strings.Split(saToken, ".")[1]) {
			t.Errorf("a report contains the token itself:\n%s", out)
		}
	}
}
