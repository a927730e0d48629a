package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runArgs runs the CLI in-process with an empty environment.
func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	s := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		lookupEnv: func(string) (string, bool) { return "", false }}
	code = run(context.Background(), s, args)
	return code, out.String(), errOut.String()
}

// TestCommandHelp checks every command's --help against its golden file:
// on stdout, exit 0, with the same sections in the same order; -h and
// `help COMMAND` print the same.
func TestCommandHelp(t *testing.T) {
	t.Parallel()
	for _, c := range commands {
		name := c.help.name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runArgs(name, "--help")
			if code != exitOK || errOut != "" {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
			golden(t, "help_"+name+".golden", out)
			for _, args := range [][]string{{name, "-h"}, {"help", name}} {
				if code, o, e := runArgs(args...); code != exitOK || o != out || e != "" {
					t.Errorf("%v: exit %d, stderr %q, stdout differs from --help: %v", args, code, e, o != out)
				}
			}
			// The sections: usage, the one-line summary, output, exit codes.
			lines := strings.Split(out, "\n")
			if len(lines) < 3 || lines[0] != "usage: autoidentity "+c.help.synopsis || lines[1] != "" || !strings.HasSuffix(lines[2], ".") {
				t.Errorf("--help does not start with the usage line, a blank line and the summary:\n%s", out)
			}
			last := -1
			for _, section := range []string{"\nOutput:\n", "\nExit codes:\n", "\n  2         usage error", "\n  130, 143  interrupted by SIGINT, SIGTERM\n"} {
				i := strings.Index(out, section)
				if i <= last {
					t.Errorf("--help lacks %q, or has it out of order", section)
				}
				last = i
			}
		})
	}
}

// TestTopLevelHelp: `help`, --help and -h print the command list on stdout
// and exit 0; no command prints it on stderr and exits 2; an unknown
// command or topic is a usage error.
func TestTopLevelHelp(t *testing.T) {
	t.Parallel()
	code, out, errOut := runArgs("help")
	if code != exitOK || errOut != "" {
		t.Errorf("help: exit %d, stderr %q", code, errOut)
	}
	golden(t, "help.golden", out)
	for _, c := range commands {
		if !strings.Contains(out, "\n  "+c.help.name+" ") {
			t.Errorf("the command list lacks %s", c.help.name)
		}
	}
	for _, tc := range []struct {
		args           []string
		exit           int
		stdout, stderr string
	}{
		{[]string{"--help"}, exitOK, out, ""},
		{[]string{"-h"}, exitOK, out, ""},
		{[]string{"help", "help"}, exitOK, out, ""},
		{nil, exitUsage, "", out},
		{[]string{"nope"}, exitUsage, "", "autoidentity: unknown command \"nope\"\n\n" + out},
		{[]string{"help", "nope"}, exitUsage, "", "autoidentity help: unknown command \"nope\"\n\n" + out},
		{[]string{"help", "detect", "token"}, exitUsage, "", "autoidentity help: takes one command, got 2 arguments\n\n" + out},
	} {
		code, o, e := runArgs(tc.args...)
		if code != tc.exit || o != tc.stdout || e != tc.stderr {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", tc.args, code, o, e)
		}
	}
}

// TestUsageErrors: a usage error is one message on stderr naming the
// command, then its usage line and where the help is; nothing on stdout.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"token"}, "autoidentity token: --scope is required and takes no other arguments\n"},
		{[]string{"explain", "--nope"}, "autoidentity explain: flag provided but not defined: -nope\n"},
		{[]string{"emulate"}, "autoidentity emulate: --scenario is required; --list shows the scenarios\n"},
		{[]string{"version", "x"}, "autoidentity version: unexpected argument \"x\"\n"},
		{[]string{"detect", "--json=maybe"}, "autoidentity detect: invalid boolean value \"maybe\" for -json: parse error\n"},
	} {
		code, out, errOut := runArgs(tc.args...)
		c := lookupCommand(tc.args[0])
		want := tc.want + "usage: autoidentity " + c.help.synopsis + "\nRun 'autoidentity " + tc.args[0] + " --help' for the flags, output and exit codes.\n"
		if code != exitUsage || out != "" || errOut != want {
			t.Errorf("%q: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", tc.args, code, out, errOut, want)
		}
	}
}
