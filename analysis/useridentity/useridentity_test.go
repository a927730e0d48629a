package useridentity

import (
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/packages"
)

// The test data under testdata/src holds stubs of azidentity, MSAL Go,
// go-autorest and hashicorp/go-azure-sdk with their real import paths and
// signatures, and packages that use them, with // want comments.

func TestAnalyzer(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), Analyzer,
		"azid", "forms", "msal", "autorest", "hashicorp", "wrap", "app", "allow", "testskip",
		"github.com/autoidentity/autoidentity/credential")
}

func TestReportTests(t *testing.T) {
	t.Parallel()
	a := newAnalyzer()
	if err := a.Flags.Set("report-tests", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "testreport")
}

func TestShowAllowed(t *testing.T) {
	t.Parallel()
	a := newAnalyzer()
	if err := a.Flags.Set("show-allowed", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "showallowed")
}

// The fixes applied to testdata/src/fix*/*.go give the .golden files.
func TestSuggestedFixes(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), Analyzer, "fix", "fixconflict")
}

func TestKey(t *testing.T) {
	t.Parallel()
	vendored := types.NewPackage("example.com/app/vendor/"+azidentityPath, "azidentity")
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	fn := types.NewFunc(0, vendored, "NewDeviceCodeCredential", sig)
	if got := key(fn); got != azidentityPath+".NewDeviceCodeCredential" {
		t.Errorf("key of a vendored function = %q, want the path without vendor/", got)
	}
	for k, want := range map[string]string{
		azidentityPath + ".NewDeviceCodeCredential":    "azidentity.NewDeviceCodeCredential",
		msalPublic + ".Client.AcquireTokenInteractive": "public.Client.AcquireTokenInteractive",
		cliField: "auth.Credentials.EnableAuthenticatingUsingAzureCLI",
	} {
		if got := display(k); got != want {
			t.Errorf("display(%q) = %q, want %q", k, got, want)
		}
	}
}

// Every message names the API, why it needs a person, and the remedy.
func TestMessages(t *testing.T) {
	t.Parallel()
	for k := range apis {
		msg := message(k, "")
		if !strings.HasPrefix(msg, display(k)+" ") || !strings.HasSuffix(msg, remedy) || why[apis[k]] == "" {
			t.Errorf("message for %s = %q", k, msg)
		}
		if !strings.Contains(msg, "person") {
			t.Errorf("message for %s does not say that it signs in as a person: %q", k, msg)
		}
	}
}

// The table's entries for azidentity and MSAL Go, which this module
// depends on, name functions and methods that exist in those versions.
func TestTableNamesRealAPIs(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads azidentity and MSAL with go list")
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes}
	pkgs, err := packages.Load(cfg, azidentityPath, msalPublic, msalConfid)
	if err != nil {
		t.Fatal(err)
	}
	scopes := map[string]*types.Scope{}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("loading %s: %v", p.PkgPath, p.Errors)
		}
		scopes[p.PkgPath] = p.Types.Scope()
	}
	checked := 0
	for k := range apis {
		dot := strings.LastIndex(k, "/") + strings.Index(k[strings.LastIndex(k, "/"):], ".")
		scope := scopes[k[:dot]]
		if scope == nil {
			continue
		}
		var obj types.Object
		if recv, name, ok := strings.Cut(k[dot+1:], "."); ok {
			if tn, _ := scope.Lookup(recv).(*types.TypeName); tn != nil {
				obj, _, _ = types.LookupFieldOrMethod(tn.Type(), true, tn.Pkg(), name)
			}
		} else {
			obj = scope.Lookup(k[dot+1:])
		}
		if fn, ok := obj.(*types.Func); !ok || key(fn) != k {
			t.Errorf("%s: not a function or method of %s (found %v)", k, k[:dot], obj)
		}
		checked++
	}
	if checked < 16 {
		t.Errorf("checked %d entries against the real packages, want 16", checked)
	}
	if fn, ok := scopes[azidentityPath].Lookup("NewChainedTokenCredential").(*types.Func); !ok || key(fn) != chainKey {
		t.Errorf("%s is not azidentity's chain constructor", chainKey)
	}
}
