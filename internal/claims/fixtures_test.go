package claims

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixtures encodes every real claim set under testdata (see
// testdata/README.md for sources) as a JWT: each app/ set must pass
// AppOnly, each user/ set must fail it and report IsUser.
func TestFixtures(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"app", "user"} {
		files, err := filepath.Glob(filepath.Join("testdata", kind, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) < 10 {
			t.Errorf("testdata/%s holds %d claim sets, want at least 10", kind, len(files))
		}
		for _, file := range files {
			t.Run(kind+"/"+strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
				t.Parallel()
				raw, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				var payload bytes.Buffer
				if err := json.Compact(&payload, raw); err != nil {
					t.Fatal(err)
				}
				c, err := Parse(jwt(payload.String()))
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				err = c.AppOnly()
				if kind == "app" {
					if err != nil || c.IsUser() {
						t.Errorf("an app-only token: AppOnly = %v, IsUser = %v", err, c.IsUser())
					}
					return
				}
				if !errors.Is(err, ErrNotAppOnly) || !c.IsUser() {
					t.Errorf("a user token: AppOnly = %v, IsUser = %v", err, c.IsUser())
				}
			})
		}
	}
}
