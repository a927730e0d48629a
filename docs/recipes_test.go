package docs_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// block returns the lines indented under the first line equal to head
// (compared without surrounding space), up to the next line indented as
// much as head or less.
func block(text, head string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != head {
			continue
		}
		depth := len(l) - len(strings.TrimLeft(l, " "))
		var out []string
		for _, m := range lines[i+1:] {
			if strings.TrimSpace(m) != "" && len(m)-len(strings.TrimLeft(m, " ")) <= depth {
				break
			}
			out = append(out, m)
		}
		return strings.Join(out, "\n")
	}
	return ""
}

var (
	ficCommand = regexp.MustCompile(`az ad app federated-credential create --id \S+ --parameters '[^']*'`)
	aksCommand = regexp.MustCompile(`az identity federated-credential create --name .*? --audience api://AzureADTokenExchange`)
	appCommand = regexp.MustCompile(`az webapp identity assign --name \S+ --resource-group [^\s)]+`)
	wiNames    = regexp.MustCompile(`azure\.workload\.identity/[a-z-]+`)
	backticked = regexp.MustCompile("(?m)^\\| `([A-Z_]+)`")
)

func TestGitHubWorkflow(t *testing.T) {
	t.Parallel()
	wf := read(t, "github-actions.yml")
	if p := block(wf, "permissions:"); !regexp.MustCompile(`(?m)^\s+id-token: write\b`).MatchString(p) {
		t.Errorf("github-actions.yml: the permissions block lacks id-token: write:\n%s", p)
	}
	env := block(wf, "env:")
	for _, v := range []string{"AZURE_CLIENT_ID:", "AZURE_TENANT_ID:"} {
		if !strings.Contains(env, v) {
			t.Errorf("github-actions.yml: the job's env lacks %s", v)
		}
	}
	for _, v := range []string{"AZURE_CLIENT_SECRET", "AZURE_PASSWORD", "AZURE_USERNAME", "secrets."} {
		if strings.Contains(wf, v) {
			t.Errorf("github-actions.yml mentions %s; the recipe needs no secret", v)
		}
	}
	if !strings.Contains(block(wf, "push:"), "branches: [main]") {
		t.Errorf("github-actions.yml must run on pushes to main, the subject github-actions.md federates")
	}
	// detect names the same permission when the variables are missing.
	r := detect.Detect(detect.MapEnv{"GITHUB_ACTIONS": "true", "AZURE_CLIENT_ID": "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b",
		"AZURE_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47"}, nil)
	if r.Kind != detect.None || len(r.Incomplete) == 0 || !strings.Contains(r.Incomplete[0].Reason, "permissions: id-token: write") {
		t.Errorf("detect without OIDC variables: %s", r)
	}
}

// The federated credential commands in github-actions.md are exactly those
// autherrors prints for the workflow's subjects.
func TestGitHubSubjects(t *testing.T) {
	t.Parallel()
	md := read(t, "github-actions.md")
	for _, env := range []*autherrors.Environment{
		{GitHubRepository: "my-org/my-repo", GitHubRef: "refs/heads/main"},
		{GitHubRepository: "my-org/my-repo", GitHubRef: "refs/heads/main", GitHubEnvironment: "production"},
	} {
		for _, code := range []autherrors.Code{autherrors.ErrFederatedIdentityMismatch, autherrors.ErrMFARequired} {
			remedy := autherrors.New(code, "", "", nil).For(env).Remedy
			cmd := ficCommand.FindString(remedy)
			if cmd == "" {
				t.Fatalf("%s remedy for %+v has no federated credential command: %s", code, env, remedy)
			}
			if !strings.Contains(md, cmd) {
				t.Errorf("github-actions.md lacks the %s remedy's command:\n%s", code, cmd)
			}
		}
	}
	// The subject table's placeholders follow the same rule.
	for _, env := range []*autherrors.Environment{
		{GitHubRepository: "ORG/REPO", GitHubRef: "refs/heads/BRANCH"},
		{GitHubRepository: "ORG/REPO", GitHubEnvironment: "NAME"},
	} {
		remedy := autherrors.New(autherrors.ErrFederatedIdentityMismatch, "", "", nil).For(env).Remedy
		sub := regexp.MustCompile(`subject '([^']+)'`).FindStringSubmatch(remedy)
		if sub == nil || !strings.Contains(md, "`"+sub[1]+"`") {
			t.Errorf("github-actions.md's subject table lacks the subject of %+v (remedy: %s)", env, remedy)
		}
	}
}

func TestAzurePipelines(t *testing.T) {
	t.Parallel()
	yml := read(t, "azure-pipelines.yml")
	task := block(yml, "- task: AzureCLI@2")
	for _, w := range []string{"inputs:", "azureSubscription:", "scriptType:", "scriptLocation: inlineScript", "inlineScript:", "go run "} {
		if !strings.Contains(task, w) {
			t.Errorf("azure-pipelines.yml: the AzureCLI@2 task lacks %q", w)
		}
	}
	if env := block(task, "env:"); !strings.Contains(env, "SYSTEM_ACCESSTOKEN: $(System.AccessToken)") {
		t.Errorf("azure-pipelines.yml: the AzureCLI@2 task does not map SYSTEM_ACCESSTOKEN: $(System.AccessToken):\n%s", task)
	}

	// The variables the page lists are exactly those detect reads.
	md := read(t, "azure-pipelines.md")
	section := md[strings.Index(md, "## What autoidentity reads"):]
	section = section[:strings.Index(section, "\n## ")]
	values := map[string]string{
		"AZURESUBSCRIPTION_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47",
		"SYSTEM_OIDCREQUESTURI":       "https://dev.azure.com/org/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
		"SYSTEM_ACCESSTOKEN":          "canary-system-access-token",
	}
	var listed []string
	env := detect.MapEnv{}
	for _, m := range backticked.FindAllStringSubmatch(section, -1) {
		listed = append(listed, m[1])
		env[m[1]] = "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b" // a GUID fits the IDs
		if v, ok := values[m[1]]; ok {
			env[m[1]] = v
		}
	}
	r := detect.Detect(env, nil)
	if r.Kind != detect.AzurePipelinesOIDC {
		t.Fatalf("detect over the variables azure-pipelines.md lists selected %s:\n%s", r.Kind, r)
	}
	ev := slices.Clone(r.Evidence)
	slices.Sort(listed)
	slices.Sort(ev)
	if !slices.Equal(listed, ev) {
		t.Errorf("azure-pipelines.md lists %v; detect reads %v", listed, ev)
	}
	// detect's hint for a missing token is the mapping the YAML uses.
	delete(env, "SYSTEM_ACCESSTOKEN")
	if r := detect.Detect(env, nil); len(r.Incomplete) == 0 || !strings.Contains(r.Incomplete[0].Reason, "SYSTEM_ACCESSTOKEN: $(System.AccessToken)") {
		t.Errorf("detect without SYSTEM_ACCESSTOKEN: %s", r)
	}
}

func TestAKSManifest(t *testing.T) {
	t.Parallel()
	manifest := read(t, "aks-workload-identity.yaml")
	docs := strings.Split(manifest, "\n---\n")
	if len(docs) != 2 || !strings.Contains(docs[0], "kind: ServiceAccount") || !strings.Contains(docs[1], "kind: Deployment") {
		t.Fatalf("aks-workload-identity.yaml: want a ServiceAccount, then a Deployment")
	}
	sa, deploy := docs[0], docs[1]
	pod := block(deploy, "template:")

	// The names detect's warning and autherrors' remedy ask for.
	warn := strings.Join(detect.Detect(detect.MapEnv{"KUBERNETES_SERVICE_HOST": "10.0.0.1"}, nil).Warnings, " ")
	remedy := autherrors.New(autherrors.ErrNoIdentity, "", "", nil).For(&autherrors.Environment{
		KubernetesNamespace: "my-namespace", KubernetesServiceAccount: "my-app"}).Remedy
	names := wiNames.FindAllString(warn+" "+remedy, -1)
	slices.Sort(names)
	names = slices.Compact(names)
	if !slices.Contains(names, "azure.workload.identity/use") || !slices.Contains(names, "azure.workload.identity/client-id") {
		t.Fatalf("detect and autherrors no longer name the label and annotation: %v", names)
	}
	for _, n := range names {
		switch n {
		case "azure.workload.identity/client-id":
			if !strings.Contains(block(sa, "annotations:"), n+": ") {
				t.Errorf("the ServiceAccount lacks the annotation %s", n)
			}
		case "azure.workload.identity/use":
			if !strings.Contains(block(pod, "labels:"), n+`: "true"`) {
				t.Errorf("the pod template lacks the label %s: \"true\"", n)
			}
		default:
			t.Errorf("detect or autherrors mention %s, which the manifest does not set", n)
		}
	}
	// The service account is the one the federated credential names.
	for _, w := range []string{"  name: my-app\n", "  namespace: my-namespace\n"} {
		if !strings.Contains(sa, w) {
			t.Errorf("the ServiceAccount lacks %q", strings.TrimSpace(w))
		}
	}
	if !strings.Contains(pod, "serviceAccountName: my-app\n") {
		t.Errorf("the pod does not run as service account my-app")
	}
	cmd := aksCommand.FindString(remedy)
	if cmd == "" || !strings.Contains(cmd, "--subject system:serviceaccount:my-namespace:my-app ") {
		t.Fatalf("autherrors' AKS remedy has no federated credential command for my-namespace/my-app: %s", remedy)
	}
	if md := read(t, "aks-workload-identity.md"); !strings.Contains(md, cmd) {
		t.Errorf("aks-workload-identity.md lacks the remedy's command:\n%s", cmd)
	}
}

func TestAppService(t *testing.T) {
	t.Parallel()
	md := read(t, "app-service.md")
	remedy := autherrors.New(autherrors.ErrNoIdentity, "", "", nil).For(detect.Detect(detect.MapEnv{"IDENTITY_ENDPOINT": "http://127.0.0.1:41234/msi/token", "IDENTITY_HEADER": "x"}, nil).Environment()).Remedy
	cmd := appCommand.FindString(remedy)
	if cmd == "" || !strings.Contains(md, cmd) {
		t.Errorf("app-service.md lacks the App Service remedy's command %q (remedy: %s)", cmd, remedy)
	}
	r := detect.Detect(detect.MapEnv{"IDENTITY_ENDPOINT": "http://127.0.0.1:41234/msi/token", "IDENTITY_HEADER": "canary",
		"WEBSITE_SITE_NAME": "my-app", "AZURE_CLIENT_ID": "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b"}, nil)
	if r.Kind != detect.ManagedIdentity || r.Source != detect.AppService {
		t.Fatalf("detect: %s", r)
	}
	for _, v := range r.Evidence {
		if !strings.Contains(md, "`"+v+"`") {
			t.Errorf("app-service.md does not list %s, which detect reads", v)
		}
	}
}

// Every relative link between the pages names a file that exists.
func TestLinks(t *testing.T) {
	t.Parallel()
	pages, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`\]\(([a-z0-9-]+\.(?:md|yml|yaml))\)`)
	for _, p := range pages {
		if !strings.HasSuffix(p.Name(), ".md") {
			continue
		}
		for _, m := range link.FindAllStringSubmatch(read(t, p.Name()), -1) {
			if _, err := os.Stat(m[1]); err != nil {
				t.Errorf("%s links to %s: %v", p.Name(), m[1], err)
			}
		}
	}
}
