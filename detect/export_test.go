package detect

import "io/fs"

// FS is the file system seam, for the external tests.
type FS = fileSystem

// IOFS adapts an io/fs.FS, such as a testing/fstest.MapFS, to FS.
func IOFS(fsys fs.FS) FS { return ioFS{fsys} }

// WithFS returns a copy of o (nil means defaults) that reads files from
// fsys instead of the OS file system.
func WithFS(o *Options, fsys FS) *Options {
	var c Options
	if o != nil {
		c = *o
	}
	c.fs = fsys
	return &c
}

// WithSMBIOS returns a copy of o (nil means defaults) whose Windows SMBIOS
// reader is f instead of GetSystemFirmwareTable.
func WithSMBIOS(o *Options, f func() ([]byte, error)) *Options {
	var c Options
	if o != nil {
		c = *o
	}
	c.smbios = f
	return &c
}

// WithGOOS returns a copy of o (nil means defaults) that detects as if on
// goos.
func WithGOOS(o *Options, goos string) *Options {
	var c Options
	if o != nil {
		c = *o
	}
	c.goos = goos
	return &c
}

// AzureVMEvidence runs azureVMEvidence alone with o's defaults.
func AzureVMEvidence(o *Options) string {
	d := detector{opts: o.withDefaults()}
	ev, _ := d.azureVMEvidence()
	return ev
}

// AzureVMReason returns why azureVMEvidence found no evidence it could
// read: nil when there was nothing to read or the evidence was read.
func AzureVMReason(o *Options) error {
	d := detector{opts: o.withDefaults()}
	_, err := d.azureVMEvidence()
	return err
}

// SMBIOSChassisAssetTags parses a RawSMBIOSData.
var SMBIOSChassisAssetTags = smbiosChassisAssetTags

// ErrSMBIOS is the error every malformed SMBIOS table wraps.
var ErrSMBIOS = errSMBIOS

// MaxSMBIOSSize is the cap on the raw SMBIOS data.
const MaxSMBIOSSize = maxSMBIOSSize
