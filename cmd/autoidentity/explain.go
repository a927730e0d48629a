package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// maxExplainInput bounds what explain reads from stdin.
const maxExplainInput = 1 << 20

const explainUsage = `usage: autoidentity explain [--json] [TEXT...]

Diagnose an Azure authentication error text: the AADSTS code, what it means
and the fix for this environment. TEXT is read from the arguments, or from
stdin when there are none (paste a log, then end input with Ctrl-D).

Flags:
  --json   print {"code","aadsts","summary","remedy","docs",...} as JSON

Exit codes: 1 when a diagnosis was printed (the text is a failure), 2 on a
usage error (no text, unknown flag), 0 for --help.
`

// runExplain diagnoses an error text with autherrors.ParseIn. Remedies are
// written for the environment read through s.lookupEnv (GITHUB_ACTIONS,
// GITHUB_REPOSITORY, GITHUB_REF, TF_BUILD, AZURE_CLIENT_ID, …).
func runExplain(ctx context.Context, s *streams, args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(s.stdout, explainUsage)
			return exitOK
		}
		fmt.Fprintf(s.stderr, "autoidentity explain: %v\n\n%s", err, explainUsage)
		return exitUsage
	}
	text := strings.Join(fs.Args(), " ")
	if len(fs.Args()) == 0 && s.stdin != nil {
		b, err := io.ReadAll(io.LimitReader(s.stdin, maxExplainInput))
		if err != nil {
			fmt.Fprintf(s.stderr, "autoidentity explain: reading stdin: %v\n", err)
			return exitFailure
		}
		text = string(b)
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(s.stderr, "autoidentity explain: %v\n", err)
		return exitFailure
	}
	if strings.TrimSpace(text) == "" {
		fmt.Fprintf(s.stderr, "autoidentity explain: no error text: pass it as arguments or on stdin\n\n%s", explainUsage)
		return exitUsage
	}
	lookup := s.lookupEnv
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	d := autherrors.ParseIn(text, autherrors.EnvironmentFromLookup(lookup))
	if *asJSON {
		enc := json.NewEncoder(s.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d); err != nil {
			fmt.Fprintf(s.stderr, "autoidentity explain: %v\n", err)
		}
		return exitFailure
	}
	printDiagnosis(s.stdout, d)
	return exitFailure
}

func printDiagnosis(w io.Writer, d *autherrors.Diagnostic) {
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-15s %s\n", k+":", v)
		}
	}
	row("code", string(d.Code))
	row("AADSTS", d.AADSTS)
	row("summary", d.Summary)
	row("remedy", d.Remedy)
	row("docs", d.Docs)
	row("subject", d.Subject)
	row("trace ID", d.TraceID)
	row("correlation ID", d.CorrelationID)
}
