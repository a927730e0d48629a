// Package detectfs lets the module's own packages hand package detect the
// firmware it reads the evidence of an Azure VM from, in place of the
// machine's, so that their tests do not depend on the machine they run on
// (its firmware shows an Azure VM, or not). It is not API: detect.Options
// keeps its seams unexported.
package detectfs

import "io/fs"

// Firmware is installed by package detect: it makes opts, a
// *detect.Options, read Linux's firmware files (sys/class/dmi/id/...)
// from fsys, and Windows's SMBIOS table from fsys's file "smbios"; other
// files are still read from the OS. An absolute path is looked up relative
// to fsys's root, as in [testing/fstest.MapFS].
var Firmware func(opts any, fsys fs.FS)
