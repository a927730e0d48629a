package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// help is a command's --help text, but for its flags, which the command's
// flag set prints. Every command has the same sections, in this order.
type help struct {
	name string
	// synopsis follows "usage: autoidentity ".
	synopsis string
	// summary is one line; the command list shows it too.
	summary string
	// details, optional, says more: what is read, what is never printed.
	details string
	// output says what is printed, on which stream, with and without --json.
	output string
	// exits are the command's exit codes and their meaning; every command
	// also exits 130 or 143 when interrupted (see exitInterrupted).
	exits [][2]string
}

// exitInterrupted is the exit code line every command shares: runUntilSignal
// ends the process with 128+signal.
var exitInterrupted = [2]string{"130, 143", "interrupted by SIGINT, SIGTERM"}

// write prints h and fs's flags to w.
func (h *help) write(w io.Writer, fs *flag.FlagSet) {
	// The summary is a list entry ("print which …"); here it is a sentence.
	fmt.Fprintf(w, "usage: autoidentity %s\n\n%s%s.\n", h.synopsis, strings.ToUpper(h.summary[:1]), h.summary[1:])
	if h.details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(h.details))
	}
	fmt.Fprintf(w, "\nOutput:\n%s\n", indent(strings.TrimSpace(h.output)))
	fmt.Fprintln(w, "\nExit codes:")
	for _, e := range append(h.exits, exitInterrupted) {
		fmt.Fprintf(w, "  %-8s  %s\n", e[0], e[1])
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// indent indents every line of s by two spaces.
func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// parse parses args into fs for the command h describes. When done is
// true the command is over and code is its exit code: --help (or -h)
// printed the help on stdout (0), or a usage error was reported on stderr
// (2).
func (h *help) parse(s *streams, fs *flag.FlagSet, args []string) (code int, done bool) {
	fs.SetOutput(io.Discard) // parse errors are reported below, once
	fs.Usage = func() {}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		h.write(s.stdout, fs)
		return exitOK, true
	}
	if err != nil {
		return h.usageError(s, "%v", err), true
	}
	return 0, false
}

// usageError reports a usage error on stderr: the message, the synopsis
// and where the help is. It returns exitUsage.
func (h *help) usageError(s *streams, format string, args ...any) int {
	fmt.Fprintf(s.stderr, "autoidentity %s: %s\n", h.name, fmt.Sprintf(format, args...))
	fmt.Fprintf(s.stderr, "usage: autoidentity %s\n", h.synopsis)
	fmt.Fprintf(s.stderr, "Run 'autoidentity %s --help' for the flags, output and exit codes.\n", h.name)
	return exitUsage
}
