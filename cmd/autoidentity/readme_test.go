package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// azureCLIMFA is what the Azure CLI prints when a user sign-in meets MFA;
// the README shows explain's answer to it.
const azureCLIMFA = `AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '797f4846-ba00-4fd7-ba43-dac1f8f63013'. Trace ID: 0b2c1a4e-1d2f-4c3b-9a8e-7f6d5c4b3a21 Correlation ID: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b Timestamp: 2026-11-20 03:12:44Z
Interactive authentication is needed. Please run:
az login --scope https://management.core.windows.net//.default
`

func TestExplainReadmeSample(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	s := &streams{stdin: strings.NewReader(azureCLIMFA), stdout: &out, stderr: &out, lookupEnv: func(string) (string, bool) { return "", false }}
	if code := run(context.Background(), s, []string{"explain"}); code != exitFailure {
		t.Fatalf("explain exited %d, want 1 (a diagnosis was printed)", code)
	}
	golden(t, "explain_readme.golden", out.String())
}

// goldenBlock matches a README sample: a marker naming a golden file, then
// a fenced block.
var goldenBlock = regexp.MustCompile("(?s)<!-- golden:([a-z_]+\\.golden) -->\n```text\n(.*?)```\n<!-- golden:end -->")

// TestReadmeSamples keeps the CLI output shown in the README equal to the
// golden files the CLI tests check, so the docs cannot rot;
// go test ./cmd/autoidentity -update rewrites them.
func TestReadmeSamples(t *testing.T) {
	const path = "../../README.md"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	matches := goldenBlock.FindAllSubmatch(readme, -1)
	if len(matches) == 0 {
		t.Fatal("README.md has no golden samples")
	}
	updated := goldenBlock.ReplaceAllFunc(readme, func(m []byte) []byte {
		sub := goldenBlock.FindSubmatch(m)
		want, err := os.ReadFile("testdata/" + string(sub[1]))
		if err != nil {
			t.Errorf("README sample %s: %v", sub[1], err)
			return m
		}
		if string(sub[2]) != string(want) && !*update {
			t.Errorf("README sample %s differs from testdata/%[1]s (go test ./cmd/autoidentity -update rewrites it)", sub[1])
		}
		return []byte("<!-- golden:" + string(sub[1]) + " -->\n```text\n" + string(want) + "```\n<!-- golden:end -->")
	})
	if *update && !bytes.Equal(updated, readme) {
		if err := os.WriteFile(path, updated, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
