package detect

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
)

// The tests in this file hold detect's managed identity source to MSAL's own
// managedidentity.GetSource, which azidentity's ManagedIdentityCredential
// calls. GetSource reads the process environment, so they use t.Setenv and
// are not parallel. They use the real file system, as MSAL does, so the
// himds check agrees on any machine (the agent is not installed here; the
// Arc-by-file branch is covered with an injected FS in TestDetectKinds).

// msalVars are the variables GetSource reads (ProgramData locates himds.exe
// on Windows).
var msalVars = [...]string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT",
	"MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT", "ProgramData"}

var fromMSAL = map[managedidentity.Source]Source{
	managedidentity.ServiceFabric: ServiceFabric,
	managedidentity.AppService:    AppService,
	managedidentity.AzureML:       AzureML,
	managedidentity.CloudShell:    CloudShell,
	managedidentity.AzureArc:      AzureArc,
	managedidentity.DefaultToIMDS: IMDS,
}

// msalGetSource sets the process environment to env and asks MSAL.
func msalGetSource(t *testing.T, env map[string]string) Source {
	t.Helper()
	for _, k := range msalVars {
		v, ok := env[k]
		t.Setenv(k, v) // restored when the test ends
		if !ok {
			os.Unsetenv(k)
		}
	}
	s, err := managedidentity.GetSource()
	if err != nil {
		t.Fatalf("GetSource: %v", err)
	}
	got, ok := fromMSAL[s]
	if !ok {
		t.Fatalf("GetSource returned %q, which detect does not know", s)
	}
	return got
}

// agree checks detect against MSAL on env and returns MSAL's source.
func agree(t *testing.T, env map[string]string) Source {
	t.Helper()
	want := msalGetSource(t, env)
	d := detector{env: MapEnv(env), opts: (*Options)(nil).withDefaults()}
	if got := msalSource(MapEnv(env), func() bool { return d.himds() != "" }); got != want {
		t.Errorf("msalSource = %s, MSAL's GetSource = %s\n%s", got, want, showEnv(env))
	}
	// Options.Kind asserts a managed identity, so IMDS is comparable too.
	r := Detect(MapEnv(env), &Options{Kind: ManagedIdentity})
	checkAgainstMSAL(t, env, r, want)
	return want
}

// checkAgainstMSAL holds a Result to the source MSAL will use.
func checkAgainstMSAL(t *testing.T, env map[string]string, r *Result, msal Source) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("MSAL: %s; "+format+"\n%s\n%s", append(append([]any{msal}, args...), showEnv(env), r)...)
	}
	if r.Kind == ManagedIdentity && r.Source != msal {
		fail("detect selected %s", r.Source)
	}
	if r.Kind != ManagedIdentity && r.Kind != None {
		fail("detect selected kind %s", r.Kind)
	}
	if r.Kind == ManagedIdentity && msal == CloudShell {
		fail("detect selected a managed identity where MSAL speaks Cloud Shell's protocol")
	}
	if r.Kind == ManagedIdentity && msal == AzureML {
		dc, cid := strings.TrimSpace(env["DEFAULT_IDENTITY_CLIENT_ID"]), strings.TrimSpace(env["AZURE_CLIENT_ID"])
		if !isGUID(dc) && !isGUID(cid) {
			fail("detect selected Azure ML without a managed identity client ID")
		}
		if env["ACC_CLOUD"] != "" || strings.HasPrefix(strings.ToLower(strings.TrimSpace(env["AZUREPS_HOST_ENVIRONMENT"])), "cloud-shell") {
			fail("detect selected Azure ML inside Cloud Shell")
		}
	}
	if r.Kind == None {
		// Whatever detect refuses or finds incomplete, it says so for the
		// source MSAL would use, never for another one.
		explained := false
		for _, x := range r.Refused {
			explained = explained || x.Source == msal
		}
		for _, x := range r.Incomplete {
			explained = explained || x.Source == msal
		}
		if !explained {
			fail("detect selected nothing and explained nothing about that source")
		}
	}
}

func showEnv(env map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(env)) {
		fmt.Fprintf(&b, "\t%s=%q\n", k, env[k])
	}
	return b.String()
}

// TestMSALFixtures runs every managed identity environment of detect's tests
// through MSAL's GetSource.
func TestMSALFixtures(t *testing.T) {
	fixtures := map[string]MapEnv{
		"App Service":              merge(linuxNoise, appServiceLinux),
		"App Service, UAMI":        merge(appServiceLinux, map[string]string{"AZURE_CLIENT_ID": uami}),
		"Functions":                merge(functionsConsumption),
		"Functions, legacy":        merge(linuxNoise, functionsLegacy),
		"Functions, legacy, UAMI":  merge(functionsLegacy, map[string]string{"AZURE_CLIENT_ID": uami}),
		"Container Apps":           merge(linuxNoise, containerApps),
		"Service Fabric":           merge(serviceFabric, map[string]string{"AZURE_CLIENT_ID": uami}),
		"Azure Arc":                merge(arcServer, map[string]string{"AZURE_CLIENT_ID": uami}),
		"Azure ML cluster":         merge(azureMLCluster),
		"Azure ML cluster, UAMI":   merge(azureMLCluster, map[string]string{"AZURE_CLIENT_ID": client}),
		"Azure ML instance":        merge(azureMLInstance),
		"Azure ML instance, UAMI":  merge(azureMLInstance, map[string]string{"AZURE_CLIENT_ID": uami}),
		"Azure ML, no client ID":   merge(map[string]string{"MSI_ENDPOINT": "http://127.0.0.1:46808/MSI/auth", "MSI_SECRET": canary}),
		"Cloud Shell":              merge(cloudShell),
		"AKS node":                 merge(linuxNoise, aksNode),
		"nothing":                  merge(linuxNoise),
		"MSI_ENDPOINT + WEBSITE":   merge(map[string]string{"WEBSITE_SITE_NAME": "x", "MSI_ENDPOINT": "http://127.0.0.1:41056/MSI/token/"}),
		"IDENTITY_ENDPOINT alone":  merge(linuxNoise, map[string]string{"IDENTITY_ENDPOINT": "http://localhost:40342/metadata/identity/oauth2/token"}),
		"IDENTITY_HEADER alone":    merge(linuxNoise, map[string]string{"IDENTITY_HEADER": canary}),
		"IMDS, malformed client":   merge(linuxNoise, map[string]string{"AZURE_CLIENT_ID": "not-a-guid"}),
		"App Service, bad client":  merge(appServiceLinux, map[string]string{"AZURE_CLIENT_ID": "not-a-guid"}),
		"Example (App Service)":    {"WEBSITE_SITE_NAME": "contoso-api", "IDENTITY_ENDPOINT": "http://169.254.129.3:8081/msi/token", "IDENTITY_HEADER": "9f1d...", "MSI_ENDPOINT": "http://169.254.129.3:8081/msi/token", "MSI_SECRET": "9f1d..."},
		"ML instance + WEBSITE":    merge(azureMLInstance, map[string]string{"WEBSITE_SITE_NAME": "x"}),
		"ML instance + FUNCTIONS":  merge(azureMLInstance, map[string]string{"FUNCTIONS_WORKER_RUNTIME": "python"}),
		"ML instance + CONTAINER":  merge(azureMLInstance, map[string]string{"CONTAINER_APP_NAME": "orders"}),
		"Cloud Shell + ML + GUID":  merge(cloudShell, map[string]string{"MSI_SECRET": canary, "DEFAULT_IDENTITY_CLIENT_ID": uami}),
		"Cloud Shell + ML + UAMI":  merge(cloudShell, map[string]string{"MSI_SECRET": canary, "AZURE_CLIENT_ID": uami}),
		"blank MSI_ENDPOINT":       merge(linuxNoise, map[string]string{"MSI_ENDPOINT": " "}),
		"blank MSI_ENDPOINT, ML":   merge(linuxNoise, map[string]string{"MSI_ENDPOINT": "\t", "MSI_SECRET": canary, "DEFAULT_IDENTITY_CLIENT_ID": uami}),
		"blank IDENTITY_HEADER":    merge(linuxNoise, map[string]string{"IDENTITY_ENDPOINT": "http://localhost:42356/msi/token", "IDENTITY_HEADER": " "}),
		"blank thumbprint":         merge(serviceFabric, map[string]string{"IDENTITY_SERVER_THUMBPRINT": "\n"}),
		"blank IMDS_ENDPOINT":      merge(arcServer, map[string]string{"IMDS_ENDPOINT": " "}),
		"blank IDENTITY_ENDPOINT":  merge(arcServer, map[string]string{"IDENTITY_ENDPOINT": " "}),
		"padded DEFAULT client ID": merge(azureMLCluster, map[string]string{"DEFAULT_IDENTITY_CLIENT_ID": " " + uami + "\n"}),
	}
	for _, name := range slices.Sorted(maps.Keys(fixtures)) {
		t.Run(name, func(t *testing.T) { agree(t, fixtures[name]) })
	}
}

// TestMSALRandom compares detect with MSAL on pseudo-random environments
// over the variables that decide the source and the refusals.
func TestMSALRandom(t *testing.T) {
	vars := [...]string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT", "MSI_SECRET",
		"IMDS_ENDPOINT", "DEFAULT_IDENTITY_CLIENT_ID", "AZURE_CLIENT_ID", "ACC_CLOUD", "AZUREPS_HOST_ENVIRONMENT",
		"WEBSITE_SITE_NAME", "FUNCTIONS_WORKER_RUNTIME", "CONTAINER_APP_NAME"}
	values := [...]string{"", " ", "\t\n", "http://127.0.0.1:41056/msi/token", uami, " " + uami + "\n", "clientid",
		"x y\x01z", "cloud-shell/1.0", "AzureCloud", "ADO/AzurePowerShell@v5"}
	const n = 3000
	rng := rand.New(rand.NewPCG(2026, 1))
	seen := map[Source]int{}
	for i := range n {
		env := map[string]string{}
		for _, k := range vars {
			if rng.IntN(5) < 2 { // unset two times in five
				continue
			}
			env[k] = values[rng.IntN(len(values))]
		}
		seen[agree(t, env)]++
		if t.Failed() {
			t.Fatalf("environment %d of %d disagrees (seed 2026,1)", i, n)
		}
	}
	for _, s := range [...]Source{ServiceFabric, AppService, AzureML, CloudShell, AzureArc, IMDS} {
		if seen[s] < 50 {
			t.Errorf("only %d environments of %d reach %s: the generator no longer covers it (%v)", seen[s], n, s, seen)
		}
	}
}

// FuzzManagedSource checks the pure msalSource and Detect against MSAL's
// GetSource on fuzzed values.
func FuzzManagedSource(f *testing.F) {
	f.Add("http://x", "h", "", "", "", "", "clientid", "", "", "")
	f.Add("", "", "", " ", "", "", "", "", "AzureCloud", "")
	f.Add("", "", "", "http://x", "s", "", uami, "", "AzureCloud", "")
	f.Add("", "", "", "http://x", "s", "", "clientid", "", "", "contoso")
	f.Add("http://x", " ", "", "", "", "", "", "", "", "")
	f.Add(" ", "", "", "", "", "http://y", "", uami, "", "")
	f.Fuzz(func(t *testing.T, ie, ih, tp, me, ms, imds, dc, cid, acc, site string) {
		env := map[string]string{"IDENTITY_ENDPOINT": ie, "IDENTITY_HEADER": ih, "IDENTITY_SERVER_THUMBPRINT": tp,
			"MSI_ENDPOINT": me, "MSI_SECRET": ms, "IMDS_ENDPOINT": imds, "DEFAULT_IDENTITY_CLIENT_ID": dc,
			"AZURE_CLIENT_ID": cid, "ACC_CLOUD": acc, "WEBSITE_SITE_NAME": site}
		for _, v := range env {
			if strings.ContainsRune(v, 0) {
				t.Skip("the environment cannot hold NUL")
			}
		}
		agree(t, env)
	})
}
