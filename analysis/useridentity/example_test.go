package useridentity_test

import (
	"flag"
	"fmt"

	"github.com/autoidentity/autoidentity/analysis/useridentity"
	"golang.org/x/tools/go/analysis/multichecker"
	"golang.org/x/tools/go/analysis/passes/printf"
)

// The analyzer's own flags, besides the driver's (-json, -fix, -test, ...).
func Example() {
	useridentity.Analyzer.Flags.VisitAll(func(f *flag.Flag) {
		fmt.Printf("-%s (default %s)\n", f.Name, f.DefValue)
	})
	// Output:
	// -report-tests (default false)
	// -show-allowed (default false)
}

// A vet tool of your own can run useridentity next to other analyzers;
// build it and pass it to go vet -vettool.
func Example_multichecker() {
	multichecker.Main(useridentity.Analyzer, printf.Analyzer)
}
