package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"

	"github.com/autoidentity/autoidentity/entratest"
)

// emulateLine is the one JSON line emulate prints once it is serving.
type emulateLine struct {
	Scenario string            `json:"scenario"`
	Env      map[string]string `json:"env"`
	Admin    string            `json:"admin"`
}

var emulateHelp = help{
	name:     "emulate",
	synopsis: "emulate --scenario NAME [--addr 127.0.0.1:0] [--dir DIR] | --list",
	summary:  "run the local Entra ID / managed identity emulator",
	details: `
Serves a scenario (a service principal, workload identity, GitHub Actions OIDC,
App Service, an MFA-blocked user, ...) on loopback until SIGINT or SIGTERM, for
testing a program without Azure. The environment it prints holds the
emulator's own canary credentials, never real ones, and SSL_CERT_FILE for its
CA. GET {admin}/requests returns the log of requests it answered.`,
	output: `
stdout: one JSON line once serving:
{"scenario": NAME, "env": {"AZURE_...": ...}, "admin": "http://127.0.0.1:PORT"}
--list: one line per scenario: its name, then what it emulates.`,
	exits: [][2]string{
		{"0", "--list, or --help"},
		{"1", "the emulator could not start"},
		{"2", "usage error (no or unknown scenario, non-loopback --addr)"},
	},
}

// runEmulate serves the local Entra ID / managed identity emulator for a
// scenario until ctx is cancelled (SIGINT/SIGTERM in main, which then exits
// 130 or 143: the emulator's normal end).
//
// It prints {"scenario": NAME, "env": {...}, "admin": "http://127.0.0.1:PORT"}
// on one line; GET {admin}/requests returns the request log. The env values
// are the emulator's own canary credentials, never real ones.
func runEmulate(ctx context.Context, s *streams, args []string) int {
	fs := flag.NewFlagSet("emulate", flag.ContinueOnError)
	scenario := fs.String("scenario", "", "scenario to serve (see --list)")
	addr := fs.String("addr", "127.0.0.1:0", "loopback address of the admin and managed identity listener")
	dir := fs.String("dir", "", "directory for the CA, certificate and token files (default: a temporary directory removed on exit)")
	list := fs.Bool("list", false, "list the scenarios and exit")
	if code, done := emulateHelp.parse(s, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return emulateHelp.usageError(s, "unexpected argument %q", fs.Arg(0))
	}
	if *list {
		printScenarios(s.stdout)
		return exitOK
	}
	if *scenario == "" {
		return emulateHelp.usageError(s, "--scenario is required; --list shows the scenarios")
	}
	if !knownScenario(*scenario) {
		return emulateHelp.usageError(s, "unknown scenario %q; --list shows the scenarios", *scenario)
	}
	if host, _, err := net.SplitHostPort(*addr); err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
		return emulateHelp.usageError(s, "--addr %q must be a loopback IP:PORT such as 127.0.0.1:0; the emulator never listens beyond this machine", *addr)
	}
	srv, err := entratest.NewServer(&entratest.Options{Addr: *addr, Dir: *dir})
	if err != nil {
		fmt.Fprintf(s.stderr, "autoidentity emulate: %v\n", err)
		return exitFailure
	}
	defer srv.Close()
	env, err := srv.Scenario(*scenario)
	if err != nil {
		fmt.Fprintf(s.stderr, "autoidentity emulate: %v\n", err)
		return exitFailure
	}
	line, err := json.Marshal(emulateLine{Scenario: *scenario, Env: env, Admin: srv.AdminURL()})
	if err != nil {
		fmt.Fprintf(s.stderr, "autoidentity emulate: %v\n", err)
		return exitFailure
	}
	if _, err := fmt.Fprintf(s.stdout, "%s\n", line); err != nil {
		fmt.Fprintf(s.stderr, "autoidentity emulate: writing to stdout: %v\n", err)
		return exitFailure
	}
	<-ctx.Done()
	return exitOK
}

func knownScenario(name string) bool {
	for _, sc := range entratest.Scenarios() {
		if sc.Name == name {
			return true
		}
	}
	return false
}

func printScenarios(w io.Writer) {
	for _, sc := range entratest.Scenarios() {
		fmt.Fprintf(w, "%-32s %s\n", sc.Name, sc.Description)
	}
}
