package credential

import (
	"testing"
	"testing/fstest"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind: the
// cache's refreshes and the emulator's connections must all end.
func TestMain(m *testing.M) {
	// No firmware: what New selects must not depend on whether the machine
	// running the tests is an Azure VM. Tests of the firmware evidence set
	// Options.firmware.
	detectFirmware = fstest.MapFS{}
	goleak.VerifyTestMain(m,
		// net/http keeps idle keep-alive connections of clients the tests
		// no longer use; they are the transport's, not ours.
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}
