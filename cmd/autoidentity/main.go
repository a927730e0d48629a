// Command autoidentity explains, tests and emulates the non-interactive Azure
// identity a program would use.
//
//	autoidentity detect  [--json] [--probe]       which identity, and why
//	autoidentity token   --scope S [--json]        acquire a token, print its public claims
//	autoidentity explain [--json] [TEXT]           diagnose an error text (stdin if no TEXT)
//	autoidentity emulate --scenario NAME           run the local Entra ID emulator
//	autoidentity version                           print the module version
//	autoidentity help [COMMAND]                    a command's flags, output and exit codes
//
// Exit codes: 0 success; 1 the command ran and the answer is a failure (no
// identity selected, token refused, diagnosis printed); 2 usage error; 130
// and 143 interrupted by SIGINT or SIGTERM (the process exits within a
// second of the signal, even if the command is still blocked).
//
// Help asked for (--help, -h, help COMMAND) is printed on stdout and exits
// 0; a usage error is reported on stderr and exits 2.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
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
	// lookupEnv reads the environment (os.LookupEnv in main); nil is an
	// empty environment. Commands read it through LookupEnv.
	lookupEnv func(string) (string, bool)
	// transport, if set, sends every request the command makes; tests set
	// it to the emulator's loopback-guarded transport. nil in main.
	transport *http.Client
}

type command struct {
	help *help
	run  func(ctx context.Context, s *streams, args []string) int
}

var commands = []command{
	{&detectHelp, runDetect},
	{&tokenHelp, runToken},
	{&explainHelp, runExplain},
	{&emulateHelp, runEmulate},
	{&versionHelp, runVersion},
}

// LookupEnv reads the command's environment: s.lookupEnv, or an empty
// environment when it is nil (a test that gives none must not read the
// process's). It makes streams the [detect.Env] the commands decide from.
func (s *streams) LookupEnv(key string) (string, bool) {
	if s.lookupEnv == nil {
		return "", false
	}
	return s.lookupEnv(key)
}

// signalGrace is how long a command may take to return once SIGINT or
// SIGTERM cancelled its context; then the process exits anyway, well within
// the second a supervisor (systemd, Kubernetes, a CI runner) expects.
const signalGrace = 750 * time.Millisecond

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	s := &streams{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, lookupEnv: os.LookupEnv}
	os.Exit(runUntilSignal(sigs, signalGrace, func(ctx context.Context) int { return run(ctx, s, os.Args[1:]) }))
}

// runUntilSignal runs cmd and returns its exit code, unless a signal
// arrives first: then it cancels cmd's context, waits at most grace for cmd
// to clean up (remove temporary files, close listeners), and returns
// 128+signal (130 for SIGINT, 143 for SIGTERM) whether or not cmd returned:
// a command blocked in a call that ignores its context must not keep the
// process alive. A second signal ends the wait at once.
func runUntilSignal(sigs <-chan os.Signal, grace time.Duration, cmd func(context.Context) int) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- cmd(ctx) }()
	var sig os.Signal
	select {
	case code := <-done:
		return code
	case sig = <-sigs:
	}
	cancel()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	case <-sigs:
	}
	return signalExit(sig)
}

// signalExit is the shell's exit code for a process ended by sig: 130 for
// SIGINT (os.Interrupt), 143 for SIGTERM, the only other signal main asks for.
func signalExit(sig os.Signal) int {
	if sig == os.Interrupt {
		return 130
	}
	return 143
}

func run(ctx context.Context, s *streams, args []string) int {
	if len(args) == 0 {
		usage(s.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(s.stdout)
		return exitOK
	case "help":
		return runHelp(ctx, s, args[1:])
	}
	if c := lookupCommand(args[0]); c != nil {
		return c.run(ctx, s, args[1:])
	}
	fmt.Fprintf(s.stderr, "autoidentity: unknown command %q\n\n", args[0])
	usage(s.stderr)
	return exitUsage
}

func lookupCommand(name string) *command {
	for i := range commands {
		if commands[i].help.name == name {
			return &commands[i]
		}
	}
	return nil
}

// runHelp is `autoidentity help [COMMAND]`: the command's --help, or the
// command list.
func runHelp(ctx context.Context, s *streams, args []string) int {
	if len(args) == 0 || len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		usage(s.stdout)
		return exitOK
	}
	if len(args) > 1 {
		fmt.Fprintf(s.stderr, "autoidentity help: takes one command, got %d arguments\n\n", len(args))
		usage(s.stderr)
		return exitUsage
	}
	c := lookupCommand(args[0])
	if c == nil {
		fmt.Fprintf(s.stderr, "autoidentity help: unknown command %q\n\n", args[0])
		usage(s.stderr)
		return exitUsage
	}
	return c.run(ctx, s, []string{"--help"})
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: autoidentity <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Explains, tests and emulates the non-interactive Azure identity a program would use.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.help.name, c.help.summary)
	}
	fmt.Fprintf(w, "  %-8s %s\n", "help", "print a command's flags, output and exit codes")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'autoidentity <command> --help' or 'autoidentity help <command>' for a command's")
	fmt.Fprintln(w, "flags, output and exit codes.")
	fmt.Fprintln(w, "Exit codes: 0 success, 1 failure (no identity, token refused, diagnosis), 2 usage error,")
	fmt.Fprintln(w, "130 and 143 interrupted by SIGINT and SIGTERM.")
}
