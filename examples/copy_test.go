// Package examples_test checks that every example builds as a user would
// build it: copied into a module of their own.
package examples_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// requireBlocks matches go.mod's require directives, block or single line.
var requireBlocks = regexp.MustCompile(`(?m)^require (\([^)]*\)|[^\n(]+)$`)

// TestExamplesBuildInAnotherModule copies each example's Go files (not its
// tests) into a new module that requires this one through a replace
// directive, and builds it there. An example that imports one of this
// module's internal packages fails with "use of internal package … not
// allowed", as it would for a user who copied it. The build is offline
// (GOPROXY=off): it uses this module's go.sum and the module cache the
// tests themselves were built from.
func TestExamplesBuildInAnotherModule(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH, so the examples cannot be built in another module:", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	// The copy requires what this module requires, as `go get` would
	// write it, so that the offline build needs only what the tests were
	// built from: resolving the graph anew (-mod=mod) would also want the
	// go.mod of every older version some dependency names, which a fresh
	// machine's module cache does not hold.
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	requires := requireBlocks.FindAll(gomod, -1)
	modCache, err := exec.Command(goBin, "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	mains, err := filepath.Glob("*/main.go")
	if err != nil || len(mains) < 4 {
		t.Fatalf("found examples %q (%v), want whoami, dbtoken, demo and sdkclient at least", mains, err)
	}
	for _, m := range mains {
		name := filepath.Dir(m)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			files, err := filepath.Glob(filepath.Join(name, "*.go"))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if strings.HasSuffix(f, "_test.go") {
					continue
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			mod := "module example.com/copied/" + name + "\n\ngo 1.26.0\n\n" +
				"require github.com/autoidentity/autoidentity v0.0.0-00010101000000-000000000000\n\n" +
				string(bytes.Join(requires, []byte("\n"))) + "\n" +
				"replace github.com/autoidentity/autoidentity => " + root + "\n"
			for path, data := range map[string][]byte{"go.mod": []byte(mod), "go.sum": sum} {
				if err := os.WriteFile(filepath.Join(dir, path), data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(goBin, "build", "-o", os.DevNull, ".")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local",
				"GOMODCACHE="+strings.TrimSpace(string(modCache)))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("examples/%s does not build in a module of its own (as a user who copies it would build it): %v\n%s", name, err, out)
			}
		})
	}
}
