// Command sdkclient shows autoidentity as a drop-in credential for any Azure
// SDK client: an azcore pipeline with runtime.NewBearerTokenPolicy, exactly
// what every azure-sdk-for-go client builds inside, listing the
// subscriptions the identity can see (GET /subscriptions on Azure Resource
// Manager).
//
//	go run ./examples/sdkclient [--endpoint https://management.azure.com]
//
// With a generated SDK client the credential is passed the same way:
//
//	cred, err := credential.New(nil)
//	client, err := armsubscriptions.NewClient(cred, nil)  // or armresources, azblob, azsecrets, ...
//
// The bearer token policy asks the credential for a token per request;
// credential serves it from its cache (a few nanoseconds) and refreshes it
// in the background before it expires, so the pipeline never waits on
// Entra ID in steady state.
//
// # Against the local emulator
//
// The emulator has no ARM endpoint; the test starts an ARM-shaped HTTPS
// server on 127.0.0.1 that checks the token's audience and tenant. Against
// `autoidentity emulate`, point --endpoint at the emulator itself: the
// token is acquired and sent, and the emulator answers "HTTP 404 Not
// Found" (exit 1), which shows the pipeline end to end:
//
//	go build -o /tmp/autoidentity ./cmd/autoidentity && go build -o /tmp/sdkclient ./examples/sdkclient
//	/tmp/autoidentity emulate --scenario service-principal-secret > /tmp/emulate.json & EMU=$!
//	until [ -s /tmp/emulate.json ]; do sleep 0.1; done
//	( eval "$(jq -r '.env | to_entries[] | "export \(.key)=\(.value | @sh)"' /tmp/emulate.json)"; /tmp/sdkclient --endpoint "${AZURE_AUTHORITY_HOST%/}" )
//	kill $EMU
//
// Without --endpoint it calls the real https://management.azure.com.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/credential"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], nil, nil, os.Stdout, os.Stderr))
}

// run is the program. opts go to credential.New as they are (nil in main:
// the process environment decides); transport sends the ARM requests (nil:
// azcore's default). It returns 0 on success, 1 on failure, 2 on bad flags.
func run(ctx context.Context, args []string, opts *credential.Options, transport policy.Transporter, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sdkclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "https://management.azure.com", "the Azure Resource Manager endpoint (https)")
	scope := fs.String("scope", "https://management.azure.com/.default", "the scope of ARM tokens")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "sdkclient: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	cred, err := credential.New(opts)
	if err != nil {
		return fail(stderr, err)
	}
	defer cred.Close()
	fmt.Fprintf(stdout, "credential  %s\n", cred)

	client := newSubscriptionsClient(*endpoint, *scope, cred, &azcore.ClientOptions{Transport: transport})
	subs, err := client.List(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "GET %s/subscriptions: %d subscription(s)\n", *endpoint, len(subs))
	for _, s := range subs {
		fmt.Fprintf(stdout, "  %s  %-8s  %s\n", s.SubscriptionID, s.State, s.DisplayName)
	}
	return 0
}

// fail prints why the program failed. A credential failure is a
// *autherrors.Diagnostic (code, summary, fix), which the bearer token
// policy passes through unchanged; anything else, such as ARM's
// *azcore.ResponseError, prints as it is.
func fail(stderr io.Writer, err error) int {
	var d *autherrors.Diagnostic
	var re *azcore.ResponseError
	switch {
	case errors.As(err, &d):
		fmt.Fprintln(stderr, d.Error())
	case errors.As(err, &re):
		fmt.Fprintf(stderr, "sdkclient: Azure Resource Manager answered HTTP %d %s\n", re.StatusCode, strings.TrimSpace(re.ErrorCode+" "+http.StatusText(re.StatusCode)))
	default:
		fmt.Fprintf(stderr, "sdkclient: %v\n", err)
	}
	return 1
}
