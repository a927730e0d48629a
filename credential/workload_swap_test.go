package credential

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// A token file swapped after New for a FIFO or for /dev/zero would block
// GetToken forever (azidentity's WorkloadIdentityCredential opens it with
// os.ReadFile under a lock) or exhaust memory. Each case runs in a child
// process that the parent kills after swapChildTimeout, so a regression
// fails the test instead of hanging it or the machine.

const (
	swapSwitch       = "AUTOIDENTITY_WORKLOAD_SWAP_CHILD" // the case the child runs
	swapChildTimeout = 20 * time.Second
	swapChildMarker  = "WORKLOAD-SWAP-CHILD-DONE"
	// swapChildMemory is where the child's watchdog gives up: the child
	// needs a few tens of MB; a read of /dev/zero passes this in well
	// under a second.
	swapChildMemory = 512 << 20
)

// swapCases are the swaps, each with what the error must say.
var swapCases = map[string]string{
	"fifo":     "is a named pipe (FIFO), not a regular file",
	"dev-zero": "is a character device, not a regular file",
}

func TestWorkloadTokenFileSwapped(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs or /dev/zero here")
	}
	for name := range swapCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if name == "fifo" && !mkfifo(t, t.TempDir()+"/probe") {
				t.Skip("no FIFOs here")
			}
			if _, err := os.Stat("/dev/zero"); name == "dev-zero" && err != nil {
				t.Skip("no /dev/zero here")
			}
			ctx, cancel := context.WithTimeout(context.Background(), swapChildTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestWorkloadTokenFileSwappedChild$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), swapSwitch+"="+name)
			cmd.WaitDelay = time.Second
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("the child did not finish within %v (killed): GetToken or the file read blocks\n%s", swapChildTimeout, out)
			}
			if err != nil {
				t.Fatalf("the child failed: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), swapChildMarker) {
				t.Fatalf("the child did not run the case:\n%s", out)
			}
		})
	}
}

// TestWorkloadTokenFileSwappedChild is the child half of
// TestWorkloadTokenFileSwapped; it does nothing unless swapSwitch is set.
func TestWorkloadTokenFileSwappedChild(t *testing.T) {
	name := os.Getenv(swapSwitch)
	if name == "" {
		return
	}
	want, ok := swapCases[name]
	if !ok {
		t.Fatalf("unknown case %q", name)
	}
	srv := entratest.Start(t, nil)
	c, path := newWorkload(t, srv, nil)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	switch name {
	case "fifo":
		mkfifo(t, path)
	case "dev-zero":
		if err := os.Symlink("/dev/zero", path); err != nil {
			t.Fatal(err)
		}
	}
	stop := watchMemory()
	defer stop()
	took, err := getFresh(t, c, srv, name)
	if err == nil {
		t.Fatal("GetToken succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, "AZURE_FEDERATED_TOKEN_FILE "+want) {
		t.Errorf("error = %q, want it to name AZURE_FEDERATED_TOKEN_FILE and say %q", msg, want)
	}
	if !errors.Is(err, autherrors.ErrInvalidConfiguration) {
		t.Errorf("error = %v, want %s (not a timeout)", err, autherrors.ErrInvalidConfiguration)
	}
	if took > 2*time.Second {
		t.Errorf("GetToken took %v to fail; its context allowed 5s", took)
	}
	if n := srv.EndpointRequests(entratest.TokenEndpoint); n != 0 {
		t.Errorf("%d token requests were sent; want none", n)
	}
	fmt.Println(swapChildMarker)
}

// watchMemory ends the process when the Go runtime holds more than
// swapChildMemory, so a read that ignores its cap fails fast instead of
// exhausting the machine's memory. stop ends the watch.
func watchMemory() (stop func()) {
	done := make(chan struct{})
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(s)
			if s[0].Value.Kind() == metrics.KindUint64 && s[0].Value.Uint64() > swapChildMemory {
				fmt.Fprintf(os.Stderr, "the child holds %d bytes: a file read ignores its cap\n", s[0].Value.Uint64())
				os.Exit(3)
			}
		}
	}()
	return func() { close(done) }
}
