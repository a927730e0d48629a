package credential

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
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
	env   *autherrors.Environment
}

var _ azcore.TokenCredential = (*Credential)(nil)

// New detects the identity the environment configures and builds azidentity's
// credential for it. It sends no request unless Options.ProbeIMDS is set.
//
// New fails with a *autherrors.Diagnostic when no non-interactive identity
// is configured, when only a user identity is (AZURE_USERNAME/AZURE_PASSWORD,
// Cloud Shell, an Azure ML compute instance without a managed identity), or
// when a setting is malformed; the diagnostic names the variable and the fix.
func New(opts *Options) (*Credential, error) {
	var o Options
	if opts != nil {
		o = *opts
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
	dopts := &detect.Options{AllowDeveloperTools: o.AllowDeveloperTools, Kind: o.Kind}
	if o.ProbeIMDS {
		p := detect.ProbeIMDS(context.Background(), o.probe)
		dopts.Probe = &p
	}
	sel := detect.Detect(env, dopts)
	if o.Logger != nil {
		o.Logger.Info("autoidentity: credential selected", "kind", sel.Kind, "source", sel.Source,
			"client_id", sel.ClientID, "tenant_id", sel.TenantID, "evidence", sel.Evidence,
			"skipped", len(sel.Skipped), "refused", len(sel.Refused), "warnings", sel.Warnings)
	}
	denv := environment(sel, env)
	if sel.Kind == detect.None {
		return nil, noIdentity(sel).For(denv)
	}
	upstream, err := build(sel, &o, env)
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
	return newCredential(upstream, sel, &o, denv)
}

// newCredential puts the token inspection and the cache in front of upstream.
func newCredential(upstream azcore.TokenCredential, sel *detect.Result, o *Options, env *autherrors.Environment) (*Credential, error) {
	c := &Credential{sel: sel, env: env}
	in := &inspector{
		cred:      upstream,
		kind:      sel.Kind,
		allowUser: sel.Kind == detect.DeveloperTool && o.AllowDeveloperTools && !onCI(o.Env),
		diagnose:  c.diagnose,
	}
	cache, err := tokencache.New(in, nil)
	if err != nil {
		return nil, fmt.Errorf("credential: %w", err)
	}
	c.cache = cache
	return c, nil
}

// GetToken returns a token for opts.Scopes: from the cache when one is valid,
// otherwise from azidentity, once for all concurrent callers. Errors are
// *autherrors.Diagnostic values that unwrap to azidentity's error.
func (c *Credential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := c.cache.GetToken(ctx, opts)
	if err != nil {
		return azcore.AccessToken{}, c.diagnose(err)
	}
	return tok, nil
}

// diagnose turns err into a *autherrors.Diagnostic for this environment,
// leaving one that already is alone.
func (c *Credential) diagnose(err error) error {
	var d *autherrors.Diagnostic
	if errors.As(err, &d) {
		return err
	}
	d = autherrors.Classify(err)
	d.Kind = string(c.sel.Kind)
	return d.For(c.env)
}

// Selection returns the detect report the credential was built from: what
// was selected, the evidence, and what was skipped or refused. Callers must
// not modify it.
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

// onCI reports whether the program runs on a CI runner.
func onCI(env detect.Env) bool {
	if env == nil {
		env = detect.OSEnv()
	}
	for _, k := range []string{"CI", "GITHUB_ACTIONS", "TF_BUILD"} {
		if v, ok := env.LookupEnv(k); ok && v != "" && v != "false" {
			return true
		}
	}
	return false
}
