package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// TestReportFields renders Results built by hand, so every field the
// report can show is covered whatever the environment scenarios select.
func TestReportFields(t *testing.T) {
	t.Parallel()
	const (
		client = "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b"
		tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	)
	notAfter := time.Date(2026, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	var all strings.Builder
	for _, tc := range []struct {
		name string
		r    detect.Result
	}{
		{"certificate", detect.Result{Kind: detect.ServicePrincipalCertificate, ClientID: client, TenantID: tenant,
			CertificatePath: "/etc/ssl/private/sp.pfx", SendCertificateChain: true,
			Certificate: &detect.CertificateInfo{Subject: "CN=api,O=Contoso", ThumbprintSHA1: "303CF492274D502DC2B3E4F0C35E4AE41C415049",
				ThumbprintSHA256: "4736F7AA4A9FAA5497617D994A277D5A12862B05A6365A2B97C1028663B00ADC", NotAfter: notAfter},
			AuthorityHost: "https://login.microsoftonline.us", AdditionallyAllowedTenants: []string{"*", tenant},
			Evidence: []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH"},
			Skipped:  []detect.Skipped{{Kind: detect.ManagedIdentity, Source: detect.IMDS, Reason: "a service principal comes first"}},
			Warnings: []string{"AZURE_CLIENT_SEND_CERTIFICATE_CHAIN is set"}}},
		{"workload identity", detect.Result{Kind: detect.WorkloadIdentity, ClientID: client, TenantID: tenant,
			TokenFile: "/var/run/secrets/azure/tokens/azure-identity-token",
			FederatedToken: &detect.TokenInfo{Issuer: "https://oidc.prod-aks.azure.com/x/", Subject: "system:serviceaccount:orders:orders-sa",
				Audience: []string{"api://AzureADTokenExchange", "other"}, Expiry: notAfter}}},
		{"workload identity, token without exp", detect.Result{Kind: detect.WorkloadIdentity, TokenFile: "/t",
			FederatedToken: &detect.TokenInfo{Issuer: "https://issuer/"}}},
		{"github actions", detect.Result{Kind: detect.GitHubActionsOIDC, ClientID: client, TenantID: tenant,
			OIDCRequestURL: "https://pipelines.actions.githubusercontent.com/abc/idtoken?api-version="}},
		{"azure pipelines", detect.Result{Kind: detect.AzurePipelinesOIDC, ClientID: client, TenantID: tenant, ServiceConnectionID: "0d1e2f3a"}},
		{"user-assigned managed identity", detect.Result{Kind: detect.ManagedIdentity, Source: detect.AppService, ClientID: client,
			Endpoint: "http://169.254.129.3:8081/msi/token", Evidence: []string{"IDENTITY_ENDPOINT", "AZURE_CLIENT_ID"}}},
		{"user-assigned by object ID", detect.Result{Kind: detect.ManagedIdentity, Source: detect.IMDS, ObjectID: "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6"}},
		{"user-assigned by resource ID", detect.Result{Kind: detect.ManagedIdentity, Source: detect.IMDS,
			ResourceID: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orders"}},
		{"azure ml default identity", detect.Result{Kind: detect.ManagedIdentity, Source: detect.AzureML, ClientID: client,
			Evidence: []string{"MSI_ENDPOINT", "DEFAULT_IDENTITY_CLIENT_ID"}}},
		{"azure ml with AZURE_CLIENT_ID", detect.Result{Kind: detect.ManagedIdentity, Source: detect.AzureML, ClientID: client,
			Evidence: []string{"MSI_ENDPOINT", "AZURE_CLIENT_ID"}}},
		{"imds probe answered", detect.Result{Kind: detect.ManagedIdentity, Source: detect.IMDS,
			Probe: &detect.Probe{Endpoint: detect.IMDSEndpoint, OK: true, Status: 400, Latency: 1234567 * time.Nanosecond, Detail: "invalid_request: Identity not found"}}},
		{"developer tools", detect.Result{Kind: detect.DeveloperTool, DeveloperTools: []string{"AzureCLICredential", "AzureDeveloperCLICredential"}}},
		{"none, probe unanswered: no hint", detect.Result{Kind: detect.None,
			Probe:   &detect.Probe{Endpoint: detect.IMDSEndpoint, Error: "no answer within 1s"},
			Refused: []detect.Refused{{Kind: detect.DeveloperTool, Code: autherrors.ErrDeveloperCredentialRefused, Reason: "AZURE_TOKEN_CREDENTIALS=dev"}},
			Incomplete: []detect.Incomplete{{Kind: detect.ServicePrincipalSecret, Present: []string{"AZURE_CLIENT_ID"},
				Missing: []string{"AZURE_TENANT_ID"}, Invalid: []string{"AZURE_CLIENT_ID"}, Reason: "a service principal needs a tenant"}},
			Errors: []detect.ConfigError{{Variable: "AZURE_CLIENT_ID", Code: autherrors.ErrInvalidConfiguration, Message: "not a GUID", Remedy: "use the Application (client) ID"}}}},
		{"empty kind, no probe: hint", detect.Result{}},
	} {
		var b strings.Builder
		if err := writeReport(&b, &tc.r); err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(b.String(), "\n"); !strings.HasPrefix(tc.r.String(), first) {
			t.Errorf("%s: the report's first line %q does not start Result.String %q", tc.name, first, tc.r.String())
		}
		all.WriteString("=== " + tc.name + "\n" + b.String())
	}
	golden(t, "report_fields.golden", all.String())
}

// reportCanary marks every secret the environments below hold.
const reportCanary = "CANARY-report-s3cr3t"

// secretVars are the variables whose values are secrets.
var secretVars = []string{
	"AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_PASSWORD", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
	"SYSTEM_ACCESSTOKEN", "IDENTITY_HEADER", "MSI_SECRET", "servicePrincipalKey", "ARM_CLIENT_SECRET",
}

// TestReportNeverPrintsSecrets renders hostile environments: secrets in
// every secret variable, in URLs' user information and query values, and a
// client secret pasted into AZURE_CLIENT_ID. (Values of variables that are
// not secret, such as a malformed AZURE_TOKEN_CREDENTIALS, are quoted on
// purpose.)
func TestReportNeverPrintsSecrets(t *testing.T) {
	t.Parallel()
	secrets := map[string]string{}
	for _, k := range secretVars {
		secrets[k] = reportCanary
	}
	url := func(base string) string {
		return strings.Replace(base, "://", "://user:"+reportCanary+"@", 1) + "?sig=" + reportCanary
	}
	for _, env := range []map[string]string{
		merge(secrets, map[string]string{"AZURE_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "AZURE_CLIENT_ID": "Q7~8Q~" + reportCanary + "abcdefghij"}),
		merge(secrets, map[string]string{"IDENTITY_ENDPOINT": url("http://169.254.129.3:8081/msi/token"), "MSI_ENDPOINT": url("http://localhost:50342/oauth2/token")}),
		merge(secrets, map[string]string{"GITHUB_ACTIONS": "true", "ACTIONS_ID_TOKEN_REQUEST_URL": url("https://pipelines.actions.githubusercontent.com/abc/idtoken"),
			"AZURE_CLIENT_ID": "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b", "AZURE_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47",
			"AZURE_AUTHORITY_HOST": url("https://login.example")}),
		merge(secrets, map[string]string{"AZURE_USERNAME": "alice@contoso.com", "AZURE_TOKEN_CREDENTIALS": "prod"}),
	} {
		r := detect.Detect(detect.MapEnv(env), nil)
		var b strings.Builder
		if err := writeReport(&b, r); err != nil {
			t.Fatal(err)
		}
		for how, out := range map[string]string{"report": b.String(), "String": r.String()} {
			if strings.Contains(out, reportCanary) {
				t.Errorf("the %s shows a secret:\n%s", how, out)
			}
		}
	}
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// FuzzReport feeds random environments (KEY=VALUE lines) and a random
// token file to Detect and renders the result: no rendering may contain a
// secret. Every secret variable's value starts with a marker that appears
// nowhere else, so finding the marker means a secret leaked.
func FuzzReport(f *testing.F) {
	claims := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"https://issuer/","sub":"system:serviceaccount:a:b","aud":["api://AzureADTokenExchange"],"exp":1893456000}`))
	f.Add("AZURE_TENANT_ID=72f988bf-86f1-41af-91ab-2d7cd011db47\nAZURE_CLIENT_ID=9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b\nAZURE_CLIENT_SECRET=x", []byte(""))
	f.Add("AZURE_TENANT_ID=common\nAZURE_CLIENT_ID=x\nAZURE_FEDERATED_TOKEN_FILE=/t\nKUBERNETES_SERVICE_HOST=1", []byte("eyJhbGciOiJSUzI1NiJ9."+claims+".sig"))
	f.Add("IDENTITY_ENDPOINT=http://x\nIDENTITY_HEADER=h\nAZURE_CLIENT_ID=\n", []byte(nil))
	f.Add("MSI_ENDPOINT=http://x\nMSI_SECRET=s\nDEFAULT_IDENTITY_CLIENT_ID=clientid\nAZURE_TOKEN_CREDENTIALS=dev", []byte(nil))
	f.Add("GITHUB_ACTIONS=true\nACTIONS_ID_TOKEN_REQUEST_TOKEN=t\nAZURE_PASSWORD=p\nAZURE_AUTHORITY_HOST=http://h", []byte("a.b.c"))
	f.Fuzz(func(t *testing.T, envText string, token []byte) {
		const marker = "LEAK"
		secret := map[string]bool{}
		for _, n := range secretVars {
			secret[n] = true
		}
		m := map[string]string{}
		for line := range strings.SplitSeq(envText, "\n") {
			k, v, _ := strings.Cut(line, "=")
			k, v = scrub(k, marker), scrub(v, marker)
			if secret[k] {
				v = marker + v
			}
			m[k] = v
		}
		// "/t" names the fuzzed token file; other paths are read from the
		// file system as they are (detect only reads regular files, capped).
		tokenFile := filepath.Join(t.TempDir(), "t")
		if err := os.WriteFile(tokenFile, []byte(scrub(string(token), marker)), 0o600); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			if v == "/t" {
				m[k] = tokenFile
			}
		}
		for _, allowDev := range []bool{false, true} {
			r := detect.Detect(detect.MapEnv(m), &detect.Options{AllowDeveloperTools: allowDev})
			var b strings.Builder
			if err := writeReport(&b, r); err != nil {
				t.Fatal(err)
			}
			for _, out := range []string{b.String(), r.String()} {
				if strings.Contains(out, marker) {
					t.Fatalf("a secret leaked:\n%s", out)
				}
			}
		}
	})
}

// scrub removes the marker from fuzzed text so only secrets carry it.
func scrub(s, marker string) string {
	for strings.Contains(s, marker) {
		s = strings.ReplaceAll(s, marker, "")
	}
	return s
}
