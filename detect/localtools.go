package detect

import (
	"io/fs"
	"strings"
)

// localTools are the developer tools whose presence on PATH marks a
// developer machine, with the names their installers give them.
var localTools = [...]struct {
	name    string
	windows []string
}{
	{"az", []string{"az.cmd", "az.exe"}},
	{"azd", []string{"azd.exe"}},
	{"pwsh", []string{"pwsh.exe"}},
}

// localTools returns the developer tools found on PATH (the Env's, through
// the injectable file system: a Stat per directory and tool, no
// subprocess), in localTools order.
func (d *detector) localTools() []string {
	path, _ := d.env.LookupEnv("PATH")
	if path == "" {
		return nil
	}
	sep := ":"
	if d.opts.goos == "windows" {
		sep = ";"
	}
	dirs := strings.Split(path, sep)
	if len(dirs) > 64 {
		dirs = dirs[:64] // a PATH that long is not worth 200 stats
	}
	var found []string
	for _, t := range localTools {
		names := []string{t.name}
		if d.opts.goos == "windows" {
			names = t.windows
		}
	search:
		for _, dir := range dirs {
			if dir == "" {
				continue
			}
			for _, n := range names {
				if st, err := d.opts.fs.Stat(dir + "/" + n); err == nil && isExecutable(st, d.opts.goos) {
					found = append(found, t.name)
					break search
				}
			}
		}
	}
	return found
}

// isExecutable reports whether st is a file the OS would run.
func isExecutable(st fs.FileInfo, goos string) bool {
	if !st.Mode().IsRegular() {
		return false
	}
	return goos == "windows" || st.Mode().Perm()&0o111 != 0
}
