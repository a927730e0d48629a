package detect

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzDetect feeds random environments (KEY=VALUE lines) and a random token
// file: Detect must not panic and no rendering may contain a secret. Every
// secret variable's value is prefixed with a marker that appears nowhere
// else, so finding the marker means a secret leaked.
func FuzzDetect(f *testing.F) {
	f.Add("AZURE_TENANT_ID="+tenant+"\nAZURE_CLIENT_ID="+client+"\nAZURE_CLIENT_SECRET=x", []byte(""))
	f.Add("AZURE_TENANT_ID=common\nAZURE_CLIENT_ID=x\nAZURE_FEDERATED_TOKEN_FILE=/t\nKUBERNETES_SERVICE_HOST=1", []byte(saToken))
	f.Add("IDENTITY_ENDPOINT=http://x\nIDENTITY_HEADER=h\nAZURE_CLIENT_ID=\n", []byte(nil))
	f.Add("MSI_ENDPOINT=http://x\nMSI_SECRET=s\nDEFAULT_IDENTITY_CLIENT_ID=clientid\nAZURE_TOKEN_CREDENTIALS=dev", []byte(nil))
	f.Add("GITHUB_ACTIONS=true\nACTIONS_ID_TOKEN_REQUEST_TOKEN=t\nAZURE_PASSWORD=p\nAZURE_AUTHORITY_HOST=http://h", []byte("a.b.c"))
	f.Fuzz(func(t *testing.T, envText string, token []byte) {
		const marker = "LEAK"
		secret := map[string]bool{}
		for _, n := range secretNames {
			secret[n] = true
		}
		m := map[string]string{}
		for line := range strings.SplitSeq(envText, "\n") {
			k, v, _ := strings.Cut(line, "=")
			k, v = scrub(k, marker), scrub(v, marker)
			if secret[k] {
				v = marker + v
			}
			m[k] = v
		}
		opts := testOptions(fstest.MapFS{"t": {Data: []byte(scrub(string(token), marker))}})
		r := Detect(MapEnv(m), opts)
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{r.String(), string(j)} {
			if strings.Contains(out, marker) {
				t.Fatalf("a secret leaked:\n%s", out)
			}
		}
		if r.Kind == "" || r.Evidence == nil || r.Warnings == nil {
			t.Fatalf("malformed result %+v", r)
		}
	})
}

// scrub removes the marker from fuzzed text so only secrets carry it.
func scrub(s, marker string) string {
	for strings.Contains(s, marker) {
		s = strings.ReplaceAll(s, marker, "")
	}
	return s
}
