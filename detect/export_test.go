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
