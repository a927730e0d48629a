package detect

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// denyFS answers fs.ErrPermission for paths containing "unreadable", as the
// OS does for a file without read permission (MapFS ignores modes).
type denyFS struct{ fileSystem }

func (d denyFS) ReadFile(name string) ([]byte, error) {
	if strings.Contains(name, "unreadable") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.fileSystem.ReadFile(name)
}

func testOptions(mfs fstest.MapFS) *Options {
	if mfs == nil {
		mfs = files()
	}
	return &Options{fs: denyFS{ioFS{mfs}}, now: func() time.Time { return testNow }, goos: "linux"}
}

func withHimds() fstest.MapFS {
	m := files()
	m["opt/azcmagent/bin/himds"] = &fstest.MapFile{Data: []byte("\x7fELF"), Mode: 0o755}
	return m
}

// want is what a case expects. Slices are compared exactly (in order);
// warnings and incomplete entries by substring, one per entry.
type want struct {
	kind               Kind
	source             Source
	clientID, tenantID string
	evidence           []string
	skipped            []string // "kind[/source]"
	refused            []string // "kind[/source]:code"
	incomplete         []string // "kind[/source]" + " " + substring of "missing=…; invalid=…"
	errors             []string // variable names
	warnings           []string // substrings
}

func ks(k Kind, s Source) string {
	if s == "" {
		return string(k)
	}
	return string(k) + "/" + string(s)
}

func check(t *testing.T, r *Result, w want) {
	t.Helper()
	if r.Kind != w.kind || r.Source != w.source {
		t.Errorf("kind = %s/%s, want %s/%s", r.Kind, r.Source, w.kind, w.source)
	}
	if r.ClientID != w.clientID || r.TenantID != w.tenantID {
		t.Errorf("client, tenant = %q, %q, want %q, %q", r.ClientID, r.TenantID, w.clientID, w.tenantID)
	}
	eq := func(what string, got, want []string) {
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s =\n\t%q\nwant\n\t%q", what, got, want)
		}
	}
	eq("evidence", r.Evidence, w.evidence)
	var got []string
	for _, s := range r.Skipped {
		got = append(got, ks(s.Kind, s.Source))
	}
	eq("skipped", got, w.skipped)
	got = nil
	for _, s := range r.Refused {
		got = append(got, ks(s.Kind, s.Source)+":"+string(s.Code))
	}
	eq("refused", got, w.refused)
	got = nil
	for _, e := range r.Errors {
		got = append(got, e.Variable)
	}
	eq("errors", got, w.errors)
	if len(r.Incomplete) != len(w.incomplete) {
		t.Errorf("incomplete = %+v, want %d entries %q", r.Incomplete, len(w.incomplete), w.incomplete)
	} else {
		for i, x := range r.Incomplete {
			head, sub, _ := strings.Cut(w.incomplete[i], " ")
			text := "missing=" + strings.Join(x.Missing, ",") + "; invalid=" + strings.Join(x.Invalid, ",")
			if ks(x.Kind, x.Source) != head || !strings.Contains(text, sub) {
				t.Errorf("incomplete[%d] = %s %s, want %s containing %q", i, ks(x.Kind, x.Source), text, head, sub)
			}
		}
	}
	if len(r.Warnings) != len(w.warnings) {
		t.Errorf("warnings =\n\t%q\nwant %d matching %q", r.Warnings, len(w.warnings), w.warnings)
	} else {
		for i, s := range w.warnings {
			if !strings.Contains(r.Warnings[i], s) {
				t.Errorf("warning[%d] = %q, want it to contain %q", i, r.Warnings[i], s)
			}
		}
	}
	if t.Failed() {
		t.Logf("report:\n%s", r)
	}
}

type tcase struct {
	name  string
	env   MapEnv
	fs    fstest.MapFS
	opts  func(*Options)
	want  want
	check func(*testing.T, *Result)
}

func runCases(t *testing.T, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := testOptions(tc.fs)
			if tc.opts != nil {
				tc.opts(o)
			}
			r := Detect(tc.env, o)
			check(t, r, tc.want)
			if tc.check != nil {
				tc.check(t, r)
			}
			if s := r.String(); strings.Contains(s, canary) {
				t.Errorf("report contains a secret:\n%s", s)
			}
		})
	}
}

func probeOK(status int, detail string) func(*Options) {
	return func(o *Options) {
		o.Probe = &Probe{Endpoint: IMDSEndpoint, OK: true, Status: status, Detail: detail, Latency: 2 * time.Millisecond}
	}
}

var spEvidence = []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"}

func TestDetectKinds(t *testing.T) {
	t.Parallel()
	runCases(t, []tcase{
		{name: "service principal secret", env: merge(linuxNoise, servicePrincipalSecret),
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence},
			check: func(t *testing.T, r *Result) {
				if r.secrets.ClientSecret.Reveal() != canary {
					t.Error("ClientSecret does not hold AZURE_CLIENT_SECRET")
				}
			}},
		{name: "service principal certificate", env: merge(linuxNoise, servicePrincipalCert),
			want: want{kind: ServicePrincipalCertificate, clientID: client, tenantID: tenant,
				evidence: []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"}},
			check: func(t *testing.T, r *Result) {
				if r.CertificatePath != "/etc/ssl/private/sp.pem" || r.secrets.CertificatePassword.Reveal() != canary || !r.SendCertificateChain || r.secrets.Key == nil || len(r.secrets.Certificate) == 0 {
					t.Errorf("certificate fields = %q %v", r.CertificatePath, r.SendCertificateChain)
				}
				wantInfo(t, r, testCerts().valid)
			}},
		{name: "AKS workload identity", env: merge(linuxNoise, aksWorkload),
			want: want{kind: WorkloadIdentity, clientID: client, tenantID: tenant,
				evidence: []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"}},
			check: func(t *testing.T, r *Result) {
				tok := r.FederatedToken
				if r.TokenFile != "/var/run/secrets/azure/tokens/azure-identity-token" || r.AuthorityHost != "https://login.microsoftonline.com/" || tok == nil ||
					tok.Subject != "system:serviceaccount:orders:orders-sa" || !slices.Equal(tok.Audience, []string{"api://AzureADTokenExchange"}) ||
					!tok.Expiry.Equal(testNow.Add(time.Hour)) || !strings.HasPrefix(tok.Issuer, "https://westeurope.oic.prod-aks.azure.com/") {
					t.Errorf("token file %q, authority %q, claims %+v", r.TokenFile, r.AuthorityHost, tok)
				}
				wantFederatedReport(t, r)
			}},
		{name: "GitHub Actions OIDC", env: merge(linuxNoise, githubRunner, githubOIDC),
			want: want{kind: GitHubActionsOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"GITHUB_ACTIONS", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AZURE_TENANT_ID", "AZURE_CLIENT_ID"}},
			check: func(t *testing.T, r *Result) {
				if u := githubOIDC["ACTIONS_ID_TOKEN_REQUEST_URL"]; r.OIDCRequestURL != reportURL(u) || r.secrets.RequestURL != u || r.secrets.RequestToken.Reveal() != canary {
					t.Errorf("OIDC request = %q", r.OIDCRequestURL)
				}
			}},
		{name: "Azure Pipelines OIDC", env: merge(linuxNoise, pipelinesAgent, pipelinesOIDC),
			want: want{kind: AzurePipelinesOIDC, clientID: client, tenantID: tenant,
				evidence: []string{"SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "AZURESUBSCRIPTION_TENANT_ID", "AZURESUBSCRIPTION_CLIENT_ID"}},
			check: func(t *testing.T, r *Result) {
				if r.ServiceConnectionID != serviceCon || r.OIDCRequestURL != reportURL(pipelinesAgent["SYSTEM_OIDCREQUESTURI"]) || r.secrets.RequestToken.Reveal() != canary {
					t.Errorf("pipelines fields = %q %q", r.ServiceConnectionID, r.OIDCRequestURL)
				}
			}},
		{name: "App Service on Linux", env: merge(linuxNoise, appServiceLinux),
			want: want{kind: ManagedIdentity, source: AppService, evidence: []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "WEBSITE_SITE_NAME"}},
			check: func(t *testing.T, r *Result) {
				if r.Endpoint != "http://169.254.129.3:8081/msi/token" {
					t.Errorf("endpoint = %q", r.Endpoint)
				}
			}},
		{name: "Functions consumption plan", env: functionsConsumption,
			want: want{kind: ManagedIdentity, source: AppService, evidence: []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "WEBSITE_SITE_NAME"}}},
		// MSAL speaks Azure ML's protocol to MSI_ENDPOINT and MSI_SECRET
		// whatever markers surround them, so detect reports azure-ml and
		// refuses it without a client ID (an Azure ML compute instance with
		// a stray WEBSITE_* variable looks the same and serves the user).
		{name: "older Functions plan sets only MSI_*: Azure ML's protocol, refused without a client ID", env: merge(linuxNoise, functionsLegacy),
			want: want{kind: None, refused: []string{"managed-identity/azure-ml:user-identity-refused"}}},
		{name: "older Functions plan with a user-assigned identity: Azure ML's protocol", env: merge(linuxNoise, functionsLegacy, map[string]string{"AZURE_CLIENT_ID": uami}),
			want: want{kind: ManagedIdentity, source: AzureML, clientID: uami, evidence: []string{"MSI_ENDPOINT", "MSI_SECRET", "AZURE_CLIENT_ID"},
				warnings: []string{"MSAL speaks Azure ML's protocol (the legacy App Service one)"}}},
		{name: "Container Apps: KUBERNETES_SERVICE_HOST implies nothing", env: merge(linuxNoise, containerApps),
			want: want{kind: ManagedIdentity, source: AppService, evidence: []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "CONTAINER_APP_NAME"}}},
		{name: "Service Fabric", env: merge(linuxNoise, serviceFabric),
			want: want{kind: ManagedIdentity, source: ServiceFabric, evidence: []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT"}}},
		{name: "Azure Arc", env: merge(linuxNoise, arcServer),
			want: want{kind: ManagedIdentity, source: AzureArc, evidence: []string{"IDENTITY_ENDPOINT", "IMDS_ENDPOINT"}}},
		{name: "Azure Arc under systemd: only the himds binary", env: merge(linuxNoise), fs: withHimds(),
			want: want{kind: ManagedIdentity, source: AzureArc, evidence: []string{"/opt/azcmagent/bin/himds"}},
			check: func(t *testing.T, r *Result) {
				if r.Endpoint != arcEndpoint {
					t.Errorf("endpoint = %q", r.Endpoint)
				}
			}},
		// MSAL sends Arc's request to IDENTITY_ENDPOINT whenever it is set,
		// however it found Arc; the report names what MSAL will call.
		{name: "Azure Arc by the himds binary with IDENTITY_ENDPOINT: MSAL calls IDENTITY_ENDPOINT",
			env: merge(linuxNoise, map[string]string{"IDENTITY_ENDPOINT": "http://127.0.0.1:40343/metadata/identity/oauth2/token?tag=x"}), fs: withHimds(),
			want: want{kind: ManagedIdentity, source: AzureArc, evidence: []string{"/opt/azcmagent/bin/himds", "IDENTITY_ENDPOINT"}},
			check: func(t *testing.T, r *Result) {
				if want := "http://127.0.0.1:40343/metadata/identity/oauth2/token?tag=[REDACTED]"; r.Endpoint != want {
					t.Errorf("endpoint = %q, want %q", r.Endpoint, want)
				}
			}},
		{name: "Azure Arc by the himds binary with IMDS_ENDPOINT alone: the agent's endpoint",
			env: merge(linuxNoise, map[string]string{"IMDS_ENDPOINT": "http://localhost:40342"}), fs: withHimds(),
			want: want{kind: ManagedIdentity, source: AzureArc, evidence: []string{"/opt/azcmagent/bin/himds"}},
			check: func(t *testing.T, r *Result) {
				if r.Endpoint != arcEndpoint {
					t.Errorf("endpoint = %q, want %q", r.Endpoint, arcEndpoint)
				}
			}},
		{name: "Azure Arc on Windows: himds.exe under ProgramData", env: merge(map[string]string{"ProgramData": `C:\ProgramData`}),
			fs:   fstest.MapFS{`C:\ProgramData\AzureConnectedMachineAgent\himds.exe`: {Data: []byte("MZ")}},
			opts: func(o *Options) { o.goos = "windows" },
			want: want{kind: ManagedIdentity, source: AzureArc, evidence: []string{`C:\ProgramData\AzureConnectedMachineAgent\himds.exe`}}},
		{name: "himds is not looked for on macOS", env: merge(linuxNoise), fs: withHimds(), opts: func(o *Options) { o.goos = "darwin" },
			want: want{kind: None}},
		{name: "Azure ML compute cluster with a managed identity", env: merge(linuxNoise, azureMLCluster),
			want: want{kind: ManagedIdentity, source: AzureML, clientID: uami, evidence: []string{"MSI_ENDPOINT", "MSI_SECRET", "DEFAULT_IDENTITY_CLIENT_ID"}}},
		{name: "Azure VM: IMDS confirmed by a probe", env: merge(linuxNoise), opts: probeOK(200, ""),
			want: want{kind: ManagedIdentity, source: IMDS, evidence: []string{"IMDS probe"}}},
		{name: "IMDS asserted by AZURE_TOKEN_CREDENTIALS", env: merge(linuxNoise, map[string]string{"AZURE_TOKEN_CREDENTIALS": "ManagedIdentityCredential"}),
			want: want{kind: ManagedIdentity, source: IMDS, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}}},
		{name: "IMDS asserted by Options.Kind", env: merge(linuxNoise), opts: func(o *Options) { o.Kind = ManagedIdentity },
			want: want{kind: ManagedIdentity, source: IMDS, evidence: []string{"Options.Kind"}}},
		{name: "IMDS in an AKS pod is the node's identity", env: merge(linuxNoise, aksNode), opts: probeOK(200, ""),
			want: want{kind: ManagedIdentity, source: IMDS, evidence: []string{"IMDS probe"}, warnings: []string{"node's managed identity"}}},
		{name: "IMDS answers but no identity is assigned", env: merge(linuxNoise), opts: probeOK(400, "invalid_request: Identity not found"),
			want: want{kind: ManagedIdentity, source: IMDS, evidence: []string{"IMDS probe"}, warnings: []string{"HTTP 400 (invalid_request: Identity not found)"}}},
		{name: "user-assigned identity on App Service", env: merge(appServiceLinux, map[string]string{"AZURE_CLIENT_ID": uami}),
			want: want{kind: ManagedIdentity, source: AppService, clientID: uami, evidence: []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "WEBSITE_SITE_NAME", "AZURE_CLIENT_ID"}}},
		{name: "user-assigned identity on IMDS", env: merge(linuxNoise, map[string]string{"AZURE_CLIENT_ID": uami}), opts: probeOK(200, ""),
			want: want{kind: ManagedIdentity, source: IMDS, clientID: uami, evidence: []string{"IMDS probe", "AZURE_CLIENT_ID"}}},
		{name: "user-assigned identity on Azure ML overrides DEFAULT_IDENTITY_CLIENT_ID", env: merge(azureMLCluster, map[string]string{"AZURE_CLIENT_ID": client}),
			want: want{kind: ManagedIdentity, source: AzureML, clientID: client, evidence: []string{"MSI_ENDPOINT", "MSI_SECRET", "DEFAULT_IDENTITY_CLIENT_ID", "AZURE_CLIENT_ID"}}},
		{name: "AZURE_CLIENT_ID on Service Fabric is ignored", env: merge(serviceFabric, map[string]string{"AZURE_CLIENT_ID": uami}),
			want: want{kind: ManagedIdentity, source: ServiceFabric, evidence: []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT"},
				warnings: []string{"AZURE_CLIENT_ID is ignored: Service Fabric"}}},
		{name: "AZURE_CLIENT_ID on Azure Arc is ignored", env: merge(arcServer, map[string]string{"AZURE_CLIENT_ID": uami}),
			want: want{kind: ManagedIdentity, source: AzureArc, evidence: []string{"IDENTITY_ENDPOINT", "IMDS_ENDPOINT"},
				warnings: []string{"AZURE_CLIENT_ID is ignored: an Azure Arc server"}}},
		{name: "nothing configured", env: merge(linuxNoise), want: want{kind: None}},
		{name: "nil environment", env: nil, want: want{kind: None}},
		{name: "developer tools opted in, nothing else", env: merge(linuxNoise), opts: func(o *Options) { o.AllowDeveloperTools = true },
			want: want{kind: DeveloperTool, evidence: []string{"Options.AllowDeveloperTools"}, warnings: []string{"developer tools sign in as the user"}},
			check: func(t *testing.T, r *Result) {
				if !slices.Equal(r.DeveloperTools, []string{"AzureCLICredential", "AzureDeveloperCLICredential", "AzurePowerShellCredential"}) {
					t.Errorf("tools = %q", r.DeveloperTools)
				}
			}},
		{name: "developer tools come last", env: merge(linuxNoise, servicePrincipalSecret), opts: func(o *Options) { o.AllowDeveloperTools = true },
			want: want{kind: ServicePrincipalSecret, clientID: client, tenantID: tenant, evidence: spEvidence, skipped: []string{"developer-tool"}},
			check: func(t *testing.T, r *Result) {
				if r.DeveloperTools != nil {
					t.Errorf("tools = %q for a service principal", r.DeveloperTools)
				}
			}},
		{name: "AZURE_TOKEN_CREDENTIALS=AzureCLICredential opted in", env: merge(linuxNoise, servicePrincipalSecret, map[string]string{"AZURE_TOKEN_CREDENTIALS": "azureclicredential"}),
			opts: func(o *Options) { o.AllowDeveloperTools = true },
			want: want{kind: DeveloperTool, evidence: []string{"AZURE_TOKEN_CREDENTIALS"}, skipped: []string{"service-principal-secret"}, warnings: []string{"developer tools"}},
			check: func(t *testing.T, r *Result) {
				if !slices.Equal(r.DeveloperTools, []string{"AzureCLICredential"}) {
					t.Errorf("tools = %q", r.DeveloperTools)
				}
			}},
	})
}
