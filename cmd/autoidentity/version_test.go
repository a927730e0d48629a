package main

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestVersionCommand checks the line's shape against the golden file, with
// the version normalised (a test binary records none).
func TestVersionCommand(t *testing.T) {
	t.Parallel()
	code, out, errOut := runArgs("version")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	line := regexp.MustCompile(`^autoidentity (\(devel\)|v\d+\.\d+\.\d+\S*) (\S+) (\S+)\n$`)
	m := line.FindStringSubmatch(out)
	if m == nil || m[2] != runtime.Version() || m[3] != runtime.GOOS+"/"+runtime.GOARCH {
		t.Fatalf("version printed %q", out)
	}
	golden(t, "version.golden", line.ReplaceAllString(out, "autoidentity VERSION GOVERSION OS/ARCH\n"))
}

func TestModuleVersion(t *testing.T) {
	t.Parallel()
	self := func(v string) debug.Module { return debug.Module{Path: modulePath, Version: v} }
	dep := self("v1.4.0")
	replaced := self("v1.4.0")
	replaced.Replace = &debug.Module{Path: "example.com/fork", Version: "v1.4.1-fork"}
	local := self("v1.4.0")
	local.Replace = &debug.Module{Path: "../autoidentity"}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "FALLBACK"},
		{"go install @tag", &debug.BuildInfo{Main: self("v1.2.3")}, "v1.2.3"},
		{"go build in a checkout", &debug.BuildInfo{Main: self("v0.1.1-0.20260101000000-0123456789ab+dirty")}, "v0.1.1-0.20260101000000-0123456789ab+dirty"},
		{"no version recorded", &debug.BuildInfo{Main: self("")}, "FALLBACK"},
		{"devel", &debug.BuildInfo{Main: self("(devel)")}, "FALLBACK"},
		{"a dependency of another main module", &debug.BuildInfo{Main: debug.Module{Path: "example.com/tool", Version: "v9.0.0"},
			Deps: []*debug.Module{{Path: "example.com/other", Version: "v2.0.0"}, &dep}}, "v1.4.0"},
		{"a replaced dependency", &debug.BuildInfo{Main: debug.Module{Path: "example.com/tool"}, Deps: []*debug.Module{&replaced}}, "v1.4.1-fork"},
		{"a dependency replaced by a directory", &debug.BuildInfo{Main: debug.Module{Path: "example.com/tool"}, Deps: []*debug.Module{&local}}, "FALLBACK"},
		{"not in the build", &debug.BuildInfo{Main: debug.Module{Path: "example.com/tool", Version: "v9.0.0"}}, "FALLBACK"},
	} {
		if got := moduleVersion(tc.bi, "FALLBACK"); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
