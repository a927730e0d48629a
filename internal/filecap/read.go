package filecap

import (
	"io"
	"io/fs"
	"os"
	"strconv"
)

// Error says why a file was refused: it is not a regular file, or it is
// over the cap. Its text is a predicate ("is a directory, not a regular
// file"; "is 65537 bytes, more than the 65536"), for the caller to put
// after the file's name.
type Error struct {
	// Mode holds the type bits of a file that is not regular.
	Mode fs.FileMode
	// Size is the size of a file over the cap; with More set, a lower
	// bound (the file grew past what Stat said, or has no size).
	Size int64
	More bool
	// Limit is the cap, when the file is over it; 0 otherwise.
	Limit int64
}

func (e *Error) Error() string {
	if e.Limit > 0 {
		n := strconv.FormatInt(e.Size, 10)
		if e.More {
			n += "+"
		}
		return "is " + n + " bytes, more than the " + strconv.FormatInt(e.Limit, 10)
	}
	return "is " + fileType(e.Mode) + ", not a regular file"
}

// fileType names the kind of a file that is not regular.
func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeDir != 0:
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file (" + m.Type().String() + ")"
}

// Check refuses, with an [*Error], a file that is not regular or whose
// size st reports over limit. It serves callers that read through another
// file system and must hold it to the same rules.
func Check(st fs.FileInfo, limit int64) error {
	if !st.Mode().IsRegular() {
		return &Error{Mode: st.Mode()}
	}
	if st.Size() > limit {
		return &Error{Size: st.Size(), Limit: limit}
	}
	return nil
}

// Read returns the content of the regular file name, which must hold at
// most limit bytes (limit must not be negative). It never blocks on a FIFO
// and never reads more than limit+1 bytes. A file that is not regular or is
// over limit is refused with an [*Error]; other failures are the
// [*fs.PathError] of the step that failed.
func Read(name string, limit int64) ([]byte, error) {
	// Stat the path first so a device is never opened (opening some has
	// side effects); the check on the opened file below is the one that
	// counts.
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := Check(st, limit); err != nil {
		return nil, err
	}
	f, err := openNonblock(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := Check(st, limit); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &Error{Size: limit + 1, More: true, Limit: limit}
	}
	return b, nil
}
