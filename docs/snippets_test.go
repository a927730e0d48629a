package docs_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goBlock is a fenced Go code block; one that starts with "package main"
// is a complete program.
var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// programs returns the complete Go programs in the Markdown pages, by name.
func programs(t *testing.T) map[string]string {
	t.Helper()
	pages, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range pages {
		for i, m := range goBlock.FindAllStringSubmatch(read(t, p), -1) {
			if strings.HasPrefix(m[1], "package main\n") {
				out[fmt.Sprintf("%s_%d", strings.TrimSuffix(p, ".md"), i)] = m[1]
			}
		}
	}
	return out
}

// compile builds programs as packages of this module (through a build
// overlay, so nothing is written into the repository) and returns go
// build's output and error. It never reaches the network (GOPROXY=off).
func compile(t *testing.T, progs map[string]string) (string, error) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	overlay := map[string]map[string]string{"Replace": {}}
	var pkgs []string
	for name, src := range progs {
		file := filepath.Join(tmp, name+".go")
		if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		dir := "snippet_" + strings.ReplaceAll(name, "-", "_")
		overlay["Replace"][filepath.Join(root, "docs", dir, "main.go")] = file
		pkgs = append(pkgs, "./docs/"+dir)
	}
	b, err := json.Marshal(overlay)
	if err != nil {
		t.Fatal(err)
	}
	ovl := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ovl, b, 0o600); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(tmp, "bin") + string(filepath.Separator)
	cmd := exec.Command(goTool, append([]string{"build", "-o", bin, "-overlay", ovl}, pkgs...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Every complete program in the pages compiles against this module's API.
func TestProgramsCompile(t *testing.T) {
	t.Parallel()
	progs := programs(t)
	if len(progs) < 2 {
		t.Fatalf("found %d complete programs in docs/*.md, want at least 2 (migrating-from-password.md has two)", len(progs))
	}
	if out, err := compile(t, progs); err != nil {
		t.Errorf("go build of the programs in docs/*.md: %v\n%s", err, out)
	}
}

// The check can fail: a program that calls an API that does not exist is
// rejected.
func TestProgramsCompileRejectsBrokenProgram(t *testing.T) {
	t.Parallel()
	broken := "package main\n\nimport \"github.com/autoidentity/autoidentity/credential\"\n\nfunc main() { credential.NewDefault() }\n"
	out, err := compile(t, map[string]string{"broken": broken})
	if err == nil || !strings.Contains(out, "NewDefault") {
		t.Errorf("go build accepted a broken program: %v\n%s", err, out)
	}
}
