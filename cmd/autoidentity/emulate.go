package main

import (
	"context"
	"encoding/json"
	"errors"
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

// runEmulate serves the local Entra ID / managed identity emulator for a
// scenario until ctx is cancelled (SIGINT/SIGTERM in main).
//
//	autoidentity emulate --scenario NAME [--addr 127.0.0.1:0] [--dir DIR]
//	autoidentity emulate --list
//
// It prints {"scenario": NAME, "env": {...}, "admin": "http://127.0.0.1:PORT"}
// on one line; GET {admin}/requests returns the request log. The env values
// are the emulator's own canary credentials, never real ones.
func runEmulate(ctx context.Context, s *streams, args []string) int {
	fs := flag.NewFlagSet("emulate", flag.ContinueOnError)
	fs.SetOutput(s.stderr)
	scenario := fs.String("scenario", "", "scenario to serve (see --list)")
	addr := fs.String("addr", "127.0.0.1:0", "loopback address of the admin and managed identity listener")
	dir := fs.String("dir", "", "directory for the CA, certificate and token files (default: a temporary directory removed on exit)")
	list := fs.Bool("list", false, "list the scenarios and exit")
	fs.Usage = func() {
		fmt.Fprintln(s.stderr, "usage: autoidentity emulate --scenario NAME [--addr 127.0.0.1:0] [--dir DIR] | --list")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(s.stderr, "autoidentity emulate: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *list {
		printScenarios(s.stdout)
		return exitOK
	}
	if *scenario == "" {
		fmt.Fprintln(s.stderr, "autoidentity emulate: --scenario is required; --list shows the scenarios")
		return exitUsage
	}
	if !knownScenario(*scenario) {
		fmt.Fprintf(s.stderr, "autoidentity emulate: unknown scenario %q; --list shows the scenarios\n", *scenario)
		return exitUsage
	}
	if host, _, err := net.SplitHostPort(*addr); err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(s.stderr, "autoidentity emulate: --addr %q must be a loopback IP:PORT such as 127.0.0.1:0; the emulator never listens beyond this machine\n", *addr)
		return exitUsage
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
