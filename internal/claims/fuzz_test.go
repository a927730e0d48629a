package claims

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds Parse arbitrary input: it must never panic, every error
// must wrap ErrNotJWT and never contain the input's payload, only input
// with no dot or four dots may be opaque, and a parsed token's times must be
// in range. The committed corpus is in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	hdr := enc(`{"alg":"RS256","typ":"JWT"}`)
	for _, payload := range []string{
		`{"aud":"https://management.azure.com","tid":"t","exp":1700000000,"idtyp":"app"}`,
		`{"aud":["a","b"],"exp":1.5e9,"nbf":0,"iat":1700000000.25}`,
		`{"scp":"user_impersonation","upn":"a@b"}`,
		`{"exp":-1}`, `{"exp":"soon"}`, `{"aud":7}`, `[]`, `null`, ``,
		`{"idtyp":"user","IDTYP":"app"}`, `{"ſcp":"x"}`, `{"idtyp":"app"}x`,
	} {
		f.Add(hdr + "." + enc(payload) + ".sig")
	}
	f.Add("a.b.c")
	f.Add("a.b.c.d.e")
	f.Add(enc(`{"alg":"dir","enc":"A256GCM"}`) + "..aXY.Y3Q.dGFn")
	f.Add(" \n" + hdr + "." + enc(`{}`) + ".c2ln\n")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := Parse(token)
		if err != nil {
			if !errors.Is(err, ErrNotJWT) {
				t.Fatalf("error %v does not wrap ErrNotJWT", err)
			}
			trimmed := strings.TrimSpace(token)
			if dots := strings.Count(trimmed, "."); errors.Is(err, ErrOpaque) && dots != 0 && dots != 4 {
				t.Fatalf("input with %d dots is called opaque: %v", dots, err)
			}
			parts := strings.Split(trimmed, ".")
			if len(parts) == 3 && len(parts[1]) >= 16 && strings.Contains(err.Error(), parts[1]) {
				t.Fatalf("error echoes the payload: %v", err)
			}
			return
		}
		for _, tm := range []time.Time{c.Expiry, c.NotBefore, c.IssuedAt} {
			if !tm.IsZero() && (tm.Year() < 1970 || tm.Year() > 40000) {
				t.Fatalf("time out of range: %v", tm)
			}
		}
		if c.IsUser() && c.AppOnly() == nil {
			t.Fatal("IsUser and AppOnly both accept the token")
		}
		_ = c.Expired(time.Now())
	})
}

// FuzzAppOnly encodes the fuzz input as a token's payload. Whenever Parse
// and AppOnly accept it, an independent, naive reading of the same JSON
// (encoding/json into a map, names lower-cased) must find no sign of a
// user: no user claim, idtyp "app" if present, appidacr and azpacr "1" or
// "2" if present, and sub equal to oid. The committed corpus, seeded with
// the attacks in TestParseRefuses and TestAppOnlyRefuses, is in
// testdata/fuzz/FuzzAppOnly.
func FuzzAppOnly(f *testing.F) {
	for _, seed := range appOnlySeeds {
		f.Add([]byte(seed))
	}
	f.Add([]byte(appPayload))
	hdr := enc(header) + "."
	f.Fuzz(func(t *testing.T, payload []byte) {
		c, err := Parse(hdr + base64.RawURLEncoding.EncodeToString(payload) + ".c2ln")
		if err != nil {
			if !errors.Is(err, ErrNotJWT) || errors.Is(err, ErrOpaque) {
				t.Fatalf("a three-part token: %v", err)
			}
			return
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(payload))
		dec.UseNumber() // an ignored claim may hold a number no float64 holds
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("Parse accepted a payload encoding/json refuses: %v", err)
		}
		if c.AppOnly() != nil {
			return
		}
		if why := naiveUserSign(m); why != "" {
			t.Fatalf("AppOnly accepted a payload with %s", why)
		}
		if c.IsUser() {
			t.Fatal("AppOnly accepted a token IsUser flags")
		}
	})
}

// naiveUserSign is the fuzz oracle, written apart from the code it checks:
// names are lower-cased (with ſ and ı mapped too) and compared to a list
// typed out here.
func naiveUserSign(m map[string]any) string {
	lower := strings.NewReplacer("ſ", "s", "ı", "i")
	users := strings.Fields(`scp upn unique_name preferred_username name given_name family_name nickname email
		verified_primary_email verified_secondary_email xms_edov amr acr auth_time sid login_hint acct ctry xms_pl
		ipaddr in_corp onprem_sid pwd_exp pwd_url hasgroups`)
	for k, v := range m {
		k = lower.Replace(strings.ToLower(k))
		switch {
		case contains(users, k):
			return "the user claim " + k
		case k == "idtyp" && v != "app":
			return "an idtyp other than app"
		case (k == "appidacr" || k == "azpacr") && v != "1" && v != "2":
			return k + " other than 1 or 2"
		}
	}
	if sub, ok := m["sub"].(string); !ok || sub == "" || sub != m["oid"] {
		return "sub missing or unequal to oid"
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// appOnlySeeds are the payload attacks from the regression tests.
var appOnlySeeds = []string{
	`{"idtyp":"app","scp":"user_impersonation","upn":"a@b","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","appid":"a"}`,
	`{"idtyp":"device","scp":"x","upn":"a@b","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","appid":"a"}`,
	`{"idtyp":"User","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","appid":"a"}`,
	`{"idtyp":"user","IDTYP":"app","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","appid":"a"}`,
	`{"idtyp":"user","\u0069dtyp":"app","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","appid":"a"}`,
	`{"ıdtyp":"user","idtyp":"app","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","appid":"a"}`,
	`{"ſcp":"x","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","appid":"a"}`,
	`{"preferred_username":"p","name":"n","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","azp":"a","ver":"2.0"}`,
	`{"appidacr":"0","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","appid":"a"}`,
	`{"roles":"Data.Read","oid":"11111111-2222-3333-4444-555555555555","sub":"11111111-2222-3333-4444-555555555555","appid":"a"}`,
	`{"aud":7,"scp":["x"],"upn":7,"exp":-1,"nbf":"soon"}`,
	`{"exp":1099511627777}`,
	`[{"idtyp":"app"}]`,
	`{"idtyp":"app"}{"scp":"x"}`,
	`{"oid":"11111111-2222-3333-4444-555555555555","sub":"other","appid":"a"}`,
}
