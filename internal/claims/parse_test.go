package claims

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// TestParseRefuses holds one regression test per hole an adversarial
// review found in the lenient parser, and their neighbours. Each input must
// fail with ErrNotJWT, with ErrOpaque exactly when opaque is set, and with a
// message containing want.
func TestParseRefuses(t *testing.T) {
	t.Parallel()
	std := base64.StdEncoding.EncodeToString
	jwtWith := func(h, p string) string { return enc(h) + "." + p + "." + enc("signature") }
	jweHeader := enc(`{"alg":"RSA-OAEP","enc":"A256GCM","kid":"k"}`)
	for _, tc := range []struct {
		name, in string
		opaque   bool
		want     string
	}{
		// Claims of the wrong type.
		{"roles_string", jwt(`{"roles":"Data.Read"}`), false, "roles is not an array of strings"},
		{"roles_with_null", jwt(`{"roles":["a",null]}`), false, "roles is not an array of strings"},
		{"aud_number", jwt(`{"aud":42}`), false, "aud is neither"},
		{"aud_null", jwt(`{"aud":null}`), false, "aud is neither"},
		{"aud_object", jwt(`{"aud":{"a":1}}`), false, "aud is neither"},
		{"aud_array_with_number", jwt(`{"aud":["a",1]}`), false, "aud is neither"},
		{"scp_array", jwt(`{"scp":["User.Read"]}`), false, "scp is not a string"},
		{"upn_number", jwt(`{"upn":7}`), false, "upn is not a string"},
		{"idtyp_null", jwt(`{"idtyp":null}`), false, "idtyp is not a string"},
		{"amr_string", jwt(`{"amr":"pwd"}`), false, "amr is not an array of strings"},
		{"exp_negative", jwt(`{"exp":-1}`), false, "exp is not a NumericDate"},
		{"exp_above_2_40", jwt(`{"exp":1099511627777}`), false, "exp is not a NumericDate"},
		{"exp_overflows", jwt(`{"exp":1e400}`), false, "exp is not a NumericDate"},
		{"exp_string", jwt(`{"exp":"1748865900"}`), false, "exp is not a NumericDate"},
		{"exp_bool", jwt(`{"exp":true}`), false, "exp is not a NumericDate"},
		{"nbf_string", jwt(`{"nbf":"soon"}`), false, "nbf is not a NumericDate"},
		{"iat_null", jwt(`{"iat":null}`), false, "iat is not a NumericDate"},
		// The payload's encoding and shape.
		{"payload_std_base64_plus", jwtWith(header, std([]byte(`{"upn":">>>"}`))), false, "payload is not unpadded base64url"},
		{"payload_std_base64_slash", jwtWith(header, std([]byte(`{"upn":"???"}`))), false, "payload is not unpadded base64url"},
		{"payload_padded", jwtWith(header, enc(`{"exp":1}`)+"=="), false, "payload is not unpadded base64url"},
		{"payload_newline_inside", jwtWith(header, enc(`{"scp":"x","a":1}`)[:8]+"\n"+enc(`{"scp":"x","a":1}`)[8:]), false, "payload is not unpadded base64url"},
		{"payload_nonzero_trailing_bits", jwtWith(header, "e30="[:2]+"1"), false, "payload is not valid base64url"},
		{"payload_json_array", jwt(`[{"idtyp":"app"}]`), false, "payload is not a JSON object"},
		{"payload_null", jwt(`null`), false, "payload is not a JSON object"},
		{"payload_trailing_garbage", jwt(`{"idtyp":"app"}garbage`), false, "payload has data after its JSON object"},
		{"payload_second_object", jwt(`{"idtyp":"app"}{"idtyp":"user"}`), false, "payload has data after its JSON object"},
		{"payload_truncated", jwt(`{"idtyp":"app"`), false, "payload is not valid JSON"},
		{"payload_trailing_comma", jwt(`{"idtyp":"app",}`), false, "payload is not valid JSON"},
		{"payload_invalid_utf8", jwt("{\"name\":\"\xff\"}"), false, "payload is not UTF-8"},
		{"payload_empty", enc(header) + ".." + enc("s"), false, "payload is empty"},
		// Duplicate and misspelled claim names.
		{"duplicate_key_exact", jwt(`{"idtyp":"user","idtyp":"app"}`), false, "names idtyp more than once"},
		{"duplicate_key_case_folded", jwt(`{"idtyp":"user","IDTYP":"app"}`), false, "names idtyp more than once"},
		{"duplicate_key_escaped", jwt(`{"idtyp":"user","\u0069dtyp":"app"}`), false, "names idtyp more than once"},
		{"duplicate_key_long_s", jwt(`{"scp":"User.Read","ſcp":"x"}`), false, "names scp more than once"},
		{"duplicate_key_dotless_i", jwt(`{"idtyp":"user","ıdtyp":"app"}`), false, "names idtyp more than once"},
		{"duplicate_key_dotted_capital_i", jwt(`{"idtyp":"user","İDTYP":"app"}`), false, "names idtyp more than once"},
		{"duplicate_key_kelvin_unknown_claim", jwt(`{"kubernetes.io":{},"\u212Aubernetes.io":{}}`), false, "two names that differ only in case"},
		{"duplicate_key_unknown_claim", jwt(`{"xms_tcdt":1,"XMS_TCDT":2}`), false, "two names that differ only in case"},
		{"misspelled_idtyp_upper", jwt(`{"IDTYP":"app"}`), false, "spelled like idtyp but not exactly"},
		{"misspelled_scp_mixed_case", jwt(`{"Scp":"User.Read"}`), false, "spelled like scp but not exactly"},
		{"misspelled_scp_long_s", jwt(`{"ſcp":"User.Read"}`), false, "spelled like scp but not exactly"},
		{"misspelled_upn_capitalised", jwt(`{"Upn":"a@b"}`), false, "spelled like upn but not exactly"},
		// The header.
		{"header_not_object", jwtWith(`"RS256"`, enc(`{}`)), false, "header is not a JSON object"},
		{"header_without_alg", jwtWith(`{"typ":"JWT"}`, enc(`{}`)), false, "header names no alg"},
		{"header_alg_empty", jwtWith(`{"alg":""}`, enc(`{}`)), false, "header names no alg"},
		{"header_alg_number", jwtWith(`{"alg":256}`, enc(`{}`)), false, "alg is not a string"},
		{"header_duplicate_alg", jwtWith(`{"alg":"none","ALG":"RS256"}`, enc(`{}`)), false, "names alg more than once"},
		{"header_padded", enc(`{"alg":"RS256"}`) + "=." + enc(`{}`) + "." + enc("s"), false, "header is not unpadded base64url"},
		// The number of parts and the signature.
		{"empty", "  \n", false, "empty"},
		{"two_parts", enc(header) + "." + enc(`{}`), false, "found 2"},
		{"four_parts", "a.b.c.d", false, "found 4"},
		{"six_parts", "a.b.c.d.e.f", false, "found 6"},
		{"signature_empty", enc(header) + "." + enc(`{}`) + ".", false, "signature is empty"},
		{"signature_not_base64url", enc(header) + "." + enc(`{}`) + ".sig+nature/==", false, "signature is not unpadded base64url"},
		{"jwe_header_not_json", "a.b.c.d.e", false, "JWE header is not valid base64url"},
		{"jwe_header_without_enc", enc(`{"alg":"dir"}`) + "..iv.ct.tag", false, "names no enc"},
		{"jwe_part_not_base64url", jweHeader + "..iv.c+t.tag", false, "not unpadded base64url"},
		{"over_64_KiB", strings.Repeat("a", MaxLen+1), false, "larger than any token"},
		{"over_64_KiB_of_whitespace", jwt(`{}`) + strings.Repeat(" ", MaxLen), false, "larger than any token"},
		// Opaque: no dots at all, or a well-formed JWE.
		{"opaque_no_dots", "EwBwA8l6BAAUO9chh8cJscQLmU+LSWpbnr0vmwwAAQ", true, "no dots"},
		{"jwe_five_parts", jweHeader + "..aXY.Y3Q.dGFn", true, "encrypted"},
		{"jwe_direct_with_key", jweHeader + ".a2V5.aXY.Y3Q.dGFn", true, "encrypted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", c)
			}
			if c != nil {
				t.Errorf("Parse returned claims with its error")
			}
			if !errors.Is(err, ErrNotJWT) {
				t.Errorf("error %q does not wrap ErrNotJWT", err)
			}
			if errors.Is(err, ErrOpaque) != tc.opaque {
				t.Errorf("errors.Is(err, ErrOpaque) = %v, want %v (%v)", !tc.opaque, tc.opaque, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

// TestParseAccepts pins the shapes Parse must keep reading.
func TestParseAccepts(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"trailing_newline":      jwt(`{}`) + "\n",
		"surrounding_space":     " \t" + jwt(`{}`) + "\r\n",
		"escaped_known_claim":   jwt(`{"\u0069dtyp":"app"}`),
		"unknown_claims_typed":  jwt(`{"xms_tcdt":"1589910443","e_exp":10800,"kubernetes.io":{"a":[1,null]},"x":null}`),
		"exponent_exp":          jwt(`{"exp":1.7488659e9}`),
		"fractional_exp":        jwt(`{"exp":1748865900.5}`),
		"exp_at_2_40":           jwt(`{"exp":1099511627776}`),
		"aud_empty_array":       jwt(`{"aud":[]}`),
		"whitespace_in_payload": jwt(" {\n \"idtyp\" : \"app\" \n} \n"),
		"header_extra_params":   enc(`{"alg":"RS256","typ":"JWT","nonce":"n","crit":["x"]}`) + "." + enc(`{}`) + ".c2ln",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse(in); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]string{
		{"idtyp", "IDTYP"}, {"scp", "ſcp"}, {"scp", "SCP"}, {"kid", "\u212Aid"}, {"idtyp", "ıdtyp"},
		{"idtyp", "İdtyp"}, {"xms_mirid", "XMS_MIRID"}, {"straße", "STRAẞE"},
	} {
		if fold(pair[0]) != fold(pair[1]) {
			t.Errorf("fold(%q) = %q, fold(%q) = %q: want equal", pair[0], fold(pair[0]), pair[1], fold(pair[1]))
		}
	}
	for _, pair := range [][2]string{{"idtyp", "idtypx"}, {"scp", "sc"}, {"upn", "unique_name"}} {
		if fold(pair[0]) == fold(pair[1]) {
			t.Errorf("fold(%q) == fold(%q)", pair[0], pair[1])
		}
	}
}
