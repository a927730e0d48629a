package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// maxExplainInput bounds what explain reads from stdin; maxExplainAll
// bounds it with --all, which reads a whole log.
const (
	maxExplainInput = 1 << 20
	maxExplainAll   = 64 << 20
)

var explainHelp = help{
	name:     "explain",
	synopsis: "explain [--all] [--json] [TEXT...]",
	summary:  "diagnose an Azure authentication error text",
	details: `
Reads an error text (a log line, an exception, the Azure CLI's output): from
the arguments, or from stdin when there are none (paste it, then end input with
Ctrl-D; at most 1 MiB is read). Remedies are written for the environment the
command runs in: its platform (GitHub Actions, Azure Pipelines, AKS, App
Service) and the identity autoidentity detect selects there, whose kind the
diagnosis reports. Secrets in the text (client_secret=..., bearer tokens) are
masked. With --all the text is a whole log (at most 64 MiB): every distinct
failure in it is reported, in the order it first appears.`,
	output: `
stdout: the diagnosis, one "label: value" line per field that is known: code,
AADSTS, kind, summary, remedy, docs, HTTP status, subject, trace ID,
correlation ID.
--json: the same fields as one JSON object ({"code", "aadsts", "kind",
"summary", "remedy", "docs", "status", ...}).
--all: one diagnosis per distinct failure, separated by a blank line; with
--json, a JSON array of them.`,
	exits: [][2]string{
		{"0", "--help"},
		{"1", "a diagnosis was printed (the text is a failure)"},
		{"2", "usage error (no text, unknown flag)"},
	},
}

// runExplain diagnoses an error text with autherrors.Parse. Remedies are
// written for the environment read through s.LookupEnv (GITHUB_ACTIONS,
// GITHUB_REPOSITORY, GITHUB_REF, TF_BUILD, AZURE_CLIENT_ID, …; see
// explainEnvironment).
func runExplain(ctx context.Context, s *streams, args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the diagnosis as JSON")
	all := fs.Bool("all", false, "report every distinct failure in a whole log")
	if code, done := explainHelp.parse(s, fs, args); done {
		return code
	}
	text := strings.Join(fs.Args(), " ")
	if len(fs.Args()) == 0 && s.stdin != nil {
		limit := int64(maxExplainInput)
		if *all {
			limit = maxExplainAll
		}
		b, err := io.ReadAll(io.LimitReader(s.stdin, limit))
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
		return explainHelp.usageError(s, "no error text: pass it as arguments or on stdin")
	}
	if *all {
		return explainAll(s, text, *asJSON)
	}
	d := autherrors.Parse(text).For(explainEnvironment(s))
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

// explainAll reports every distinct failure in a log (autherrors.ParseAll).
func explainAll(s *streams, text string, asJSON bool) int {
	env := explainEnvironment(s)
	ds := autherrors.ParseAll(text)
	for i, d := range ds {
		ds[i] = d.For(env)
	}
	if asJSON {
		enc := json.NewEncoder(s.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(ds); err != nil {
			fmt.Fprintf(s.stderr, "autoidentity explain: %v\n", err)
		}
		return exitFailure
	}
	for i, d := range ds {
		if i > 0 {
			fmt.Fprintln(s.stdout)
		}
		printDiagnosis(s.stdout, d)
	}
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
	row("kind", d.Kind)
	row("summary", d.Summary)
	row("remedy", d.Remedy)
	row("docs", d.Docs)
	if d.StatusCode != 0 {
		row("HTTP status", strconv.Itoa(d.StatusCode))
	}
	row("subject", d.Subject)
	row("trace ID", d.TraceID)
	row("correlation ID", d.CorrelationID)
}

// explainEnvironment is where the remedies are written for: the platform,
// kind and IDs detect decides from the same variables, as package
// credential writes them. detect decides the kind; explain does not guess
// it from the text.
func explainEnvironment(s *streams) *autherrors.Environment {
	e := detect.Detect(s, nil).Environment()
	if e.Kind == string(detect.None) {
		e.Kind = ""
	}
	return e
}
