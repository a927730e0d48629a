//go:build windows

package detect

import (
	"errors"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// GetSystemFirmwareTable (kernel32.dll, Windows Vista / Server 2008 and
// later) returns the raw SMBIOS table with no WMI, no subprocess and no
// privilege:
// https://learn.microsoft.com/windows/win32/api/sysinfoapi/nf-sysinfoapi-getsystemfirmwaretable
//
//	UINT GetSystemFirmwareTable(DWORD FirmwareTableProviderSignature,
//	    DWORD FirmwareTableID, PVOID pFirmwareTableBuffer, DWORD BufferSize);
//
// With a NULL buffer it returns the size needed; with a buffer, the bytes
// written, or the size needed when the buffer is too small; 0 on failure
// (GetLastError says why).
var procGetSystemFirmwareTable = syscall.NewLazyDLL("kernel32.dll").NewProc("GetSystemFirmwareTable")

// rsmb is the provider signature 'RSMB' (the raw SMBIOS table provider), a
// C multi-character constant: 0x52534D42.
const rsmb = 'R'<<24 | 'S'<<16 | 'M'<<8 | 'B'

// readSMBIOS returns the RawSMBIOSData, at most maxSMBIOSSize bytes.
func readSMBIOS() ([]byte, error) {
	if err := procGetSystemFirmwareTable.Find(); err != nil {
		return nil, err
	}
	size, err := firmwareTable(nil)
	if err != nil {
		return nil, err
	}
	if size > maxSMBIOSSize {
		return nil, errors.New("GetSystemFirmwareTable('RSMB'): the table is " + strconv.FormatUint(uint64(size), 10) + " bytes, more than the " + strconv.Itoa(maxSMBIOSSize) + " an SMBIOS table can be")
	}
	buf := make([]byte, size)
	n, err := firmwareTable(buf)
	if err != nil {
		return nil, err
	}
	if n > size {
		return nil, errors.New("GetSystemFirmwareTable('RSMB'): the table grew from " + strconv.FormatUint(uint64(size), 10) + " to " + strconv.FormatUint(uint64(n), 10) + " bytes between two calls")
	}
	return buf[:n], nil
}

// firmwareTable calls GetSystemFirmwareTable('RSMB', 0, buf, len(buf)).
func firmwareTable(buf []byte) (uint32, error) {
	// A nil buf passes NULL, asking for the size.
	r, _, e := procGetSystemFirmwareTable.Call(rsmb, 0, uintptr(unsafe.Pointer(unsafe.SliceData(buf))), uintptr(len(buf)))
	n := uint32(r)
	if n == 0 {
		if errno, ok := e.(syscall.Errno); ok && errno != 0 {
			return 0, os.NewSyscallError("GetSystemFirmwareTable('RSMB')", errno)
		}
		return 0, errors.New("GetSystemFirmwareTable('RSMB') returned no table")
	}
	return n, nil
}
