package credential

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/secret"
	"github.com/autoidentity/autoidentity/internal/tokencache"
)

// Credential is an azcore.TokenCredential for unattended programs: built from
// what detect selected, it never signs in as a person, serves cached tokens
// without locks and returns [*autherrors.Diagnostic] errors.
//
// A Credential is safe for concurrent use.
type Credential struct {
	sel   *detect.Result
	cache *tokencache.Cache
	diag  diagnoser
}

var _ azcore.TokenCredential = (*Credential)(nil)

// New detects the identity the environment configures and builds azidentity's
// credential for it. It sends no request: a managed identity on IMDS that
// no probe confirmed is confirmed by the first GetToken.
//
// New fails with a *autherrors.Diagnostic when no non-interactive identity
// is configured, when only a user identity is (AZURE_USERNAME/AZURE_PASSWORD,
// Cloud Shell, an Azure ML compute instance without a managed identity), or
// when a setting is malformed; the diagnostic names the variable and the fix.
func New(opts *Options) (*Credential, error) {
	var o Options
	if opts != nil {
		o = *opts
		o.OpaqueTokenResources = slices.Clone(opts.OpaqueTokenResources)
		o.AdditionallyAllowedTenants = slices.Clone(opts.AdditionallyAllowedTenants)
	}
	if err := o.validate(); err != nil {
		return nil, autherrors.New(autherrors.ErrInvalidConfiguration, "credential: "+err.Error(), "correct the option named above", nil)
	}
	env := o.Env
	if env == nil {
		env = detect.OSEnv()
	}
	if o.TenantID != "" || o.ClientID != "" {
		env = overlayEnv{base: env, tenantID: o.TenantID, clientID: o.ClientID}
	}
	dopts := o.detectOptions()
	sel := detect.Detect(env, dopts)
	sec := secret.Take(sel) // sel is a report from here on
	if o.Logger != nil {
		o.Logger.Info("autoidentity: credential selected", "kind", sel.Kind, "source", sel.Source,
			"client_id", sel.ClientID, "tenant_id", sel.TenantID, "evidence", sel.Evidence,
			"skipped", len(sel.Skipped), "refused", len(sel.Refused), "warnings", sel.Warnings)
	}
	denv := environment(sel, sec)
	if sel.Kind == detect.None {
		return nil, sel.Diagnostic().For(denv)
	}
	upstream, err := build(sel, sec, &o, env)
	if err != nil {
		var d *autherrors.Diagnostic
		if !errors.As(err, &d) {
			d = autherrors.Classify(err)
			if d.Code == autherrors.ErrUnknown {
				d.Code = autherrors.ErrInvalidConfiguration
			}
		}
		d.Kind = string(sel.Kind)
		return nil, d.For(denv)
	}
	insp := inspection{
		allowUser: sel.Kind == detect.DeveloperTool && o.AllowDeveloperTools && !onCI(o.Env),
		opaque:    o.OpaqueTokenResources,
	}
	return newCredential(upstream, sel, insp, o.Logger, denv)
}

// newCredential puts the token inspection and the cache in front of upstream.
func newCredential(upstream azcore.TokenCredential, sel *detect.Result, insp inspection, logger *slog.Logger, env *autherrors.Environment) (*Credential, error) {
	c := &Credential{sel: sel, diag: diagnoser{env: env, kind: sel.Kind}}
	in := &inspector{cred: upstream, kind: sel.Kind, inspection: insp, diag: c.diag, logger: logger, now: time.Now}
	cache, err := tokencache.New(in, cacheOptions(logger))
	if err != nil {
		return nil, fmt.Errorf("credential: %w", err)
	}
	c.cache = cache
	return c, nil
}

// GetToken returns a token for opts.Scopes: from the cache when one is valid,
// otherwise from azidentity, once for all concurrent callers. Errors are
// *autherrors.Diagnostic values that unwrap to azidentity's error.
//
// A failure is diagnosed once, where it enters: azidentity's, and a
// refusal, inside the cache's shared request (the inspector), so every
// waiter gets the same immutable Diagnostic; the cache's own (a deadline, a
// closed credential) here.
func (c *Credential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := c.cache.GetToken(ctx, opts)
	if err != nil {
		return azcore.AccessToken{}, c.diag.diagnose(err)
	}
	return tok, nil
}

// Selection returns the detect report the credential was built from: what
// was selected, the evidence, and what was skipped or refused. It holds no
// secret: the values azidentity needed were handed to it at New and are
// not kept here. Callers must not modify it.
func (c *Credential) Selection() *detect.Result { return c.sel }

// String describes the credential without secrets; it is safe to log.
func (c *Credential) String() string {
	s := "autoidentity credential: " + string(c.sel.Kind)
	if c.sel.Source != "" {
		s += " (" + string(c.sel.Source) + ")"
	}
	if c.sel.ClientID != "" {
		s += " client_id=" + c.sel.ClientID
	}
	if c.sel.ObjectID != "" {
		s += " object_id=" + c.sel.ObjectID
	}
	if c.sel.ResourceID != "" {
		s += " resource_id=" + c.sel.ResourceID
	}
	if c.sel.TenantID != "" {
		s += " tenant_id=" + c.sel.TenantID
	}
	return s
}

// LogValue logs the credential as its String.
func (c *Credential) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Close cancels token requests in flight and stops background refreshes.
// Afterwards GetToken serves cached tokens until they expire, then fails.
// A Credential that is never closed holds no goroutine between refreshes, so
// programs that keep one for their lifetime need not call Close.
func (c *Credential) Close() { c.cache.Close() }

// onCI reports whether the program runs on a CI runner, by the caller's
// Env or by the process environment: either one saying so counts (fail
// closed: Options.Env cannot hide a CI runner the process is on).
func onCI(env detect.Env) bool {
	if env != nil && detect.CI(env) != "" {
		return true
	}
	return detect.CI(detect.OSEnv()) != ""
}
