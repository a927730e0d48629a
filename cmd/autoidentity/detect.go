package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/autoidentity/autoidentity/detect"
)

// imdsEndpointVar points --probe somewhere other than the real IMDS; tests
// use it with a loopback server. It is deliberately undocumented in --help.
const imdsEndpointVar = "AUTOIDENTITY_IMDS_ENDPOINT"

// runDetect prints which non-interactive identity the environment selects
// and why. It exits 0 only when an identity was selected.
func runDetect(ctx context.Context, s *streams, args []string) int {
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	fs.SetOutput(s.stderr)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	probe := fs.Bool("probe", false, "first ask the Azure Instance Metadata Service whether it answers (network; at most "+detect.DefaultProbeTimeout.String()+")")
	allowDev := fs.Bool("allow-developer-tools", false, "allow Azure CLI, azd and Azure PowerShell sign-ins (developer machines only)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: autoidentity detect [--json] [--probe] [--allow-developer-tools]")
		fmt.Fprintln(fs.Output())
		fmt.Fprintln(fs.Output(), "Decides from the environment, without network access unless --probe is given, which")
		fmt.Fprintln(fs.Output(), "non-interactive identity a program will use, and explains why.")
		fmt.Fprintln(fs.Output(), "Exit codes: 0 an identity is selected, 1 none is, 2 usage error.")
		fmt.Fprintln(fs.Output())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(s.stderr, "autoidentity detect: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	lookup := s.lookupEnv
	opts := &detect.Options{AllowDeveloperTools: *allowDev}
	if *probe {
		var po detect.ProbeOptions
		if v, ok := lookup(imdsEndpointVar); ok {
			po.Endpoint = strings.TrimSpace(v)
		}
		if v, ok := lookup("AZURE_CLIENT_ID"); ok {
			po.ClientID = strings.TrimSpace(v)
		}
		p := detect.ProbeIMDS(ctx, &po)
		opts.Probe = &p
	}
	r := detect.Detect(detect.EnvFunc(lookup), opts)
	if *asJSON {
		enc := json.NewEncoder(s.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(s.stderr, "autoidentity detect:", err)
			return exitFailure
		}
	} else {
		fmt.Fprint(s.stdout, r.String())
	}
	if r.Kind == detect.None {
		return exitFailure
	}
	return exitOK
}
