package claims_test

import (
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/autoidentity/autoidentity/internal/claims"
)

// token encodes a payload as a compact JWS with a placeholder signature.
func token(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"typ":"JWT","alg":"RS256"}`)) + "." + enc([]byte(payload)) + "." + enc([]byte("signature"))
}

// A user token that claims idtyp "app" is still a user token: AppOnly
// weighs every claim, and says why it refuses.
func ExampleClaims_AppOnly() {
	for _, payload := range []string{
		`{"aud":"https://management.azure.com/","appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","appidacr":"0","idtyp":"app",` +
			`"oid":"0a1b2c3d-0000-4000-8000-000000000001","sub":"l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA","scp":"user_impersonation","upn":"alice@contoso.example"}`,
		`{"aud":"https://management.azure.com/","appid":"9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b","appidacr":"2",` +
			`"oid":"0a1b2c3d-0000-4000-8000-000000000002","sub":"0a1b2c3d-0000-4000-8000-000000000002"}`,
	} {
		c, err := claims.Parse(token(payload))
		if err != nil {
			fmt.Println(err)
			continue
		}
		err = c.AppOnly()
		fmt.Println(errors.Is(err, claims.ErrNotAppOnly), err)
	}
	// Output:
	// true claims: not proven app-only: it carries user claims: scp (a delegated scope), upn (a user principal name); appidacr is "0", a public client, which only signs users in; sub and oid differ, as in a user token (an app-only token's sub is its own object ID)
	// false <nil>
}

// Parse tells an opaque token, whose claims cannot be read, from a
// malformed one, which is never to be accepted.
func ExampleParse() {
	for _, in := range []string{"EwBwA8l6BAAUO9chh8cJscQ", "a.b.c.d"} {
		_, err := claims.Parse(in)
		fmt.Println(errors.Is(err, claims.ErrNotJWT), errors.Is(err, claims.ErrOpaque))
	}
	// Output:
	// true true
	// true false
}
