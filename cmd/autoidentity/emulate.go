package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"

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
	synopsis: "emulate --scenario NAME [--addr 127.0.0.1:0] [--listen 127.0.0.1:0 | --https-port N] [--imds-listen ADDR] [--dir DIR] | --list",
	summary:  "run the local Entra ID / managed identity emulator",
	details: `
Serves a scenario (a service principal, workload identity, GitHub Actions OIDC,
App Service, an MFA-blocked user, ...) on loopback until SIGINT or SIGTERM, for
testing a program without Azure. The environment it prints holds the
emulator's own canary credentials, never real ones, and SSL_CERT_FILE for its
CA. GET {admin}/requests returns the log of requests it answered.

The HTTPS listener (--listen, --https-port) serves Entra ID at
AZURE_AUTHORITY_HOST and a minimal Azure Resource Manager (resource groups)
at the same address. MSAL for Python (az login -u, azure-identity for Python)
sends its user realm discovery to port 443 whatever the authority's port:
give --https-port 443 where binding it is allowed (root, CAP_NET_BIND_SERVICE,
or a network namespace with net.ipv4.ip_unprivileged_port_start=0).

MSAL (Go, Python, .NET) sends IMDS requests to http://169.254.169.254:80,
which no environment variable changes. To serve IMDS to another process, run the
emulator in a network namespace or test VM where 169.254.169.254 is a local
address and give --imds-listen 169.254.169.254:80, e.g.:
  ip netns add entratest && ip netns exec entratest sh -c '
    ip link set lo up && ip addr add 169.254.169.254/32 dev lo &&
    autoidentity emulate --scenario service-principal-secret \
      --imds-listen 169.254.169.254:80 & sleep 1 && ./your-program'
Any --imds-listen address but a loopback one or 169.254.169.254:80 is refused.`,
	output: `
stdout: one JSON line once serving:
{"scenario": NAME, "env": {"AZURE_...": ...}, "admin": "http://127.0.0.1:PORT"}
--list: one line per scenario: its name, then what it emulates.`,
	exits: [][2]string{
		{"0", "--list, or --help"},
		{"1", "the emulator could not start (e.g. the port is taken)"},
		{"2", "usage error (no or unknown scenario, a refused address, conflicting ports)"},
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
	addr := fs.String("addr", "127.0.0.1:0", "loopback address of the plain-HTTP admin and managed identity listener")
	listen := fs.String("listen", "127.0.0.1:0", "loopback address of the HTTPS listener (Entra ID, Resource Manager, CI OIDC)")
	httpsPort := fs.Int("https-port", 0, "port of the HTTPS listener on --listen's address; 443 for MSAL for Python's user realm discovery (default: --listen's port)")
	imdsListen := fs.String("imds-listen", "", "also serve IMDS at this address: loopback, or 169.254.169.254:80 in a network namespace or test VM")
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
	if !loopbackAddr(*addr) {
		return emulateHelp.usageError(s, "--addr %q must be a loopback IP:PORT such as 127.0.0.1:0; the emulator never listens beyond this machine", *addr)
	}
	tlsAddr, msg := httpsAddr(*listen, *httpsPort, setFlags(fs)["https-port"])
	if msg != "" {
		return emulateHelp.usageError(s, "%s", msg)
	}
	if *imdsListen != "" && !loopbackAddr(*imdsListen) && *imdsListen != "169.254.169.254:80" {
		return emulateHelp.usageError(s, "--imds-listen %q must be a loopback IP:PORT or 169.254.169.254:80 (inside a network namespace or test VM)", *imdsListen)
	}
	srv, err := entratest.NewServer(&entratest.Options{Addr: *addr, TLSAddr: tlsAddr, IMDSAddr: *imdsListen, Dir: *dir})
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

// loopbackAddr reports whether a is a loopback IP:PORT.
func loopbackAddr(a string) bool {
	host, _, err := net.SplitHostPort(a)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

// httpsAddr is the HTTPS listener's address from --listen and, if set,
// --https-port; msg explains a usage error.
func httpsAddr(listen string, port int, portSet bool) (addr, msg string) {
	if !loopbackAddr(listen) {
		return "", fmt.Sprintf("--listen %q must be a loopback IP:PORT such as 127.0.0.1:0; the emulator never listens beyond this machine", listen)
	}
	if !portSet {
		return listen, ""
	}
	if port < 1 || port > 65535 {
		return "", fmt.Sprintf("--https-port %d is not a port (1-65535)", port)
	}
	host, p, _ := net.SplitHostPort(listen)
	if p != "0" && p != strconv.Itoa(port) {
		return "", fmt.Sprintf("--listen %q and --https-port %d name different ports; give one", listen, port)
	}
	return net.JoinHostPort(host, strconv.Itoa(port)), ""
}

// setFlags is the set of flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
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
