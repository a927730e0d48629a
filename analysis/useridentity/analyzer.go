package useridentity

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// Analyzer reports code that signs in to Microsoft Entra ID as a person.
// Its flags are -report-tests and -show-allowed; see the package
// documentation.
var Analyzer = newAnalyzer()

const doc = `useridentity reports Azure code that signs in as a person

Microsoft Entra ID enforces multifactor authentication for user identities,
so unattended programs that sign in with a password, a browser, a device
code, a person's token or a developer's az login fail in production.
useridentity reports such APIs (azidentity, MSAL Go, go-autorest,
hashicorp/go-azure-sdk), the credential chains and wrapper functions
built on them, and names the replacement: credential.New from
github.com/autoidentity/autoidentity/credential, or a managed identity,
workload identity or service principal.

A finding on purpose is allowed by a comment on the line above it or at
the end of its line, with a reason:

	//autoidentity:allow <reason>

Findings in _test.go files are reported only with -report-tests.`

// config holds one Analyzer's flags, so that tests can build analyzers
// with different settings side by side.
type config struct {
	reportTests bool
	showAllowed bool
}

func newAnalyzer() *analysis.Analyzer {
	c := new(config)
	a := &analysis.Analyzer{
		Name:      "useridentity",
		Doc:       doc,
		URL:       "https://pkg.go.dev/github.com/autoidentity/autoidentity/analysis/useridentity",
		Requires:  []*analysis.Analyzer{inspect.Analyzer},
		FactTypes: []analysis.Fact{new(Fact)},
		Run:       c.run,
	}
	a.Flags.BoolVar(&c.reportTests, "report-tests", false,
		"also report findings in _test.go files (they are skipped by default: tests may build any credential to prove it is refused)")
	a.Flags.BoolVar(&c.showAllowed, "show-allowed", false,
		"also report each finding an //autoidentity:allow comment suppresses, with its reason, to audit the exceptions")
	return a
}

// Fact marks a function or method whose result is a credential, token or
// authorizer that signs in as a person: its body returns the result of a
// reported API, of a chain of them, or of another function with this
// fact. Calls to it, and references to it as a value, are reported in
// every package that uses it.
type Fact struct {
	// API is the reported API the result comes from, as its package path
	// and name ("github.com/Azure/azure-sdk-for-go/sdk/azidentity.NewDeviceCodeCredential").
	API string
}

// AFact marks Fact as an [analysis.Fact].
func (*Fact) AFact() {}

// String describes the fact as analysistest and -debug=f print it.
func (f *Fact) String() string { return "returns a user credential from " + display(f.API) }

func (c *config) run(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	s := &state{
		pass:    pass,
		cfg:     c,
		tainted: map[*types.Var]string{},
		funcs:   map[ast.Node]string{},
		writes:  map[*ast.Ident]ast.Expr{},
	}
	for file := range insp.Root().Children() {
		f := file.Node().(*ast.File)
		name := pass.Fset.File(f.FileStart).Name()
		if strings.HasSuffix(name, "_test.go") && !c.reportTests {
			continue
		}
		s.files = append(s.files, file)
		s.allow.scan(pass, f)
	}
	if s.relevant() {
		s.collect()
		s.solve()
		s.export()
		s.report()
	}
	s.allow.reportUnused(pass)
	return nil, nil
}

// at returns the file line of pos.
func at(fset *token.FileSet, pos token.Pos) (*token.File, int) {
	f := fset.File(pos)
	return f, f.Line(pos)
}
