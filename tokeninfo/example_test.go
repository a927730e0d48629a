package tokeninfo_test

import (
	"fmt"

	"github.com/autoidentity/autoidentity/tokeninfo"
)

func ExampleParse() {
	// An unsigned token for the example; a real one comes from
	// credential.GetToken.
	tok := jwt(`{"aud":"https://management.azure.com","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47",` +
		`"appid":"9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b","idtyp":"app","roles":["Reader"],"exp":1767229200}`)
	c, err := tokeninfo.Parse(tok)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Audience, c.TenantID, c.AppID, c.IdentityType, c.Roles, c.Expiry.UTC())
	_, err = tokeninfo.Parse("an-opaque-token")
	fmt.Println(err != nil)
	// Output:
	// [https://management.azure.com] 72f988bf-86f1-41af-91ab-2d7cd011db47 9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b app [Reader] 2026-01-01 01:00:00 +0000 UTC
	// true
}
