// Command autoidentity explains, tests and emulates the non-interactive Azure
// identity a program would use.
//
//	autoidentity detect  [--json] [--probe]       which identity, and why
//	autoidentity token   --scope S [--json]        acquire a token, print its public claims
//	autoidentity explain [--json] [TEXT]           diagnose an error text (stdin if no TEXT)
//	autoidentity emulate --scenario NAME           run the local Entra ID emulator
//
// Exit codes: 0 success; 1 the command ran and the answer is a failure (no
// identity selected, token refused, diagnosis printed); 2 usage error.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, documented in the package comment and the README.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// streams is what a subcommand reads and writes; tests supply their own.
type streams struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// lookupEnv reads the environment (os.LookupEnv in main).
	lookupEnv func(string) (string, bool)
	// transport, if set, sends every request the command makes; tests set
	// it to the emulator's loopback-guarded transport. nil in main.
	transport *http.Client
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, s *streams, args []string) int
}

var commands = []command{
	{"detect", "print which non-interactive identity would be used, and why", runDetect},
	{"token", "acquire a token and print its kind, expiry and public claims", runToken},
	{"explain", "diagnose an Azure authentication error text", runExplain},
	{"emulate", "run the local Entra ID / managed identity emulator", runEmulate},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &streams{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, lookupEnv: os.LookupEnv}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, s *streams, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(s.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, s, args[1:])
		}
	}
	fmt.Fprintf(s.stderr, "autoidentity: unknown command %q\n\n", args[0])
	usage(s.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: autoidentity <command> [flags]")
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'autoidentity <command> --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 success, 1 failure (no identity, token refused, diagnosis), 2 usage error.")
}
