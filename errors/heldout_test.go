package autherrors_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// enforce turns TestAccuracy's measurement into a requirement. It is off
// while the classifier is untuned (issue #14); the tuner switches it on with
// go test ./errors/ -run TestAccuracy -corpus.enforce.
var enforce = flag.Bool("corpus.enforce", false, "fail TestAccuracy when an accuracy is below its threshold")

// The accuracies -corpus.enforce requires of each set.
const (
	wantCodeAccuracy   = 0.95
	wantAADSTSAccuracy = 1.0
	// minHeldOutShare is the least share of all texts the held-out set
	// must hold.
	minHeldOutShare = 0.30
)

// heldOut is testdata/heldout.json: texts kept out of tuning, split from
// testdata/corpus.json by source.
type heldOut struct {
	Frozen  string        `json:"frozen"`
	Note    string        `json:"note"`
	Entries []corpusEntry `json:"entries"`
}

// aadstsShape is the form of an expected AADSTS field: digits only, or "".
var aadstsShape = regexp.MustCompile(`^([0-9]{5,8})?$`)

// readStrict decodes path into v, refusing unknown fields and trailing data.
func readStrict(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if dec.More() {
		t.Fatalf("%s: data after the JSON value", path)
	}
}

// score is one set's measurement.
type score struct {
	n, codeOK, aadstsOK int
	misses              []string
}

func (s score) codeAccuracy() float64   { return ratio(s.codeOK, s.n) }
func (s score) aadstsAccuracy() float64 { return ratio(s.aadstsOK, s.n) }

func ratio(ok, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(ok) / float64(n)
}

// measure parses every text and compares the code and the AADSTS code with
// the expected ones.
func measure(entries []corpusEntry) score {
	var s score
	for _, e := range entries {
		s.n++
		d := autherrors.Parse(e.Text)
		var got autherrors.Code
		var gotAADSTS string
		if d != nil {
			got, gotAADSTS = d.Code, strings.TrimPrefix(d.AADSTS, "AADSTS")
		}
		codeOK, aadstsOK := got == e.Code, gotAADSTS == e.AADSTS
		if codeOK {
			s.codeOK++
		}
		if aadstsOK {
			s.aadstsOK++
		}
		if !codeOK || !aadstsOK {
			s.misses = append(s.misses, fmt.Sprintf("code want %s got %s; aadsts want %q got %q; %s; %s",
				e.Code, got, e.AADSTS, gotAADSTS, e.Producer, e.Source))
		}
	}
	return s
}

func TestAccuracy(t *testing.T) {
	t.Parallel()
	var dev []corpusEntry
	readStrict(t, "testdata/corpus.json", &dev)
	var held heldOut
	readStrict(t, "testdata/heldout.json", &held)
	if held.Frozen == "" {
		t.Error("testdata/heldout.json has no frozen note")
	}

	known := map[autherrors.Code]bool{}
	for _, c := range autherrors.Codes() {
		known[c] = true
	}
	sets := []struct {
		name    string
		entries []corpusEntry
	}{
		{"development", dev},
		{"held-out", held.Entries},
	}
	sourceSet := map[string]string{}
	for _, set := range sets {
		for i, e := range set.entries {
			if e.Source == "" || e.Code == "" || strings.TrimSpace(e.Text) == "" {
				t.Errorf("%s entry %d lacks a source, code or text: %+v", set.name, i, e)
			}
			if !known[e.Code] {
				t.Errorf("%s entry %d has unknown code %q (%s)", set.name, i, e.Code, e.Source)
			}
			if !aadstsShape.MatchString(e.AADSTS) {
				t.Errorf("%s entry %d: aadsts %q is not digits without the AADSTS prefix (%s)", set.name, i, e.AADSTS, e.Source)
			}
			if other, ok := sourceSet[e.Source]; ok && other != set.name {
				t.Errorf("source %s is in both the %s and the %s set", e.Source, other, set.name)
			}
			sourceSet[e.Source] = set.name
		}
	}
	total := len(dev) + len(held.Entries)
	if share := ratio(len(held.Entries), total); share < minHeldOutShare {
		t.Errorf("held-out set holds %d of %d texts (%.1f%%), want at least %.0f%%",
			len(held.Entries), total, 100*share, 100*minHeldOutShare)
	}

	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			t.Parallel()
			s := measure(set.entries)
			t.Logf("%s: %d texts, code accuracy %.1f%% (%d), AADSTS accuracy %.1f%% (%d)",
				set.name, s.n, 100*s.codeAccuracy(), s.codeOK, 100*s.aadstsAccuracy(), s.aadstsOK)
			if testing.Verbose() {
				sort.Strings(s.misses)
				for _, m := range s.misses {
					t.Logf("miss: %s", m)
				}
			}
			if !*enforce {
				return
			}
			if s.codeAccuracy() < wantCodeAccuracy {
				t.Errorf("code accuracy %.1f%%, want at least %.1f%%", 100*s.codeAccuracy(), 100*wantCodeAccuracy)
			}
			if s.aadstsAccuracy() < wantAADSTSAccuracy {
				t.Errorf("AADSTS accuracy %.1f%%, want at least %.1f%%", 100*s.aadstsAccuracy(), 100*wantAADSTSAccuracy)
			}
		})
	}
}
