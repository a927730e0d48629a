package autherrors_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

func TestParseAll(t *testing.T) {
	t.Parallel()
	log := "2024-01-01 step 1 ok\n" +
		"ERROR: AADSTS7000215: Invalid client secret provided.\n" +
		"retrying\n\n" +
		"ManagedIdentityCredential: Get \"http://169.254.169.254/metadata/identity/oauth2/token\": dial tcp 169.254.169.254:80: connect: network is unreachable\n\n" +
		"ERROR: AADSTS7000215: Invalid client secret provided.\n"
	var got []string
	for _, d := range autherrors.ParseAll(log) {
		got = append(got, string(d.Code)+" "+d.AADSTS)
	}
	want := []string{"invalid-client-secret AADSTS7000215", "managed-identity-unavailable "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("ParseAll = %q, want %q", got, want)
	}
	if d := autherrors.ParseAll("hello world"); len(d) != 1 || d[0].Code != autherrors.ErrUnknown {
		t.Errorf("ParseAll(hello world) = %v", d)
	}
	if d := autherrors.ParseAll(" \n "); d != nil {
		t.Errorf("ParseAll(blank) = %v", d)
	}
}

// A log of megabytes, with no blank line, is read in bounded time.
func TestParseAllLargeLog(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for b.Len() < 8<<20 {
		b.WriteString("2024-01-01T00:00:00Z INFO build step running, nothing failed here at all\n")
	}
	b.WriteString("Error: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:o/r:ref:refs/heads/main'.\n")
	start := time.Now()
	ds := autherrors.ParseAll(b.String())
	if len(ds) != 1 || ds[0].Code != autherrors.ErrFederatedIdentityMismatch {
		t.Fatalf("ParseAll = %v", ds)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("ParseAll took %v on 8 MiB", d)
	}
}

func ExampleParseAll() {
	log := "ERROR: AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.\n\n" +
		"HTTPSConnectionPool(host='login.microsoftonline.com', port=443): Max retries exceeded with url: /common/oauth2/token\n" // a log's text: parsed, never sent
	for _, d := range autherrors.ParseAll(log) {
		fmt.Println(d.Code, d.AADSTS)
	}
	// Output:
	// mfa-required AADSTS50076
	// network
}
