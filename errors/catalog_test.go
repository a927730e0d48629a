package autherrors

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestCatalogEntries checks every entry's shape: the catalog is Microsoft's
// whole table (more than 300 codes) plus the special entries, each number
// once, each entry named and summarised in one sentence, its codes ones the
// README documents, and its source the table or a public URL.
func TestCatalogEntries(t *testing.T) {
	t.Parallel()
	if len(catalog) < 250 {
		t.Fatalf("catalog has %d AADSTS codes, want at least 250 (Microsoft's table has more than 300)", len(catalog))
	}
	if len(catalogIndex) != len(catalog) {
		t.Fatalf("catalogIndex has %d codes, catalog %d", len(catalogIndex), len(catalog))
	}
	seen := map[int]bool{}
	for _, e := range catalog {
		id := "AADSTS" + strconv.Itoa(e.num)
		if seen[e.num] {
			t.Errorf("%s: listed twice", id)
		}
		seen[e.num] = true
		if e.num < 10000 || e.num > 99999999 {
			t.Errorf("%s: not a 5 to 8 digit code, which Parse cannot read", id)
		}
		if catalogIndex[e.num] == nil || catalogIndex[e.num].name != e.name {
			t.Errorf("%s: catalogIndex does not find the entry", id)
		}
		if e.name == "" || strings.ContainsAny(e.name, " -.'") {
			t.Errorf("%s: name %q, want Microsoft's one-word name", id, e.name)
		}
		checkSentence(t, id+" summary", e.summary)
		if e.remedy != "" {
			checkSentence(t, id+" remedy", e.remedy)
		}
		if _, ok := codeIndex[e.code]; !ok {
			t.Errorf("%s: code %q is not in code.go's table", id, e.code)
		}
		for _, v := range e.variants {
			if _, ok := codeIndex[v.code]; !ok {
				t.Errorf("%s variant %q: code %q is not in code.go's table", id, v.contains, v.code)
			}
			if v.contains != asciiLower(v.contains) {
				t.Errorf("%s variant %q: not lower case, so it never matches", id, v.contains)
			}
			checkSentence(t, id+" variant summary", v.summary)
			if v.remedy != "" {
				checkSentence(t, id+" variant remedy", v.remedy)
			}
		}
		if e.source != "" && !strings.HasPrefix(e.source, "https://") {
			t.Errorf("%s: source %q, want \"\" (the learn.microsoft.com table) or a URL", id, e.source)
		}
	}
}

// checkSentence fails on an empty text, a text that is not one sentence
// (it ends with a period and has no sentence break inside), one that kept
// a {placeholder} from Microsoft's table, and one that [Redact] would
// change ("secret: no…" reads as a secret's value), since every Diagnostic
// field passes through it.
func checkSentence(t *testing.T, what, s string) {
	t.Helper()
	switch {
	case s == "":
		t.Errorf("%s is empty", what)
	case Redact(s) != s:
		t.Errorf("%s %q is masked by Redact: %q", what, s, Redact(s))
	case !strings.HasSuffix(s, "."):
		t.Errorf("%s %q does not end with a period", what, s)
	case strings.Contains(strings.TrimSuffix(s, "."), ". "):
		t.Errorf("%s %q is more than one sentence", what, s)
	case strings.ContainsAny(s, "{}"):
		t.Errorf("%s %q keeps a placeholder", what, s)
	}
}

// TestCatalogFiles keeps the split between the files: catalog_table.go is
// Microsoft's table in ascending order with no entry of its own source or
// variants; catalog.go's special entries each have one or the other.
func TestCatalogFiles(t *testing.T) {
	t.Parallel()
	if !slices.IsSortedFunc(tableEntries, func(a, b aadstsEntry) int { return a.num - b.num }) {
		t.Error("tableEntries is not in ascending order")
	}
	for _, e := range tableEntries {
		if e.source != "" || len(e.variants) > 0 {
			t.Errorf("AADSTS%d: a table entry with a source or variants belongs in specialEntries", e.num)
		}
	}
	for _, e := range specialEntries {
		if e.source == "" && len(e.variants) == 0 {
			t.Errorf("AADSTS%d: a special entry with neither source nor variants belongs in tableEntries", e.num)
		}
	}
}

// TestCatalogMeanings spot-checks meanings by number, through Parse, so
// that the index and the code choice are both tested.
func TestCatalogMeanings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		num  int
		want Code
	}{
		{50076, ErrMFARequired},                 // UserStrongAuthClientAuthNRequired
		{50079, ErrMFARequired},                 // UserStrongAuthEnrollmentRequired
		{50058, ErrMFARequired},                 // no session and prompt=none: interaction
		{7000215, ErrInvalidClientSecret},       // the secret's ID instead of its value
		{7000222, ErrClientSecretExpired},       // expired secret
		{700016, ErrApplicationNotFound},        // unknown client ID in the tenant
		{650059, ErrApplicationNotFound},        // single-tenant app used elsewhere
		{90002, ErrTenantNotFound},              // unknown tenant
		{50128, ErrTenantNotFound},              // a domain no tenant has
		{53003, ErrConditionalAccessBlocked},    // BlockedByConditionalAccess
		{70043, ErrConditionalAccessBlocked},    // sign-in frequency ended the session
		{500021, ErrConditionalAccessBlocked},   // tenant restrictions
		{53000, ErrDeviceComplianceRequired},    // DeviceNotCompliant
		{530003, ErrDeviceComplianceRequired},   // device must be managed
		{50126, ErrInvalidCredentials},          // wrong password
		{50173, ErrInvalidCredentials},          // grant revoked after a password change
		{500571, ErrInvalidCredentials},         // disabled guest, as 50057 a disabled user
		{50034, ErrAccountNotInTenant},          // user not in the directory
		{90072, ErrAccountNotInTenant},          // external account not in the tenant
		{70008, ErrUserIdentityRefused},         // a user's refresh token expired
		{70021, ErrFederatedIdentityMismatch},   // no matching federated credential
		{7002137, ErrFederatedIdentityMismatch}, // subject matches no federated credential
		{700024, ErrFederatedTokenExpired},      // client assertion outside its time range
		{500133, ErrFederatedTokenExpired},      // user assertion outside its time range
		{700027, ErrCertificateInvalid},         // assertion signature
		{700030, ErrCertificateInvalid},         // certificate subject not authorized
		{500011, ErrResourceNotFound},           // resource principal not in the tenant
		{65001, ErrConsentRequired},             // no consent
		{90055, ErrThrottled},                   // tenant throttling
		{50196, ErrThrottled},                   // client loop
		{90033, ErrServiceUnavailable},          // MSODS unavailable
		{50000, ErrServiceUnavailable},          // TokenIssuanceError
		{50105, ErrAuthorizationFailed},         // identity not assigned to the app
		{1002012, ErrResourceNotFound},          // client credentials scope without /.default
		{70023, ErrInvalidConfiguration},        // federated token lives over 25 hours
		{700023, ErrResourceNotFound},           // scope names no resource
		{50011, ErrInvalidConfiguration},        // reply URL mismatch
		{20001, ErrUnknown},                     // the user's federated IdP failed
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.num), func(t *testing.T) {
			t.Parallel()
			d := Parse("AADSTS" + strconv.Itoa(tc.num) + ": (text)")
			if d.Code != tc.want {
				t.Errorf("AADSTS%d: %s, want %s", tc.num, d.Code, tc.want)
			}
			if d.Summary != catalogIndex[tc.num].summary {
				t.Errorf("AADSTS%d: summary %q, want the catalog's", tc.num, d.Summary)
			}
		})
	}
}

// TestParseFindsEveryCatalogCode reads each code alone, as Entra's
// error_description and as its error_codes array: Parse must report the
// entry's number and code, never the "not in the catalog" diagnosis.
func TestParseFindsEveryCatalogCode(t *testing.T) {
	t.Parallel()
	for _, e := range catalog {
		n := strconv.Itoa(e.num)
		for _, text := range []string{
			"AADSTS" + n + ": Trace ID: 00000000-0000-0000-0000-000000000000",
			`{"error":"invalid_request","error_codes":[` + n + `]}`,
		} {
			d := Parse(text)
			if d.AADSTS != "AADSTS"+n || d.Code != e.code || d.Summary != e.summary {
				t.Errorf("Parse(%q) = %s %s %q, want AADSTS%s %s %q", text, d.AADSTS, d.Code, d.Summary, n, e.code, e.summary)
			}
		}
	}
}
