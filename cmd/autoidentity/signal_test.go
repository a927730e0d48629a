//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// signalDeadline is how soon after a signal the process must be gone: the
// grace period plus room for a slow (race-instrumented, loaded) machine.
const signalDeadline = 2 * time.Second

// startCLI starts the CLI in a child process whose stdin stays open; the
// test kills it if it is still running when the test ends.
func startCLI(t *testing.T, env []string, args ...string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd := cliCommand(t, env, args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = stdin.Close()
	})
	return cmd, bufio.NewReader(stdout)
}

// waitExit waits for cmd at most signalDeadline and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd, since time.Time) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if took := time.Since(since); took > signalDeadline {
			t.Errorf("the process exited %v after the signal, want at most %v", took, signalDeadline)
		}
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode()
	case <-time.After(signalDeadline + 3*time.Second):
		t.Fatalf("the process is still running %v after the signal", signalDeadline+3*time.Second)
		return -1
	}
}

// The signals and FIFOs (syscall.Mkfifo) these tests use exist on the
// systems in the build constraint; elsewhere main still builds.

// TestSignalExit sends SIGINT and SIGTERM to a serving emulator and to a
// command blocked in a read that ignores its context: the process exits
// with 130 or 143 within the deadline either way.
func TestSignalExit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		sig  syscall.Signal
		args []string
		want int
	}{
		{"emulate, SIGTERM", syscall.SIGTERM, []string{"emulate", "--scenario", "managed-identity-app-service"}, 143},
		{"emulate, SIGINT", syscall.SIGINT, []string{"emulate", "--scenario", "managed-identity-app-service"}, 130},
		// explain reads stdin to its end, a read no context cancels.
		{"blocked explain, SIGTERM", syscall.SIGTERM, []string{"explain"}, 143},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := tc.args
			if args[0] == "emulate" {
				args = append(args, "--dir", t.TempDir())
			}
			// A blocked command prints nothing to say it is ready, so the
			// test waits and signals; on a loaded machine the signal can
			// arrive before main's signal.Notify, and the process dies of
			// it (the default action). That says nothing about main:
			// wait longer and try again.
			waits := []time.Duration{200 * time.Millisecond, time.Second, 3 * time.Second}
			for attempt, wait := range waits {
				cmd, stdout := startCLI(t, nil, args...)
				if args[0] == "emulate" {
					// Serving: emulate prints its line (after signal.Notify),
					// then waits for the signal.
					if line, err := stdout.ReadString('\n'); err != nil || !strings.Contains(line, `"scenario":"managed-identity-app-service"`) {
						t.Fatalf("emulate printed %q, %v", line, err)
					}
				} else {
					time.Sleep(wait) // let it block in the read
				}
				sent := time.Now()
				if err := cmd.Process.Signal(tc.sig); err != nil {
					t.Fatal(err)
				}
				code := waitExit(t, cmd, sent)
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == tc.sig &&
					args[0] != "emulate" && attempt < len(waits)-1 {
					t.Logf("the signal arrived %v after the start, before main listened for it; trying again", wait)
					continue
				}
				if code != tc.want {
					t.Errorf("exit code %d, want %d", code, tc.want)
				}
				break
			}
		})
	}
}

// TestDetectFIFO runs detect with a FIFO as the token file: it no longer
// blocks, and says what is wrong.
func TestDetectFIFO(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "token")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd, stdout := startCLI(t, []string{"AZURE_TENANT_ID=72f988bf-86f1-41af-91ab-2d7cd011db47",
		"AZURE_CLIENT_ID=9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b", "AZURE_FEDERATED_TOKEN_FILE=" + fifo}, "detect")
	out, _ := io.ReadAll(stdout)
	if code := waitExit(t, cmd, time.Now()); code != exitFailure {
		t.Errorf("exit code %d, want %d", code, exitFailure)
	}
	if want := fifo + " named by AZURE_FEDERATED_TOKEN_FILE is a named pipe (FIFO), not a regular file"; !strings.Contains(string(out), want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}

// TestRunUntilSignal checks the exit logic in-process with a fake signal
// channel.
func TestRunUntilSignal(t *testing.T) {
	t.Parallel()
	const grace = 100 * time.Millisecond
	release := make(chan struct{}) // a call that ignores its context
	t.Cleanup(func() { close(release) })
	block := func(context.Context) int { <-release; return exitOK }
	honour := func(ctx context.Context) int { <-ctx.Done(); return exitOK }
	for _, tc := range []struct {
		name    string
		cmd     func(context.Context) int
		signals []os.Signal
		want    int
		max     time.Duration
	}{
		{"no signal", func(context.Context) int { return exitUsage }, nil, exitUsage, time.Second},
		{"SIGTERM, command returns", honour, []os.Signal{syscall.SIGTERM}, 143, time.Second},
		{"SIGINT, command blocked", block, []os.Signal{os.Interrupt}, 130, grace + time.Second},
		{"second signal ends the grace", block, []os.Signal{syscall.SIGTERM, syscall.SIGTERM}, 143, grace / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sigs := make(chan os.Signal, 2)
			for _, s := range tc.signals {
				sigs <- s
			}
			g := grace
			if len(tc.signals) > 1 {
				g = time.Hour
			}
			start := time.Now()
			if got := runUntilSignal(sigs, g, tc.cmd); got != tc.want {
				t.Errorf("exit %d, want %d", got, tc.want)
			}
			if took := time.Since(start); took > tc.max {
				t.Errorf("took %v, want at most %v", took, tc.max)
			}
		})
	}
}
