package claims

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds Parse arbitrary input: it must never panic, every error
// must wrap ErrNotJWT and never contain the input's payload, and a parsed
// token's times must be in range. The committed corpus is in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	hdr := enc(`{"alg":"RS256","typ":"JWT"}`)
	for _, payload := range []string{
		`{"aud":"https://management.azure.com","tid":"t","exp":1700000000,"idtyp":"app"}`,
		`{"aud":["a","b"],"exp":1.5e9,"nbf":0,"iat":1700000000.25}`,
		`{"scp":"user_impersonation","upn":"a@b"}`,
		`{"exp":-1}`, `{"exp":"soon"}`, `{"aud":7}`, `[]`, `null`, ``,
	} {
		f.Add(hdr + "." + enc(payload) + ".sig")
	}
	f.Add("a.b.c")
	f.Add("a.b.c.d.e")
	f.Add(" \n" + hdr + "." + enc(`{}`) + ".\n")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := Parse(token)
		if err != nil {
			if !errors.Is(err, ErrNotJWT) {
				t.Fatalf("error %v does not wrap ErrNotJWT", err)
			}
			parts := strings.Split(strings.TrimSpace(token), ".")
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
		_ = c.IsUser()
		_ = c.Expired(time.Now())
	})
}
