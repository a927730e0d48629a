package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

// cliChild makes the test binary run main with the arguments it holds (a
// JSON array), so tests can exercise the real process: signals, exit codes,
// GODEBUG settings and all.
const cliChild = "AUTOIDENTITY_CLI_CHILD_ARGS"

func TestCLIChild(t *testing.T) {
	args := os.Getenv(cliChild)
	if args == "" {
		return
	}
	var a []string
	if err := json.Unmarshal([]byte(args), &a); err != nil {
		t.Fatal(err)
	}
	os.Args = append([]string{"autoidentity"}, a...)
	main()
}

// cliCommand is the CLI as a child process with args, a minimal
// environment (the runner's AZURE_* or CI variables must not change what
// the child decides) and env (KEY=VALUE) added to it.
func cliCommand(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	j, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCLIChild$", "-test.count=1")
	for _, k := range [...]string{"PATH", "HOME", "TMPDIR", "GORACE", "GOCOVERDIR", "SYSTEMROOT"} {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	cmd.Env = append(append(cmd.Env, env...), cliChild+"="+string(j))
	return cmd
}
