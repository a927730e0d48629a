//go:build !unix

package filecap

import "os"

// openNonblock opens name for reading. Outside Unix there is no O_NONBLOCK
// open; a named pipe or device is refused by the Stat before the open and by
// the check on the opened file after it.
func openNonblock(name string) (*os.File, error) { return os.Open(name) }
