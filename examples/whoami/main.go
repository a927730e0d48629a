// Command whoami is the smallest useful autoidentity program: it builds the
// credential the environment configures with credential.New(nil), gets one
// token and prints the selection report and the token's public claims. The
// token itself is never printed. On failure it prints the diagnosis (code,
// summary, fix) to stderr and exits 1.
//
//	go run ./examples/whoami [--scope https://management.azure.com/.default]
//
// # Against the local emulator
//
// `autoidentity emulate` serves a scenario and prints one JSON line,
// {"scenario": ..., "env": {...}, "admin": ...}; export its env and run the
// program. The env includes SSL_CERT_FILE, the emulator's CA, which Go
// honours on Linux and macOS; build first, because the go command itself
// would then trust only that CA:
//
//	go build -o /tmp/autoidentity ./cmd/autoidentity && go build -o /tmp/whoami ./examples/whoami
//	/tmp/autoidentity emulate --scenario service-principal-secret > /tmp/emulate.json & EMU=$!
//	until [ -s /tmp/emulate.json ]; do sleep 0.1; done
//	( eval "$(jq -r '.env | to_entries[] | "export \(.key)=\(.value | @sh)"' /tmp/emulate.json)"; /tmp/whoami )
//	kill $EMU
//
// Other scenarios to try: workload-identity, github-actions-oidc,
// managed-identity-app-service (exit 0), ropc-mfa and expired-secret (exit
// 1 with the diagnosis); `autoidentity emulate --list` shows them all.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/credential"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/tokeninfo"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], nil, os.Stdout, os.Stderr))
}

// run is the program. opts are passed to credential.New as they are: nil in
// main (the process environment decides), the emulator's environment and
// transport in tests. It returns the exit code: 0 a token was acquired, 1
// it was not, 2 bad flags.
func run(ctx context.Context, args []string, opts *credential.Options, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("whoami", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scope := fs.String("scope", "https://management.azure.com/.default", "the scope to get a token for")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "whoami: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	cred, err := credential.New(opts)
	if err != nil {
		return fail(stderr, err)
	}
	defer cred.Close()
	fmt.Fprintln(stdout, cred.Selection()) // autoidentity: selected KIND (SOURCE) client_id=… tenant_id=…

	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{*scope}})
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "\ntoken for %s, expires %s (in %s)\n", *scope,
		tok.ExpiresOn.UTC().Format(time.RFC3339), time.Until(tok.ExpiresOn).Round(time.Second))
	c, err := tokeninfo.Parse(tok.Token)
	if err != nil {
		fmt.Fprintln(stdout, "  (the token is opaque: no claims to show)")
		return 0
	}
	for _, kv := range [][2]string{{"aud", strings.Join(c.Audience, " ")}, {"tid", c.TenantID}, {"oid", c.ObjectID},
		{"appid", c.AppID}, {"idtyp", c.IdentityType}, {"roles", strings.Join(c.Roles, " ")}, {"xms_mirid", c.ManagedIdentityResourceID}} {
		if kv[1] != "" {
			fmt.Fprintf(stdout, "  %-10s %s\n", kv[0], kv[1])
		}
	}
	return 0
}

// fail prints the diagnosis: the stable code, what happened and the fix.
// Every error credential returns is a *autherrors.Diagnostic; its text never
// contains a secret.
func fail(stderr io.Writer, err error) int {
	var d *autherrors.Diagnostic
	if !errors.As(err, &d) {
		d = autherrors.Classify(err)
	}
	fmt.Fprintln(stderr, d.Error())
	return 1
}
