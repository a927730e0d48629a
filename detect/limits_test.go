package detect

import (
	"encoding/json"
	"strings"
	"testing"
)

// Findings F6-F9 of RELIABILITY.md: conflicting service principal
// credentials, a forced kind that is not configured, CI request URLs, and
// values too long to echo or to be a credential.
func TestDetectLimits(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	long := strings.Repeat("s", mib)
	// short asserts that no report, error or warning repeats a long value.
	short := func(t *testing.T, r *Result) {
		t.Helper()
		js, _ := json.Marshal(r)
		for _, out := range []string{r.String(), string(js)} {
			if len(out) > 8<<10 {
				t.Errorf("the report is %d bytes long; a long value was echoed", len(out))
			}
		}
	}
	names := func(variable string, also ...string) func(*testing.T, *Result) {
		return func(t *testing.T, r *Result) {
			t.Helper()
			short(t, r)
			msg := r.Errors[0].Message + " " + r.Errors[0].Remedy
			for _, s := range append(also, variable) {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not say %q", msg, s)
				}
			}
		}
	}
	runCases(t, []tcase{
		// F6: both set warns naming both, even when neither configuration is
		// complete or only one is.
		{name: "secret and unusable certificate both set", env: with(servicePrincipalSecret, "AZURE_CLIENT_CERTIFICATE_PATH", "/tmp/not-a-jwt"),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence,
				errors:     []string{"AZURE_CLIENT_CERTIFICATE_PATH"},
				incomplete: []string{"service-principal-certificate missing=a usable certificate"},
				warnings:   []string{"AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are both set"}}},
		{name: "secret and certificate without a tenant", env: merge(servicePrincipalCert, map[string]string{"AZURE_CLIENT_SECRET": canary, "AZURE_TENANT_ID": ""}),
			want: want{kind: None, incomplete: []string{"service-principal-secret missing=AZURE_TENANT_ID", "service-principal-certificate missing=AZURE_TENANT_ID"},
				warnings: []string{"AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are both set"}}},
		// F7: a forced kind that is not configured says what forced it and
		// what the kind needs.
		{name: "AZURE_TOKEN_CREDENTIALS forces workload identity beside a secret", env: merge(servicePrincipalSecret, atc("WorkloadIdentityCredential")),
			want: want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, skipped: []string{"service-principal-secret"},
				incomplete: []string{"workload-identity missing=AZURE_FEDERATED_TOKEN_FILE"}},
			check: func(t *testing.T, r *Result) {
				in := r.Incomplete[0]
				if in.ForcedBy != "AZURE_TOKEN_CREDENTIALS" || !strings.Contains(in.Reason, "AZURE_TOKEN_CREDENTIALS=WorkloadIdentityCredential selects only workload-identity") ||
					!strings.Contains(in.Reason, "AZURE_FEDERATED_TOKEN_FILE") {
					t.Errorf("incomplete = %+v", in)
				}
			}},
		{name: "Options.Kind forces GitHub OIDC with a half configuration", env: merge(servicePrincipalSecret, map[string]string{"ACTIONS_ID_TOKEN_REQUEST_TOKEN": canary}),
			opts: func(o *Options) { o.Kind = GitHubActionsOIDC },
			want: want{kind: None, evidence: []string{"Options.Kind"}, skipped: []string{"service-principal-secret"},
				incomplete: []string{"github-actions-oidc missing=ACTIONS_ID_TOKEN_REQUEST_URL"}},
			check: func(t *testing.T, r *Result) {
				if in := r.Incomplete[0]; in.ForcedBy != "Options.Kind" || !strings.HasPrefix(in.Reason, "Options.Kind=github-actions-oidc selects only github-actions-oidc, and ") {
					t.Errorf("incomplete = %+v", in)
				}
			}},
		{name: "forced kind that is configured is not reported", env: merge(aksWorkload, atc("WorkloadIdentityCredential")),
			want: want{kind: WorkloadIdentity, clientID: client, tenantID: tenant,
				evidence: []string{"AZURE_TOKEN_CREDENTIALS", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"}}},
		// F8: CI request URLs must be https URLs.
		{name: "GitHub request URL malformed", env: merge(githubRunner, githubOIDC, map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": "::not a url"}),
			want:  want{kind: None, errors: []string{"ACTIONS_ID_TOKEN_REQUEST_URL"}, incomplete: []string{"github-actions-oidc invalid=ACTIONS_ID_TOKEN_REQUEST_URL"}},
			check: names("ACTIONS_ID_TOKEN_REQUEST_URL", "not a URL")},
		{name: "GitHub request URL http, loopback included", env: merge(githubRunner, githubOIDC, map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": "http://127.0.0.1:8080/idtoken"}),
			want:  want{kind: None, errors: []string{"ACTIONS_ID_TOKEN_REQUEST_URL"}, incomplete: []string{"github-actions-oidc invalid=ACTIONS_ID_TOKEN_REQUEST_URL"}},
			check: names("ACTIONS_ID_TOKEN_REQUEST_URL", "https", "clear text")},
		{name: "Pipelines request URI without a scheme", env: merge(pipelinesAgent, pipelinesOIDC, map[string]string{"SYSTEM_OIDCREQUESTURI": "dev.azure.com/contoso/oidctoken"}),
			want:  want{kind: None, errors: []string{"SYSTEM_OIDCREQUESTURI"}, incomplete: []string{"azure-pipelines-oidc invalid=SYSTEM_OIDCREQUESTURI"}},
			check: names("SYSTEM_OIDCREQUESTURI")},
		{name: "GitHub request URL https on loopback", env: merge(githubRunner, githubOIDC, map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": "https://127.0.0.1:8443/idtoken?api-version=2.0"}),
			want: want{kind: GitHubActionsOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"GITHUB_ACTIONS", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AZURE_TENANT_ID", "AZURE_CLIENT_ID"}}},
		// F9: secrets longer than 16 KiB are refused naming the variable;
		// long values are quoted with a cap.
		{name: "secret of 1 MiB", env: with(servicePrincipalSecret, "AZURE_CLIENT_SECRET", long),
			want:  want{kind: None, errors: []string{"AZURE_CLIENT_SECRET"}, incomplete: []string{"service-principal-secret invalid=AZURE_CLIENT_SECRET"}},
			check: names("AZURE_CLIENT_SECRET", "1048576 bytes")},
		{name: "secret of 16 KiB is accepted", env: with(servicePrincipalSecret, "AZURE_CLIENT_SECRET", long[:maxSecret]),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence}},
		{name: "certificate password of 1 MiB", env: with(servicePrincipalCert, "AZURE_CLIENT_CERTIFICATE_PASSWORD", long),
			want: want{kind: None, errors: []string{"AZURE_CLIENT_CERTIFICATE_PASSWORD"},
				incomplete: []string{"service-principal-certificate missing=a usable AZURE_CLIENT_CERTIFICATE_PASSWORD"}},
			check: names("AZURE_CLIENT_CERTIFICATE_PASSWORD")},
		{name: "GitHub request token of 1 MiB", env: merge(githubRunner, githubOIDC, map[string]string{"ACTIONS_ID_TOKEN_REQUEST_TOKEN": long}),
			want:  want{kind: None, errors: []string{"ACTIONS_ID_TOKEN_REQUEST_TOKEN"}, incomplete: []string{"github-actions-oidc invalid=ACTIONS_ID_TOKEN_REQUEST_TOKEN"}},
			check: names("ACTIONS_ID_TOKEN_REQUEST_TOKEN")},
		{name: "System.AccessToken of 1 MiB", env: merge(pipelinesAgent, pipelinesOIDC, map[string]string{"SYSTEM_ACCESSTOKEN": long}),
			want:  want{kind: None, errors: []string{"SYSTEM_ACCESSTOKEN"}, incomplete: []string{"azure-pipelines-oidc invalid=SYSTEM_ACCESSTOKEN"}},
			check: names("SYSTEM_ACCESSTOKEN")},
		{name: "authority host of 1 MiB", env: with(servicePrincipalSecret, "AZURE_AUTHORITY_HOST", "https://"+strings.Repeat("a", mib)),
			want:  want{kind: None, errors: []string{"AZURE_AUTHORITY_HOST"}, incomplete: []string{"service-principal-secret invalid=AZURE_AUTHORITY_HOST"}},
			check: names("AZURE_AUTHORITY_HOST", "1048576 bytes")},
		{name: "certificate path of 1 MiB", env: with(servicePrincipalCert, "AZURE_CLIENT_CERTIFICATE_PATH", "/"+strings.Repeat("p", mib)),
			want: want{kind: None, incomplete: []string{"service-principal-certificate missing=file /ppp"}},
			check: func(t *testing.T, r *Result) {
				short(t, r)
				if m := r.Incomplete[0].Missing[0]; !strings.Contains(m, "… (1048577 bytes) named by AZURE_CLIENT_CERTIFICATE_PATH") {
					t.Errorf("missing = %.200q", m)
				}
			}},
		{name: "AZURE_TOKEN_CREDENTIALS of 1 MiB", env: with(servicePrincipalSecret, "AZURE_TOKEN_CREDENTIALS", long),
			want:  want{kind: None, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, errors: []string{"AZURE_TOKEN_CREDENTIALS"}, skipped: []string{"service-principal-secret"}},
			check: names("AZURE_TOKEN_CREDENTIALS", `"sss`, "… (1048576 bytes)")},
		{name: "Options.Kind of 1 MiB", env: MapEnv(servicePrincipalSecret), opts: func(o *Options) { o.Kind = Kind(long) },
			want:  want{kind: None, evidence: []string{"Options.Kind"}, errors: []string{"Options.Kind"}, skipped: []string{"service-principal-secret"}},
			check: names("Options.Kind", "… (1048576 bytes)")},
	})
}

func TestQuoteCaps(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, quote, clip string }{
		{"abc", `"abc"`, "abc"},
		{strings.Repeat("x", maxQuoted), `"` + strings.Repeat("x", maxQuoted) + `"`, strings.Repeat("x", maxQuoted)},
		{strings.Repeat("x", maxQuoted+1), `"` + strings.Repeat("x", maxQuoted) + `"… (81 bytes)`, strings.Repeat("x", maxQuoted) + "… (81 bytes)"},
		// A cut never splits a character.
		{strings.Repeat("x", maxQuoted-1) + "é" + "yy", `"` + strings.Repeat("x", maxQuoted-1) + `"… (83 bytes)`, strings.Repeat("x", maxQuoted-1) + "… (83 bytes)"},
		{"a\nb\x00", `"a\nb\x00"`, "a\nb\x00"},
	} {
		if got := quote(tc.in); got != tc.quote {
			t.Errorf("quote(%.20q…) = %q, want %q", tc.in, got, tc.quote)
		}
		if got := clip(tc.in); got != tc.clip {
			t.Errorf("clip(%.20q…) = %q, want %q", tc.in, got, tc.clip)
		}
	}
	// Paths are quoted whole up to maxPath bytes: temporary and projected
	// volume paths are longer than maxQuoted and useless cut.
	path := "/" + strings.Repeat("dir/", 50) + "sp.pem"
	if got := quotePath(path); got != `"`+path+`"` {
		t.Errorf("quotePath cut a %d-byte path: %q", len(path), got)
	}
	if got := clipPath(path); got != path {
		t.Errorf("clipPath cut a %d-byte path: %q", len(path), got)
	}
	huge := "/" + strings.Repeat("p", 1<<20)
	if got, want := clipPath(huge), huge[:maxPath]+"… (1048577 bytes)"; got != want {
		t.Errorf("clipPath of 1 MiB = %.40q… (%d bytes), want %d bytes", got, len(got), len(want))
	}
}
