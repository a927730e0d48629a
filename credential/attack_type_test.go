package credential_test

// Layer one, attacked through the public API: credentials that would sign
// in as a person, wrapped, nested and chained, are refused by Guard and
// NewChain before any request; the emulator counts zero password grants
// and zero device-code requests.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// wrapper hides a credential's type, as a caller's decorator would.
type wrapper struct{ azcore.TokenCredential }

func TestGuardRefusesWhatItCannotProve(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	co := srv.ClientOptions()
	const user = "alice@" + entratest.DefaultTenantDomain
	//lint:ignore SA1019 built only to prove it is refused
	ropcOpts := &azidentity.UsernamePasswordCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: true}
	ropc, err := azidentity.NewUsernamePasswordCredential(entratest.DefaultTenantID, entratest.DefaultClientID, user, "CANARY-password", ropcOpts)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: true,
		TenantID: entratest.DefaultTenantID, UserPrompt: func(context.Context, azidentity.DeviceCodeMessage) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := azidentity.NewClientSecretCredential(entratest.DefaultTenantID, entratest.DefaultClientID, entratest.DefaultClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	chained := func(cs ...azcore.TokenCredential) azcore.TokenCredential {
		c, err := azidentity.NewChainedTokenCredential(cs, nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var nilSP *azidentity.ClientSecretCredential
	var nilOurs *credential.Credential

	cases := []struct {
		name string
		cred azcore.TokenCredential
		opts *credential.ChainOptions
		code autherrors.Code
	}{
		{"ROPC", ropc, nil, autherrors.ErrUserIdentityRefused},
		{"device code", dc, nil, autherrors.ErrUserIdentityRefused},
		{"ROPC inside azidentity's chain", chained(sp, ropc), nil, autherrors.ErrUserIdentityRefused},
		{"device code inside azidentity's chain", chained(dc), nil, autherrors.ErrUserIdentityRefused},
		{"ROPC in a wrapper struct", wrapper{ropc}, nil, autherrors.ErrUserIdentityRefused},
		{"an app credential in a wrapper struct", wrapper{sp}, nil, autherrors.ErrUserIdentityRefused},
		{"a chain of app credentials", chained(sp), nil, autherrors.ErrUserIdentityRefused},
		{"wrapper of a chain of a wrapper", wrapper{chained(wrapper{ropc})}, nil, autherrors.ErrUserIdentityRefused},
		{"ROPC even with AllowDeveloperTools", ropc, &credential.ChainOptions{AllowDeveloperTools: true}, autherrors.ErrUserIdentityRefused},
		{"ROPC even with AllowUnknownTypes", ropc, &credential.ChainOptions{AllowUnknownTypes: true}, autherrors.ErrUserIdentityRefused},
		{"typed nil azidentity credential", nilSP, nil, autherrors.ErrInvalidConfiguration},
		{"typed nil credential.Credential", nilOurs, nil, autherrors.ErrInvalidConfiguration},
		{"nil", nil, nil, autherrors.ErrInvalidConfiguration},
	}
	for _, tc := range cases {
		for _, how := range []string{"Guard", "NewChain"} {
			c, err := func() (*credential.Credential, error) {
				if how == "Guard" {
					return credential.Guard(tc.cred, tc.opts)
				}
				return credential.NewChain([]azcore.TokenCredential{sp, tc.cred}, tc.opts)
			}()
			if err == nil {
				c.Close()
				t.Errorf("%s(%s) accepted it", how, tc.name)
				continue
			}
			if !errors.Is(err, tc.code) {
				t.Errorf("%s(%s) = %v, want %s", how, tc.name, err, tc.code)
			}
			if strings.Contains(err.Error(), "CANARY") {
				t.Errorf("%s(%s) error shows the password", how, tc.name)
			}
			var d *autherrors.Diagnostic
			if errors.As(err, &d) && strings.Contains(d.Remedy, "Options.") && !strings.Contains(d.Remedy, "ChainOptions.") {
				t.Errorf("%s(%s) remedy names an option Guard does not have: %s", how, tc.name, d.Remedy)
			}
		}
	}
	if n := srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" }); n != 0 {
		t.Errorf("%d password grants reached the emulator, want 0", n)
	}
	if n := srv.Count(func(r entratest.Request) bool { return strings.Contains(r.Path, "devicecode") }); n != 0 {
		t.Errorf("%d device-code requests reached the emulator, want 0", n)
	}
}

// TestGuardUnknownTypeStillInspected: with AllowUnknownTypes a wrapper is
// accepted, and the user token it returns is still refused.
func TestGuardUnknownTypeStillInspected(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	user := "bob@" + entratest.DefaultTenantDomain
	if err := srv.AddUser(entratest.User{Username: user, Password: "CANARY-pw"}); err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 built only to prove its token is refused
	ropcOpts := &azidentity.UsernamePasswordCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true}
	ropc, err := azidentity.NewUsernamePasswordCredential(entratest.DefaultTenantID, entratest.DefaultClientID, user, "CANARY-pw", ropcOpts)
	if err != nil {
		t.Fatal(err)
	}
	c, err := credential.Guard(wrapper{ropc}, &credential.ChainOptions{AllowUnknownTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
	if !errors.Is(err, autherrors.ErrUserIdentityRefused) {
		t.Fatalf("GetToken = %v, want the user token refused", err)
	}
	if strings.Contains(err.Error(), "CANARY") {
		t.Error("the error shows the password")
	}
}

// TestGuardDeveloperTools: developer tools only with the opt-in, whose name
// the refusal gives.
func TestGuardDeveloperTools(t *testing.T) {
	t.Parallel()
	cli, err := azidentity.NewAzureCLICredential(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = credential.Guard(cli, nil)
	if !errors.Is(err, autherrors.ErrDeveloperCredentialRefused) || !strings.Contains(err.Error(), "ChainOptions.AllowDeveloperTools") {
		t.Fatalf("Guard(AzureCLICredential) = %v, want refused naming ChainOptions.AllowDeveloperTools", err)
	}
	c, err := credential.Guard(cli, &credential.ChainOptions{AllowDeveloperTools: true})
	if err != nil {
		t.Fatalf("Guard(AzureCLICredential, AllowDeveloperTools) = %v", err)
	}
	c.Close()
}
