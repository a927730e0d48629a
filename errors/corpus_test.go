package autherrors_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// corpusEntry is one real error text: where it was published and the code
// it must classify as. AADSTS is the innermost Entra code a person would act
// on, without its "AADSTS" prefix ("" when the text carries none). New marks
// a text added for issue #14 that the classifier is not yet tuned for: the
// tuner drops the flag once the text classifies correctly.
type corpusEntry struct {
	Code     autherrors.Code `json:"code"`
	Source   string          `json:"source"`
	Text     string          `json:"text"`
	AADSTS   string          `json:"aadsts"`
	Producer string          `json:"producer"`
	Topic    string          `json:"topic"`
	New      bool            `json:"new"`
}

func loadCorpus(t testing.TB) []corpusEntry {
	t.Helper()
	b, err := os.ReadFile("testdata/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	var c []corpusEntry
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("testdata/corpus.json: %v", err)
	}
	return c
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	corpus := loadCorpus(t)
	if len(corpus) < 80 {
		t.Fatalf("corpus has %d texts, want at least 80", len(corpus))
	}
	perCode := map[autherrors.Code]int{}
	for _, e := range corpus {
		perCode[e.Code]++
		if e.Source == "" {
			t.Errorf("corpus entry for %s has no source", e.Code)
		}
	}
	for code, n := range perCode {
		if n < 3 {
			t.Errorf("corpus has %d texts for %s, want at least 3", n, code)
		}
	}
	for i, e := range corpus {
		t.Run(string(e.Code)+"/"+itoa(i), func(t *testing.T) {
			t.Parallel()
			d := autherrors.Parse(e.Text)
			if d == nil {
				t.Fatal("Parse returned nil")
			}
			// Untuned texts are measured by TestAccuracy, not required here.
			if !e.New && d.Code != e.Code {
				t.Fatalf("Parse = %s (%s), want %s\nsource: %s\ntext: %.300s", d.Code, d.AADSTS, e.Code, e.Source, e.Text)
			}
			if !strings.HasPrefix(d.Error(), "autoidentity: "+string(d.Code)+": ") {
				t.Errorf("Error() = %q", d.Error())
			}
			if d.Summary == "" || d.Remedy == "" || !strings.HasPrefix(d.Docs, "https://") {
				t.Errorf("incomplete diagnostic: %+v", d)
			}
		})
	}
}

// Texts that are not authentication failures must never read as MFA.
func TestNotMisfiledAsMFA(t *testing.T) {
	t.Parallel()
	for _, e := range loadCorpus(t) {
		if e.New {
			continue // untuned: TestAccuracy reports it
		}
		switch e.Code {
		case autherrors.ErrAuthorizationFailed, autherrors.ErrNetwork, autherrors.ErrTokenCacheUnavailable,
			autherrors.ErrDeviceComplianceRequired, autherrors.ErrAccountNotInTenant, autherrors.ErrConditionalAccessBlocked:
			if d := autherrors.Parse(e.Text); d.Code == autherrors.ErrMFARequired {
				t.Errorf("%s text misfiled as MFA: %.200s", e.Code, e.Text)
			}
		}
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
