package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/tokeninfo"
)

// armScope is the scope every step asks for: Azure Resource Manager.
const armScope = "https://management.azure.com/.default"

// managedIdentityVars are the variables azidentity's managed identity
// credential reads from the process environment itself.
var managedIdentityVars = []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET"}

// step is one environment the demo walks through: an entratest scenario and
// what autoidentity must do with it.
type step struct {
	title    string
	scenario string
	kind     detect.Kind   // the kind detect must select
	source   detect.Source // and, for a managed identity, the source
	appID    string        // the appid the token must carry
	// process lists the variables azidentity reads from the process
	// environment for this kind; the step sets them from the scenario
	// and restores them afterwards.
	process []string
	run     func(ctx context.Context, srv *entratest.Server, st step) *outcome
}

// steps are the demo, in order.
var steps = []step{
	{title: "Service principal with a client secret", scenario: "service-principal-secret",
		kind: detect.ServicePrincipalSecret, appID: entratest.DefaultClientID, run: tokenStep},
	{title: "Service principal with a certificate", scenario: "service-principal-certificate",
		kind: detect.ServicePrincipalCertificate, appID: entratest.DefaultClientID, run: tokenStep},
	{title: "AKS workload identity", scenario: "workload-identity",
		kind: detect.WorkloadIdentity, appID: entratest.DefaultClientID, run: tokenStep},
	{title: "GitHub Actions OIDC", scenario: "github-actions-oidc",
		kind: detect.GitHubActionsOIDC, appID: entratest.DefaultClientID, run: tokenStep},
	{title: "Azure Pipelines OIDC", scenario: "azure-pipelines-oidc",
		kind: detect.AzurePipelinesOIDC, appID: entratest.DefaultClientID, run: tokenStep,
		process: []string{"SYSTEM_OIDCREQUESTURI"}},
	{title: "App Service managed identity", scenario: "managed-identity-app-service",
		kind: detect.ManagedIdentity, source: detect.AppService, appID: entratest.SystemAssignedClientID, run: tokenStep,
		process: managedIdentityVars},
	{title: "Password of an MFA user (ROPC): refused", scenario: "ropc-mfa", run: passwordStep},
	{title: "Password next to a client secret: secret used", scenario: "ropc-mfa-with-secret",
		kind: detect.ServicePrincipalSecret, appID: entratest.DefaultClientID, run: passwordBesideSecretStep},
	{title: "Expired client secret: diagnosed", scenario: "expired-secret",
		kind: detect.ServicePrincipalSecret, run: expiredSecretStep},
}

// tokenStep builds the credential the scenario configures, checks the
// selection and gets an ARM token whose public claims it checks and shows.
func tokenStep(ctx context.Context, srv *entratest.Server, st step) *outcome {
	o := &outcome{}
	cred, done := newCredential(srv, st, o)
	defer done()
	if cred == nil {
		return o
	}
	o.selection(cred.Selection(), st)
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{armScope}})
	if err != nil {
		o.diagnosis(err)
		o.fail("GetToken failed")
		return o
	}
	o.token(tok.Token, tok.ExpiresOn, st.appID)
	return o
}

// passwordStep: AZURE_USERNAME/AZURE_PASSWORD alone. New must refuse them
// before any request, so the emulator never sees a password grant.
func passwordStep(ctx context.Context, srv *entratest.Server, st step) *outcome {
	o := &outcome{}
	env, err := srv.Scenario(st.scenario)
	if err != nil {
		o.fail("%v", err)
		return o
	}
	for _, r := range detect.Detect(detect.MapEnv(env), nil).Refused {
		o.add("refused", fmt.Sprintf("%s (%s)", r.Kind, strings.Join(r.Variables, ", ")))
	}
	cred, err := credential.New(&credential.Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()})
	if err == nil {
		cred.Close()
		o.fail("credential.New accepted a password; it must refuse it")
		return o
	}
	o.diagnosis(err)
	if !errors.Is(err, autherrors.ErrUserIdentityRefused) {
		o.fail("want code %s", autherrors.ErrUserIdentityRefused)
	}
	// What Entra answers this user's password grant (the emulator does the
	// same): the code autoidentity's diagnosis would give it.
	aadsts := fmt.Sprintf("AADSTS%d", entratest.CodeMFARequired)
	if d := autherrors.Parse(aadsts); d.Code == autherrors.ErrMFARequired {
		o.add("if sent", aadsts+" → "+string(d.Code)+" (Entra's answer to this user's password)")
	} else {
		o.fail("%s classified as %s, want %s", aadsts, d.Code, autherrors.ErrMFARequired)
	}
	o.passwordGrants(srv)
	return o
}

// passwordBesideSecretStep: a password next to a valid client secret. The
// secret is selected and works; the password is reported as refused and
// never sent.
func passwordBesideSecretStep(ctx context.Context, srv *entratest.Server, st step) *outcome {
	o := &outcome{}
	cred, done := newCredential(srv, st, o)
	defer done()
	if cred == nil {
		return o
	}
	sel := cred.Selection()
	o.selection(sel, st)
	refused := false
	for _, r := range sel.Refused {
		o.add("refused", fmt.Sprintf("%s (%s) [%s]", r.Kind, strings.Join(r.Variables, ", "), r.Code))
		// A refusal is matched by its code, the contract.
		refused = refused || r.Code == autherrors.ErrUserIdentityRefused && slices.Contains(r.Variables, "AZURE_PASSWORD")
	}
	if !refused {
		o.fail("the password was not reported as refused")
	}
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{armScope}})
	if err != nil {
		o.diagnosis(err)
		o.fail("GetToken failed")
		return o
	}
	o.token(tok.Token, tok.ExpiresOn, st.appID)
	o.passwordGrants(srv)
	return o
}

// expiredSecretStep: the secret has expired; GetToken fails with a
// diagnosis that names the code, Entra's AADSTS code and the fix, and still
// unwraps to azidentity's error.
func expiredSecretStep(ctx context.Context, srv *entratest.Server, st step) *outcome {
	o := &outcome{}
	cred, done := newCredential(srv, st, o)
	defer done()
	if cred == nil {
		return o
	}
	o.selection(cred.Selection(), st)
	_, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{armScope}})
	if err == nil {
		o.fail("GetToken succeeded with an expired secret")
		return o
	}
	d := o.diagnosis(err)
	if d == nil || d.Code != autherrors.ErrClientSecretExpired || d.AADSTS != fmt.Sprintf("AADSTS%d", entratest.CodeClientSecretExpired) {
		o.fail("want %s with AADSTS%d", autherrors.ErrClientSecretExpired, entratest.CodeClientSecretExpired)
	}
	var afe *azidentity.AuthenticationFailedError
	if errors.As(err, &afe) {
		o.add("unwraps to", fmt.Sprintf("*azidentity.AuthenticationFailedError (HTTP %d)", afe.RawResponse.StatusCode))
	} else {
		o.fail("errors.As does not reach *azidentity.AuthenticationFailedError")
	}
	return o
}

// newCredential builds the scenario's credential exactly as a program
// would, but from the scenario's environment and over the emulator's
// loopback-guarded transport. The returned func closes the credential and
// restores the process environment; cred is nil when o records why.
func newCredential(srv *entratest.Server, st step, o *outcome) (cred *credential.Credential, done func()) {
	env, err := srv.Scenario(st.scenario)
	if err != nil {
		o.fail("%v", err)
		return nil, func() {}
	}
	restore := setProcessEnv(env, st.process)
	cred, err = credential.New(&credential.Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()})
	if err != nil {
		o.diagnosis(err)
		o.fail("credential.New failed")
		return nil, restore
	}
	return cred, func() { cred.Close(); restore() }
}

// setProcessEnv makes the process environment say what env says about
// keys (set or unset), for the azidentity credentials that read it
// themselves, and returns a func that puts it back.
func setProcessEnv(env map[string]string, keys []string) (restore func()) {
	type saved struct {
		key, value string
		set        bool
	}
	var old []saved
	for _, k := range keys {
		v, set := os.LookupEnv(k)
		old = append(old, saved{k, v, set})
		if nv, ok := env[k]; ok {
			os.Setenv(k, nv)
		} else {
			os.Unsetenv(k)
		}
	}
	return func() {
		for _, s := range old {
			if s.set {
				os.Setenv(s.key, s.value)
			} else {
				os.Unsetenv(s.key)
			}
		}
	}
}

// checkToken verifies the public claims of an ARM token for appID.
func checkToken(c *tokeninfo.Claims, appID string, now time.Time) []string {
	var bad []string
	if c.IdentityType != "app" {
		bad = append(bad, fmt.Sprintf("idtyp is %q, want app", c.IdentityType))
	}
	if c.TenantID != entratest.DefaultTenantID {
		bad = append(bad, fmt.Sprintf("tid is %q, want %s", c.TenantID, entratest.DefaultTenantID))
	}
	if appID != "" && c.AppID != appID {
		bad = append(bad, fmt.Sprintf("appid is %q, want %s", c.AppID, appID))
	}
	aud := false
	for _, a := range c.Audience {
		aud = aud || strings.TrimSuffix(a, "/") == strings.TrimSuffix(armScope, "/.default")
	}
	if !aud {
		bad = append(bad, fmt.Sprintf("aud is %q, want %s", c.Audience, strings.TrimSuffix(armScope, "/.default")))
	}
	if !now.Before(c.Expiry) {
		bad = append(bad, "the token has expired")
	}
	return bad
}
