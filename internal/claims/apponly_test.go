package claims

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

// variant returns appPayload with claims set (a nil value deletes one).
func variant(t testing.TB, set map[string]any) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(appPayload), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range set {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// v2App is a v2 client-credentials token: azp and azpacr, no appid, no
// idtyp (Entra emits idtyp only when the resource asks for it).
func v2App(t testing.TB, set map[string]any) string {
	base := map[string]any{"appid": nil, "appidacr": nil, "idtyp": nil, "xms_mirid": nil, "idp": nil, "ver": "2.0",
		"azp": "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b", "azpacr": "1"}
	maps.Copy(base, set)
	return variant(t, base)
}

// TestAppOnlyRefuses holds one regression test per way a token that is not
// app-only reached callers, and the rest of the rule. Each payload parses;
// AppOnly must refuse it with ErrNotAppOnly and a message saying want.
func TestAppOnlyRefuses(t *testing.T) {
	t.Parallel()
	type tc struct{ name, payload, want string }
	cases := []tc{
		{"idtyp_app_with_scp_and_upn", variant(t, map[string]any{"scp": "user_impersonation", "upn": "a@contoso.example"}),
			"it carries user claims: scp (a delegated scope), upn (a user principal name)"},
		{"idtyp_device_with_scp_and_upn", variant(t, map[string]any{"idtyp": "device", "scp": "x", "upn": "a@contoso.example"}),
			`idtyp is "device", not "app"`},
		{"idtyp_user_capitalised", variant(t, map[string]any{"idtyp": "User"}), `idtyp is an undocumented value, not "app"`},
		{"idtyp_user", variant(t, map[string]any{"idtyp": "user"}), `idtyp is "user"`},
		{"idtyp_empty", variant(t, map[string]any{"idtyp": ""}), "idtyp is empty"},
		{"idtyp_app_padded", variant(t, map[string]any{"idtyp": "app "}), "idtyp is an undocumented value"},
		{"v2_preferred_username_only", v2App(t, map[string]any{"preferred_username": "a@contoso.example"}), "preferred_username (a user name)"},
		{"v2_name_only", v2App(t, map[string]any{"name": "Alice"}), "name (a display name)"},
		{"v2_id_token_shape", `{"ver":"2.0","iss":"https://login.microsoftonline.com/t/v2.0","sub":"AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",` +
			`"aud":"6cb04018-a3f5-46a7-b995-940c78f5aef3","exp":1536361411,"name":"N","preferred_username":"p","oid":"00000000-0000-0000-66f3-3332eca7ea81","nonce":"1"}`,
			"sub and oid differ"},
		{"appidacr_0_public_client", variant(t, map[string]any{"appidacr": "0"}), `appidacr is "0", a public client`},
		{"azpacr_0_public_client", v2App(t, map[string]any{"azpacr": "0"}), `azpacr is "0", a public client`},
		{"appidacr_undocumented", variant(t, map[string]any{"appidacr": "3"}), `appidacr is an undocumented value, not "1" or "2"`},
		{"appidacr_empty", variant(t, map[string]any{"appidacr": ""}), "appidacr is empty"},
		{"sub_differs_from_oid", variant(t, map[string]any{"sub": "l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA"}), "sub and oid differ, as in a user token"},
		{"sub_missing", variant(t, map[string]any{"sub": nil}), "lacks oid or sub"},
		{"oid_missing", variant(t, map[string]any{"oid": nil}), "lacks oid or sub"},
		{"oid_and_sub_empty", variant(t, map[string]any{"oid": "", "sub": ""}), "lacks oid or sub"},
		{"oid_not_guid", variant(t, map[string]any{"oid": "service", "sub": "service"}), "oid is not a GUID"},
		{"no_client", variant(t, map[string]any{"appid": nil}), "names no client application"},
		{"scp_empty_string", variant(t, map[string]any{"scp": ""}), "scp (a delegated scope)"},
		// Entra-issued assertions for api://AzureADTokenExchange (Azure
		// DevOps workload identity federation, Entra Agent ID) carry
		// idtyp app with a path-shaped sub; not an access token for a
		// resource, and not provably app-only by the documented rule.
		{"federation_assertion_eid1_subject", v2App(t, map[string]any{"aud": "fb60f99c-7a34-4190-8149-302f77469936", "azpacr": "2", "idtyp": "app",
			"sub": "/eid1/c/pub/t/MiSI_7AJe0O9IsoTwAN97Q/a/rISbSSETf0KqFyZ8ppdXmA/sc/0ca3ddd9-f0b0-4635-a98c-5866526961b6/64171687-7a59-4fce-b2c8-823278dcf176"}),
			"sub and oid differ"},
	}
	// Every user claim refuses on its own, whatever its (valid) value.
	for n := range userClaims {
		var v any = "x"
		switch {
		case n == "amr":
			v = []string{"pwd"}
		case !slices.Contains(stringClaims, n):
			v = true
		}
		cases = append(cases, tc{"user_claim_" + n, variant(t, map[string]any{n: v}), n + " ("})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse(jwt(tc.payload))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = c.AppOnly()
			if !errors.Is(err, ErrNotAppOnly) {
				t.Fatalf("AppOnly = %v, want ErrNotAppOnly", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("AppOnly error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestAppOnlyAccepts(t *testing.T) {
	t.Parallel()
	for name, payload := range map[string]string{
		"managed_identity_v1":        appPayload,
		"without_idtyp":              variant(t, map[string]any{"idtyp": nil}),
		"without_appidacr":           variant(t, map[string]any{"appidacr": nil}),
		"secret_appidacr_1":          variant(t, map[string]any{"appidacr": "1"}),
		"with_roles_wids_groups":     variant(t, map[string]any{"roles": []string{"Mail.Read"}, "wids": []string{"0997a1d0-0d1d-4acb-b408-d5ca73121e90"}, "groups": []string{"g"}}),
		"client_credentials_v2":      v2App(t, nil),
		"upper_case_guid_oid_eq_sub": variant(t, map[string]any{"oid": "ABCDEF12-2222-3333-4444-555555555555", "sub": "ABCDEF12-2222-3333-4444-555555555555"}),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse(jwt(payload))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.AppOnly(); err != nil {
				t.Error(err)
			}
			if c.IsUser() {
				t.Error("IsUser = true")
			}
		})
	}
}

func TestAppOnlyNil(t *testing.T) {
	t.Parallel()
	var c *Claims
	if err := c.AppOnly(); !errors.Is(err, ErrNotAppOnly) {
		t.Errorf("nil Claims: AppOnly = %v", err)
	}
	if err := (&Claims{}).AppOnly(); !errors.Is(err, ErrNotAppOnly) {
		t.Errorf("zero Claims: AppOnly = %v", err)
	}
}

// TestErrorsNeverQuoteToken places a canary wherever a token can carry
// text and checks that no error from Parse or AppOnly repeats it, nor any
// part of the token.
func TestErrorsNeverQuoteToken(t *testing.T) {
	t.Parallel()
	const canary = "CANARY-s3cr3t"
	withHeader := func(h, p string) string { return enc(h) + "." + enc(p) + "." + enc("signature") }
	for name, in := range map[string]string{
		"opaque":             canary,
		"two_parts":          canary + "." + canary,
		"four_parts":         canary + "." + canary + "." + canary + "." + canary,
		"not_base64":         enc(header) + "." + canary + "!." + enc("s"),
		"not_json":           enc(header) + "." + enc(canary) + "." + enc("s"),
		"json_array":         jwt(`["` + canary + `"]`),
		"header_alg_number":  withHeader(`{"alg":1,"`+canary+`":"x"}`, `{}`),
		"header_duplicate":   withHeader(`{"alg":"RS256","`+canary+`":1,"`+strings.ToLower(canary)+`":2}`, `{}`),
		"duplicate_unknown":  jwt(`{"` + canary + `":1,"` + strings.ToLower(canary) + `":2}`),
		"exp_string":         jwt(`{"exp":"` + canary + `"}`),
		"aud_object":         jwt(`{"aud":{"` + canary + `":1}}`),
		"roles_with_number":  jwt(`{"roles":["` + canary + `",1]}`),
		"invalid_json":       jwt(`{"` + canary + `"`),
		"trailing":           jwt(`{}` + canary),
		"signature":          enc(header) + "." + enc(`{}`) + "." + canary + "+/",
		"idtyp_value":        variant(t, map[string]any{"idtyp": canary}),
		"appidacr_value":     variant(t, map[string]any{"appidacr": canary}),
		"azpacr_value":       variant(t, map[string]any{"azpacr": canary}),
		"upn_value":          variant(t, map[string]any{"upn": canary + "@contoso.example", "name": canary}),
		"sub_value":          variant(t, map[string]any{"sub": canary}),
		"oid_value":          variant(t, map[string]any{"oid": canary, "sub": canary}),
		"presence_claim_raw": variant(t, map[string]any{"ipaddr": canary, "acct": canary}),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if strings.HasPrefix(in, "{") {
				in = jwt(in)
			}
			c, err := Parse(in)
			if err == nil {
				err = c.AppOnly()
			}
			if err == nil {
				t.Fatal("accepted a token carrying the canary")
			}
			msg := err.Error()
			if strings.Contains(strings.ToLower(msg), strings.ToLower(canary)) {
				t.Errorf("error quotes the canary: %s", msg)
			}
			for _, part := range strings.Split(in, ".") {
				if len(part) >= 8 && strings.Contains(msg, part) {
					t.Errorf("error quotes a part of the token: %s", msg)
				}
			}
		})
	}
}
