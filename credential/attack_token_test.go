package credential_test

// Layer two, attacked through the public API: a credential (here a caller's
// own type, accepted with ChainOptions.AllowUnknownTypes so that only the
// token inspection stands between it and the caller) returns crafted tokens.
// Every token that is not provably app-only is refused; none reaches the
// caller.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/credential"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

const (
	attackTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	attackApp    = "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b"
	attackOID    = "11111111-2222-3333-4444-555555555555"
	attackScope  = "https://management.azure.com/.default"
)

// tokenFunc is a caller's own credential: it answers with whatever fn says.
type tokenFunc func() (azcore.AccessToken, error)

func (f tokenFunc) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return f()
}

var b64 = base64.RawURLEncoding.EncodeToString

// jwtOf encodes a raw payload (any bytes) as a compact JWS.
func jwtOf(payload string) string {
	return b64([]byte(`{"alg":"RS256","typ":"JWT","kid":"k"}`)) + "." + b64([]byte(payload)) + "." + b64([]byte("signature-bytes"))
}

// appClaims is a real app-only token's claim set (a v1 client-credentials
// token for ARM), with extra merged over it; a nil value deletes the claim.
func appClaims(extra map[string]any) string {
	now := time.Now().Unix()
	c := map[string]any{
		"aud": "https://management.azure.com", "iss": "https://sts.windows.net/" + attackTenant + "/",
		"iat": now, "nbf": now, "exp": now + 3600, "appid": attackApp, "appidacr": "1", "idtyp": "app",
		"oid": attackOID, "sub": attackOID, "tid": attackTenant, "ver": "1.0",
	}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// userClaims is a delegated user token's claim set.
func userClaims(extra map[string]any) string {
	base := map[string]any{"idtyp": "user", "scp": "user_impersonation", "upn": "alice@contoso.example",
		"unique_name": "alice@contoso.example", "appidacr": "0", "sub": "pairwise-sub-of-alice", "amr": []string{"pwd"}}
	for k, v := range extra {
		base[k] = v
	}
	return appClaims(base)
}

func guarded(t *testing.T, tok string, expiresOn time.Time, opts *credential.ChainOptions) (azcore.AccessToken, error) {
	t.Helper()
	if opts == nil {
		opts = &credential.ChainOptions{}
	}
	opts.AllowUnknownTypes = true
	c, err := credential.Guard(tokenFunc(func() (azcore.AccessToken, error) {
		return azcore.AccessToken{Token: tok, ExpiresOn: expiresOn}, nil
	}), opts)
	if err != nil {
		t.Fatalf("Guard: %v", err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{attackScope}})
}

// stdBase64Payload encodes a user payload with standard, padded base64,
// padding it until the encoding shows '+', '/' or '='.
func stdBase64Payload() string {
	p := userClaims(nil)
	for i := 0; ; i++ {
		e := base64.StdEncoding.EncodeToString([]byte(p))
		if strings.ContainsAny(e, "+/=") {
			return b64([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + e + "." + b64([]byte("sig"))
		}
		p += " "
	}
}

func TestTokenAttacksRefused(t *testing.T) {
	t.Parallel()
	huge := appClaims(map[string]any{"scp": "x", "pad": strings.Repeat("A", 70<<10)})
	attacks := []struct{ name, token string }{
		{"user token", jwtOf(userClaims(nil))},
		{"roles is a string", jwtOf(userClaims(map[string]any{"roles": "Owner"}))},
		{"aud is a number", jwtOf(userClaims(map[string]any{"aud": 42}))},
		{"scp is an array", jwtOf(userClaims(map[string]any{"scp": []string{"user_impersonation"}}))},
		{"upn is a number", jwtOf(userClaims(map[string]any{"upn": 7}))},
		{"exp is negative", jwtOf(userClaims(map[string]any{"exp": -1}))},
		{"exp above 2^40", jwtOf(userClaims(map[string]any{"exp": float64(1 << 41)}))},
		{"exp is a string", jwtOf(userClaims(map[string]any{"exp": "9999999999"}))},
		{"nbf is a string", jwtOf(userClaims(map[string]any{"nbf": "0"}))},
		{"standard base64 payload", stdBase64Payload()},
		{"payload is a JSON array", jwtOf(`[` + userClaims(nil) + `]`)},
		{"trailing garbage after the payload", jwtOf(userClaims(nil) + `{"idtyp":"app"}`)},
		{"four parts", jwtOf(userClaims(nil)) + ".x"},
		{"five parts (JWE)", "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d"},
		{"opaque", "opaque-token-with-no-dots-at-all"},
		{"over 64 KiB", jwtOf(huge)},
		{"idtyp app with scp and upn", jwtOf(userClaims(map[string]any{"idtyp": "app"}))},
		{"idtyp device with scp and upn", jwtOf(userClaims(map[string]any{"idtyp": "device"}))},
		{"idtyp User, capitalised", jwtOf(appClaims(map[string]any{"idtyp": "User"}))},
		{"duplicate key, last one app", jwtOf(strings.TrimSuffix(userClaims(nil), "}") + `,"IDTYP":"app"}`)},
		{"duplicate key, exact", jwtOf(strings.TrimSuffix(userClaims(nil), "}") + `,"idtyp":"app"}`)},
		{"duplicate key, escaped", jwtOf(strings.TrimSuffix(appClaims(map[string]any{"idtyp": "user"}), "}") + `,"\u0069dtyp":"app"}`)},
		{"case-variant scope key alone", jwtOf(appClaims(map[string]any{"SCP": "user_impersonation"}))},
		{"v2 user with only preferred_username and name", jwtOf(appClaims(map[string]any{"idtyp": nil, "ver": "2.0", "preferred_username": "alice@contoso.example", "name": "Alice"}))},
		{"sub differs from oid (a user's pairwise sub)", jwtOf(appClaims(map[string]any{"idtyp": nil, "sub": "pairwise-sub"}))},
		{"public client (appidacr 0)", jwtOf(appClaims(map[string]any{"idtyp": nil, "appidacr": "0"}))},
		{"no oid", jwtOf(appClaims(map[string]any{"oid": nil}))},
		{"amr present", jwtOf(appClaims(map[string]any{"amr": []string{"pwd", "mfa"}}))},
		{"empty token", ""},
		{"not JSON", jwtOf("idtyp=app")},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			tok, err := guarded(t, a.token, time.Now().Add(time.Hour), nil)
			if err == nil {
				t.Fatalf("a token that is not provably app-only reached the caller (%d bytes)", len(tok.Token))
			}
			if !errors.Is(err, autherrors.ErrUserIdentityRefused) {
				t.Fatalf("error = %v, want %s", err, autherrors.ErrUserIdentityRefused)
			}
			if a.token != "" && strings.Contains(err.Error(), a.token) {
				t.Error("the error repeats the token")
			}
		})
	}
}

func TestAppTokenServed(t *testing.T) {
	t.Parallel()
	tok, err := guarded(t, jwtOf(appClaims(nil)), time.Now().Add(time.Hour), nil)
	if err != nil || tok.Token == "" {
		t.Fatalf("an app token was refused: %v", err)
	}
	// A v1 managed identity token without idtyp, proven by sub == oid.
	if _, err := guarded(t, jwtOf(appClaims(map[string]any{"idtyp": nil, "appidacr": "2", "xms_mirid": "/subscriptions/x/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"})), time.Now().Add(time.Hour), nil); err != nil {
		t.Fatalf("a managed identity token was refused: %v", err)
	}
}

// TestOpaqueTokenOptIn: an unreadable token is served only for a resource
// the caller named, and a malformed JWT never is.
func TestOpaqueTokenOptIn(t *testing.T) {
	t.Parallel()
	opts := func() *credential.ChainOptions {
		return &credential.ChainOptions{OpaqueTokenResources: []string{"https://management.azure.com"}}
	}
	if _, err := guarded(t, "opaque-token", time.Now().Add(time.Hour), opts()); err != nil {
		t.Errorf("opaque token for a listed resource: %v", err)
	}
	jwe := b64([]byte(`{"alg":"RSA-OAEP","enc":"A256GCM"}`)) + ".a2V5.aXY.Y2lwaGVy.dGFn"
	if _, err := guarded(t, jwe, time.Now().Add(time.Hour), opts()); err != nil {
		t.Errorf("JWE for a listed resource: %v", err)
	}
	if _, err := guarded(t, jwtOf(userClaims(map[string]any{"exp": "x"})), time.Now().Add(time.Hour), opts()); !errors.Is(err, autherrors.ErrUserIdentityRefused) {
		t.Errorf("a malformed JWT for a listed resource = %v, want refused", err)
	}
	o := opts()
	o.OpaqueTokenResources = []string{"https://management.azure.com.evil.example"}
	if _, err := guarded(t, "opaque-token", time.Now().Add(time.Hour), o); !errors.Is(err, autherrors.ErrUserIdentityRefused) {
		t.Errorf("opaque token for a resource with the listed one as a prefix = %v, want refused", err)
	}
	for _, everything := range []string{"", "https://", "https:", "*", "https://u:p@x/"} {
		_, err := credential.Guard(tokenFunc(nil), &credential.ChainOptions{AllowUnknownTypes: true, OpaqueTokenResources: []string{everything}})
		if !errors.Is(err, autherrors.ErrInvalidConfiguration) {
			t.Errorf("OpaqueTokenResources %q = %v, want invalid-configuration", everything, err)
		}
		_, err = credential.New(&credential.Options{OpaqueTokenResources: []string{everything}})
		if !errors.Is(err, autherrors.ErrInvalidConfiguration) {
			t.Errorf("Options.OpaqueTokenResources %q = %v, want invalid-configuration", everything, err)
		}
	}
	_, err := guarded(t, "opaque-token", time.Now().Add(time.Hour), nil)
	if err == nil || !strings.Contains(err.Error(), "OpaqueTokenResources") {
		t.Errorf("refusal of an opaque token does not name the opt-in: %v", err)
	}
}

// TestExpiryIsNeverTrustedBlindly: a token is served until the earlier of
// expires_on and its exp, at most MaxTokenLifetime, and never after exp.
func TestExpiryIsNeverTrustedBlindly(t *testing.T) {
	t.Parallel()
	now := time.Now()
	expClaim := func(d time.Duration) string { return jwtOf(appClaims(map[string]any{"exp": now.Add(d).Unix()})) }

	if _, err := guarded(t, expClaim(-time.Hour), now.Add(time.Hour), nil); !errors.Is(err, autherrors.ErrClockSkew) {
		t.Errorf("exp an hour ago, expires_on an hour ahead: %v, want %s and nothing served", err, autherrors.ErrClockSkew)
	}
	tok, err := guarded(t, expClaim(10*time.Minute), now.Add(time.Hour), nil)
	if err != nil || tok.ExpiresOn.After(now.Add(10*time.Minute+time.Second)) {
		t.Errorf("exp in 10 min, expires_on in 1 h: served until %v (%v), want the exp", tok.ExpiresOn, err)
	}
	tok, err = guarded(t, expClaim(100*365*24*time.Hour), now.Add(100*365*24*time.Hour), nil)
	if err != nil || tok.ExpiresOn.After(time.Now().Add(credential.MaxTokenLifetime)) {
		t.Errorf("a 100-year token is served until %v (%v), want at most MaxTokenLifetime", tok.ExpiresOn, err)
	}
	tok, err = guarded(t, "opaque", now.Add(100*365*24*time.Hour), &credential.ChainOptions{OpaqueTokenResources: []string{"https://management.azure.com"}})
	if err != nil || tok.ExpiresOn.After(time.Now().Add(credential.MaxTokenLifetime)) {
		t.Errorf("an opaque 100-year token is served until %v (%v), want at most MaxTokenLifetime", tok.ExpiresOn, err)
	}
}

func ExampleChainOptions() {
	// A caller's own credential type is refused unless the caller opts in;
	// its tokens are still inspected.
	mine := tokenFunc(func() (azcore.AccessToken, error) { return azcore.AccessToken{}, errors.New("unused") })
	_, err := credential.Guard(mine, nil)
	fmt.Println(errors.Is(err, autherrors.ErrUserIdentityRefused))
	c, err := credential.Guard(mine, &credential.ChainOptions{AllowUnknownTypes: true})
	fmt.Println(err == nil)
	c.Close()
	// Output:
	// true
	// true
}
