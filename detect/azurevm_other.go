//go:build !windows

package detect

import "errors"

// readSMBIOS has nothing to read outside Windows: Linux exposes the asset
// tag in sysfs, which azureVM reads instead. It runs only when a test sets
// goos to "windows" without an SMBIOS seam.
func readSMBIOS() ([]byte, error) {
	return nil, errors.New("no SMBIOS firmware table API on this OS")
}
