package autherrors

import (
	"flag"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README code table")

const (
	readmePath  = "../README.md"
	codesBegin  = "<!-- codes:begin -->"
	codesEnd    = "<!-- codes:end -->"
	readmeStart = "## Diagnostic codes\n\n"
)

// codesMarkdown renders the README table from the catalog.
func codesMarkdown() string {
	byCode := map[Code][]int{}
	for _, e := range catalog {
		byCode[e.code] = append(byCode[e.code], e.num)
		for _, v := range e.variants {
			byCode[v.code] = append(byCode[v.code], e.num)
		}
	}
	var b strings.Builder
	b.WriteString("| Code | Meaning | AADSTS codes | Fix |\n|---|---|---|---|\n")
	for _, c := range codeTable {
		nums := byCode[c.code]
		sort.Ints(nums)
		var ids []string
		for i, n := range nums {
			if i == 0 || nums[i-1] != n {
				ids = append(ids, strconv.Itoa(n))
			}
		}
		cell := strings.Join(ids, ", ")
		if cell == "" {
			cell = "—"
		}
		b.WriteString("| `" + string(c.code) + "` | " + md(c.summary) + " | " + cell + " | " + md(c.remedy) + " |\n")
	}
	b.WriteString("\nGenerated from the catalog in errors/ by `go test ./errors -update`; meanings follow Microsoft's\n[AADSTS error code reference](" + docsErrorCodes + ").\n")
	return b.String()
}

func md(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func TestREADMECodeTable(t *testing.T) {
	want := codesBegin + "\n" + codesMarkdown() + codesEnd
	b, err := os.ReadFile(readmePath)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, codesBegin), strings.Index(s, codesEnd)
	if i >= 0 && j > i {
		if got := s[i : j+len(codesEnd)]; got == want {
			return
		}
		if !*update {
			t.Fatalf("README.md code table is out of date with the catalog; run: go test ./errors -update")
		}
		s = s[:i] + want + s[j+len(codesEnd):]
	} else {
		if !*update {
			t.Fatalf("README.md has no %s … %s section; run: go test ./errors -update", codesBegin, codesEnd)
		}
		if s == "" {
			s = readmeStart + want + "\n"
		} else {
			s = strings.TrimRight(s, "\n") + "\n\n" + readmeStart + want + "\n"
		}
	}
	if err := os.WriteFile(readmePath, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Every code in code.go has a table row, and every catalog entry is sourced.
func TestCatalogComplete(t *testing.T) {
	t.Parallel()
	if len(catalog) < 40 {
		t.Fatalf("catalog has %d AADSTS codes, want at least 40", len(catalog))
	}
	for _, e := range catalog {
		if e.name == "" || e.summary == "" {
			t.Errorf("AADSTS%d: missing name or summary", e.num)
		}
		if _, ok := codeIndex[e.code]; !ok {
			t.Errorf("AADSTS%d: code %q has no table row", e.num, e.code)
		}
	}
}
