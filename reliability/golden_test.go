package reliability

import (
	"os"
	"strings"
	"testing"
)

// reliabilityDoc is the document whose generated sections the tests check.
const reliabilityDoc = "../RELIABILITY.md"

// checkGenerated compares the section of RELIABILITY.md between
// <!-- BEGIN name --> and <!-- END name --> with want, or rewrites it with
// -update. Only a complete run (no -run filter narrowing the section) may
// update it; a failed test never does.
func checkGenerated(t *testing.T, name, want string) {
	t.Helper()
	if t.Failed() && *update {
		t.Logf("not updating %s: the test failed", name)
		return
	}
	data, err := os.ReadFile(reliabilityDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	begin, end := "<!-- BEGIN "+name+" -->\n", "<!-- END "+name+" -->"
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q section", reliabilityDoc, begin, end)
	}
	got := doc[i+len(begin) : j]
	if got == want {
		return
	}
	if *update {
		doc = doc[:i+len(begin)] + want + doc[j:]
		if err := os.WriteFile(reliabilityDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated the %s section of %s", name, reliabilityDoc)
		return
	}
	t.Errorf("the %s section of %s is out of date; rerun with -update and review the diff.\n--- have\n%s\n--- want\n%s", name, reliabilityDoc, got, want)
}
