// Package filecap reads files named by the environment, which crosses a
// trust boundary: a path may name /dev/zero (endless), a FIFO (it blocks the
// open and the read forever), a directory, a device or a huge file.
//
// [Read] refuses anything that is not a regular file, before reading: it
// checks the path, opens it with O_NONBLOCK where the system has it (so a
// FIFO cannot block the open) and checks the opened file again, so a file
// swapped in between is caught too. It reads at most the cap plus one byte
// and refuses a file over the cap without holding more than that in memory.
//
// A refusal is an [*Error], whose text completes a sentence about the file
// ("… is a named pipe (FIFO), not a regular file"); callers name the file
// and the variable that named it.
package filecap
