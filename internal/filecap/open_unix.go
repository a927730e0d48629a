//go:build unix

package filecap

import (
	"os"
	"syscall"
)

// openNonblock opens name for reading without blocking: opening a FIFO that
// has no writer blocks forever without O_NONBLOCK. O_NOCTTY keeps a terminal
// device from becoming the process's controlling terminal.
func openNonblock(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
}
