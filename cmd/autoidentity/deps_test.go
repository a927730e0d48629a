package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestBinaryDoesNotLinkTesting: autoidentity links entratest for emulate;
// entratest takes an entratest.TB, not a testing.TB, so the binary does not
// link the testing package (and its flags and globals).
func TestBinaryDoesNotLinkTesting(t *testing.T) {
	t.Parallel()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	if slices.Contains(strings.Fields(string(out)), "testing") {
		t.Error("autoidentity links the testing package; go list -deps shows which import brings it in")
	}
}
