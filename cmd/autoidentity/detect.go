package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/autoidentity/autoidentity/detect"
)

// imdsEndpointVar points --probe somewhere other than the real IMDS; tests
// use it with a loopback server. It is deliberately undocumented in --help.
const imdsEndpointVar = "AUTOIDENTITY_IMDS_ENDPOINT"

var detectHelp = help{
	name:     "detect",
	synopsis: "detect [--json] [--probe] [--allow-developer-tools]",
	summary:  "print which non-interactive identity would be used, and why",
	details: `
Decides from the environment, as credential.New would, which non-interactive
identity a program will use. No network access unless --probe is given. Files
the environment names (certificate, federated token) are read for their public
facts; no secret is ever printed.`,
	output: `
stdout: the report, made for a CI log: the decision on the first line, then the
evidence, then what was refused, incomplete or malformed and how to fix it.
--json: the whole detect.Result as one JSON object ({"kind", "source", ...}).`,
	exits: [][2]string{
		{"0", "an identity is selected"},
		{"1", "none is (the report says why, and what to fix)"},
		{"2", "usage error"},
	},
}

// runDetect prints which non-interactive identity the environment selects
// and why. It exits 0 only when an identity was selected.
func runDetect(ctx context.Context, s *streams, args []string) int {
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	probe := fs.Bool("probe", false, "first ask the Azure Instance Metadata Service whether it answers (network; at most "+detect.DefaultProbeTimeout.String()+")")
	allowDev := fs.Bool("allow-developer-tools", false, "allow Azure CLI, azd and Azure PowerShell sign-ins (developer machines only)")
	if code, done := detectHelp.parse(s, fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return detectHelp.usageError(s, "unexpected argument %q", fs.Arg(0))
	}
	opts := &detect.Options{AllowDeveloperTools: *allowDev}
	if *probe {
		var po detect.ProbeOptions
		if v, ok := s.LookupEnv(imdsEndpointVar); ok {
			po.Endpoint = strings.TrimSpace(v)
		}
		if v, ok := s.LookupEnv("AZURE_CLIENT_ID"); ok {
			po.ClientID = strings.TrimSpace(v)
		}
		p := detect.ProbeIMDS(ctx, &po)
		opts.Probe = &p
	}
	r := detect.Detect(s, opts)
	var err error
	if *asJSON {
		enc := json.NewEncoder(s.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	} else {
		err = writeReport(s.stdout, r)
	}
	if err != nil {
		fmt.Fprintln(s.stderr, "autoidentity detect: writing the report:", err)
		return exitFailure
	}
	if r.Kind == detect.None {
		return exitFailure
	}
	return exitOK
}
