// Command autoidentity-vet reports Go code that signs in to Microsoft Entra
// ID as a person: the [useridentity] analyzer as a standalone checker and
// a go vet tool.
//
//	autoidentity-vet ./...
//	go vet -vettool=$(command -v autoidentity-vet) ./...
//
// It takes the standard analysis flags (-json, -fix, -diff, -test, ...)
// and the analyzer's own: -report-tests to report findings in _test.go
// files too, and -show-allowed to list the findings that
// //autoidentity:allow comments suppress, with their reasons. It exits 3
// when it reports a finding (0 with -json). See docs/vet.md.
//
// [useridentity]: https://pkg.go.dev/github.com/autoidentity/autoidentity/analysis/useridentity
package main

import (
	"github.com/autoidentity/autoidentity/analysis/useridentity"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(useridentity.Analyzer) }
