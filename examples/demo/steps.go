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
// what autoidentity must do with it. [runStep] runs every step alike:
// credential.New selects kind (or refuses with refuse), then GetToken
// returns a token for appID (or fails with fails).
type step struct {
	title    string
	scenario string
	// process lists the variables azidentity reads from the process
	// environment for this kind; the step sets them from the scenario
	// and restores them afterwards.
	process []string

	kind   detect.Kind     // the kind credential.New must select
	source detect.Source   // and, for a managed identity, the source
	refuse autherrors.Code // or the code it must refuse the scenario with
	appID  string          // the appid the token must carry
	fails  autherrors.Code // or the code GetToken must fail with
	aadsts int             // and Entra's AADSTS code behind it
	// password: the scenario sets a user's password, which must be
	// refused and never sent.
	password bool
}

// steps are the demo, in order.
var steps = []step{
	{title: "Service principal with a client secret", scenario: "service-principal-secret",
		kind: detect.ServicePrincipalSecret, appID: entratest.DefaultClientID},
	{title: "Service principal with a certificate", scenario: "service-principal-certificate",
		kind: detect.ServicePrincipalCertificate, appID: entratest.DefaultClientID},
	{title: "AKS workload identity", scenario: "workload-identity",
		kind: detect.WorkloadIdentity, appID: entratest.DefaultClientID},
	{title: "GitHub Actions OIDC", scenario: "github-actions-oidc",
		kind: detect.GitHubActionsOIDC, appID: entratest.DefaultClientID},
	{title: "Azure Pipelines OIDC", scenario: "azure-pipelines-oidc",
		kind: detect.AzurePipelinesOIDC, appID: entratest.DefaultClientID,
		process: []string{"SYSTEM_OIDCREQUESTURI"}},
	{title: "App Service managed identity", scenario: "managed-identity-app-service",
		kind: detect.ManagedIdentity, source: detect.AppService, appID: entratest.SystemAssignedClientID,
		process: managedIdentityVars},
	{title: "Password of an MFA user (ROPC): refused", scenario: "ropc-mfa",
		refuse: autherrors.ErrUserIdentityRefused, password: true},
	{title: "Password next to a client secret: secret used", scenario: "ropc-mfa-with-secret",
		kind: detect.ServicePrincipalSecret, appID: entratest.DefaultClientID, password: true},
	{title: "Expired client secret: diagnosed", scenario: "expired-secret",
		kind: detect.ServicePrincipalSecret, fails: autherrors.ErrClientSecretExpired, aadsts: entratest.CodeClientSecretExpired},
}

// runStep builds the scenario's credential exactly as a program would, but
// from the scenario's environment and over the emulator's loopback-guarded
// transport, and checks and shows what st expects of it.
func runStep(ctx context.Context, srv *entratest.Server, st step) *outcome {
	o := &outcome{}
	env, err := srv.Scenario(st.scenario)
	if err != nil {
		o.fail("%v", err)
		return o
	}
	defer setProcessEnv(env, st.process)()
	if st.refuse != "" {
		for _, r := range detect.Detect(detect.MapEnv(env), nil).Refused {
			o.add("refused", fmt.Sprintf("%s (%s)", r.Kind, strings.Join(r.Variables, ", ")))
		}
	}
	cred, err := credential.New(&credential.Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()})
	switch {
	case st.refuse != "" && err == nil:
		cred.Close()
		o.fail("credential.New accepted the scenario; want %s", st.refuse)
		return o
	case st.refuse != "":
		refused(o, err, st)
	case err != nil:
		o.diagnosis(err)
		o.fail("credential.New failed")
		return o
	default:
		defer cred.Close()
		if !accepted(ctx, o, cred, st) {
			return o
		}
	}
	if st.password {
		o.passwordGrants(srv)
	}
	return o
}

// refused checks that credential.New refused the scenario with st.refuse,
// before any request; for a password, it shows what Entra would have
// answered.
func refused(o *outcome, err error, st step) {
	o.diagnosis(err)
	if !errors.Is(err, st.refuse) {
		o.fail("want code %s", st.refuse)
	}
	if !st.password {
		return
	}
	// What Entra answers this user's password grant (the emulator does the
	// same): the code autoidentity's diagnosis would give it.
	aadsts := fmt.Sprintf("AADSTS%d", entratest.CodeMFARequired)
	if d := autherrors.Parse(aadsts); d.Code == autherrors.ErrMFARequired {
		o.add("if sent", aadsts+" → "+string(d.Code)+" (Entra's answer to this user's password)")
	} else {
		o.fail("%s classified as %s, want %s", aadsts, d.Code, autherrors.ErrMFARequired)
	}
}

// accepted checks the selection and GetToken's answer: a token whose public
// claims it checks and shows, or the diagnosis st.fails, which still
// unwraps to azidentity's error. It reports whether the step got that far.
func accepted(ctx context.Context, o *outcome, cred *credential.Credential, st step) bool {
	sel := cred.Selection()
	o.selection(sel, st)
	if st.password {
		passwordRefused(o, sel)
	}
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{armScope}})
	switch {
	case st.fails == "" && err != nil:
		o.diagnosis(err)
		o.fail("GetToken failed")
		return false
	case st.fails == "":
		o.token(tok.Token, tok.ExpiresOn, st.appID)
		return true
	case err == nil:
		o.fail("GetToken succeeded; want %s", st.fails)
		return false
	}
	d := o.diagnosis(err)
	if d == nil || d.Code != st.fails || d.AADSTS != fmt.Sprintf("AADSTS%d", st.aadsts) {
		o.fail("want %s with AADSTS%d", st.fails, st.aadsts)
	}
	var afe *azidentity.AuthenticationFailedError
	if errors.As(err, &afe) {
		o.add("unwraps to", fmt.Sprintf("*azidentity.AuthenticationFailedError (HTTP %d)", afe.RawResponse.StatusCode))
	} else {
		o.fail("errors.As does not reach *azidentity.AuthenticationFailedError")
	}
	return true
}

// passwordRefused shows what the selection refused and checks that the
// password is among it: a refusal is matched by its code, the contract.
func passwordRefused(o *outcome, sel *detect.Result) {
	found := false
	for _, r := range sel.Refused {
		o.add("refused", fmt.Sprintf("%s (%s) [%s]", r.Kind, strings.Join(r.Variables, ", "), r.Code))
		found = found || r.Code == autherrors.ErrUserIdentityRefused && slices.Contains(r.Variables, "AZURE_PASSWORD")
	}
	if !found {
		o.fail("the password was not reported as refused")
	}
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
