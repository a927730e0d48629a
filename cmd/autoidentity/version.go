package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// modulePath is the module this command belongs to.
const modulePath = "github.com/autoidentity/autoidentity"

// develVersion is printed when the binary records no version of
// modulePath (go run, go test, a build outside a repository). Package
// credential's version constant would be a better answer, but it is not
// exported.
const develVersion = "(devel)"

var versionHelp = help{
	name:     "version",
	synopsis: "version",
	summary:  "print the autoidentity module version",
	details: `
The version is the one the Go toolchain recorded in the binary: a release tag
(go install ...@v1.2.3), a pseudo-version for a build from a checkout, or
(devel) when none was recorded.`,
	output: `
stdout: one line, as go version prints its own: autoidentity VERSION GOVERSION OS/ARCH`,
	exits: [][2]string{
		{"0", "the version was printed"},
		{"2", "usage error"},
	},
}

func runVersion(_ context.Context, s *streams, args []string) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if code, done := versionHelp.parse(s, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return versionHelp.usageError(s, "unexpected argument %q", fs.Arg(0))
	}
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintf(s.stdout, "autoidentity %s %s %s/%s\n", moduleVersion(bi, develVersion), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// moduleVersion is the version of modulePath that bi records: the main
// module's when the command was built in this module (go install
// …/cmd/autoidentity@v1.2.3, go build in a checkout), the dependency's when
// another main module required it, and fallback when bi is nil or records
// no version ("" or "(devel)").
func moduleVersion(bi *debug.BuildInfo, fallback string) string {
	if bi == nil {
		return fallback
	}
	m := &bi.Main
	if m.Path != modulePath {
		m = nil
		for _, d := range bi.Deps {
			if d.Path == modulePath {
				m = d
				break
			}
		}
	}
	if m != nil && m.Replace != nil {
		m = m.Replace
	}
	if m == nil || m.Version == "" || m.Version == "(devel)" {
		return fallback
	}
	return m.Version
}
