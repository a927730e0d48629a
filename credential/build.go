package credential

import (
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/certs"
	"github.com/autoidentity/autoidentity/internal/secret"
)

// build maps the selection to azidentity's own credential. This switch is
// the one place that knows which azidentity type serves which kind; it never
// constructs a credential that signs in as a person.
func build(sel *detect.Result, sec *secret.Values, o *Options, env detect.Env) (azcore.TokenCredential, error) {
	if sec == nil {
		sec = &secret.Values{}
	}
	co, noDiscovery, err := authority(o.ClientOptions, sel.AuthorityHost)
	if err != nil {
		return nil, autherrors.New(autherrors.ErrInvalidConfiguration, "credential: "+err.Error(), "", nil)
	}
	co = guardWire(co) // layer 0: no user-identity request leaves, whatever is built below
	tenants := o.AdditionallyAllowedTenants
	if tenants == nil {
		tenants = sel.AdditionallyAllowedTenants
	}
	switch sel.Kind {
	case detect.ServicePrincipalSecret:
		return azidentity.NewClientSecretCredential(sel.TenantID, sel.ClientID, sec.ClientSecret.Reveal(),
			&azidentity.ClientSecretCredentialOptions{ClientOptions: co, AdditionallyAllowedTenants: tenants, DisableInstanceDiscovery: noDiscovery})

	case detect.ServicePrincipalCertificate:
		// detect read, parsed and checked the file; it is not read again.
		if sec.Key == nil || len(sec.Certificate) == 0 {
			return nil, autherrors.New(autherrors.ErrCertificateInvalid, "credential: "+certs.PathVariable+" was selected without a usable certificate", "", nil)
		}
		return azidentity.NewClientCertificateCredential(sel.TenantID, sel.ClientID, sec.Certificate, sec.Key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: co, AdditionallyAllowedTenants: tenants,
				DisableInstanceDiscovery: noDiscovery, SendCertificateChain: sel.SendCertificateChain})

	case detect.WorkloadIdentity:
		// Not azidentity's WorkloadIdentityCredential, which re-reads the
		// token file unbounded (see tokenFileAssertion).
		tf := newTokenFileAssertion(sel.TokenFile, o.now)
		return azidentity.NewClientAssertionCredential(sel.TenantID, sel.ClientID, tf.assertion,
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: co, AdditionallyAllowedTenants: tenants, DisableInstanceDiscovery: noDiscovery})

	case detect.GitHubActionsOIDC:
		gh := newGitHubAssertion(sec.RequestURL, sec.RequestToken.Reveal(), co, o.now)
		return azidentity.NewClientAssertionCredential(sel.TenantID, sel.ClientID, gh.assertion,
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: co, AdditionallyAllowedTenants: tenants, DisableInstanceDiscovery: noDiscovery})

	case detect.AzurePipelinesOIDC:
		if err := agree(env, "SYSTEM_OIDCREQUESTURI"); err != nil {
			return nil, err
		}
		return azidentity.NewAzurePipelinesCredential(sel.TenantID, sel.ClientID, sel.ServiceConnectionID, sec.RequestToken.Reveal(),
			&azidentity.AzurePipelinesCredentialOptions{ClientOptions: co, AdditionallyAllowedTenants: tenants, DisableInstanceDiscovery: noDiscovery})

	case detect.ManagedIdentity:
		return managedIdentity(sel, co, env)

	case detect.DeveloperTool:
		return developerTools(sel, tenants)
	}
	return nil, autherrors.New(autherrors.ErrInvalidConfiguration, fmt.Sprintf("credential: detect selected %q, which credential.New cannot build", sel.Kind), "", nil)
}

// developerTools chains the developer credentials detect named, for local
// runs that opted in.
func developerTools(sel *detect.Result, tenants []string) (azcore.TokenCredential, error) {
	var chain []azcore.TokenCredential
	for _, name := range sel.DeveloperTools {
		var c azcore.TokenCredential
		var err error
		switch name {
		case "AzureCLICredential":
			//autoidentity:allow developer tools are built only when Options.AllowDeveloperTools opts in; their tokens are still inspected, and user tokens are refused on CI
			c, err = azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: sel.TenantID, AdditionallyAllowedTenants: tenants})
		case "AzureDeveloperCLICredential":
			//autoidentity:allow developer tools are built only when Options.AllowDeveloperTools opts in; their tokens are still inspected, and user tokens are refused on CI
			c, err = azidentity.NewAzureDeveloperCLICredential(&azidentity.AzureDeveloperCLICredentialOptions{TenantID: sel.TenantID, AdditionallyAllowedTenants: tenants})
		case "AzurePowerShellCredential":
			//autoidentity:allow developer tools are built only when Options.AllowDeveloperTools opts in; their tokens are still inspected, and user tokens are refused on CI
			c, err = azidentity.NewAzurePowerShellCredential(&azidentity.AzurePowerShellCredentialOptions{TenantID: sel.TenantID, AdditionallyAllowedTenants: tenants})
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, autherrors.New(autherrors.ErrInvalidConfiguration, "credential: developer tools were selected but none is known", "", nil)
	}
	return azidentity.NewChainedTokenCredential(chain, nil)
}

// managedIdentityProcessVars are the variables the managed identity
// selection depends on that azidentity (MSAL) reads from the process
// environment itself, or that decide detect's refusals of the protocol MSAL
// will speak: the Cloud Shell markers (ACC_CLOUD, AZUREPS_HOST_ENVIRONMENT)
// and Azure ML's client ID (DEFAULT_IDENTITY_CLIENT_ID, which MSAL also
// sends). Options.Env must agree with the process on each, so that it
// cannot describe a different platform than the one the process is on.
var managedIdentityProcessVars = []string{
	"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET",
	"ACC_CLOUD", "AZUREPS_HOST_ENVIRONMENT", "DEFAULT_IDENTITY_CLIENT_ID",
}

// agree checks that the process environment, which azidentity reads itself
// for managed identity and Azure Pipelines, says what detect read from
// Options.Env about key. Otherwise detect and azidentity would talk about
// different identities.
func agree(env detect.Env, key string) error {
	want, _ := env.LookupEnv(key)
	if got := os.Getenv(key); got != want {
		return autherrors.New(autherrors.ErrInvalidConfiguration,
			fmt.Sprintf("credential: Options.Env and the process environment disagree about %s; azidentity reads its configuration from the process environment, so detect must judge the same one", key),
			"set "+key+" in the process environment, or leave Options.Env nil", nil)
	}
	return nil
}

// managedIdentity builds azidentity's managed identity credential for the
// source and identity detect reported. azidentity reads the endpoint from
// the process environment, so that must agree with what detect judged.
func managedIdentity(sel *detect.Result, co azcore.ClientOptions, env detect.Env) (azcore.TokenCredential, error) {
	for _, k := range managedIdentityProcessVars {
		if err := agree(env, k); err != nil {
			return nil, err
		}
	}
	// detect reports the identity to ask for (Options.ManagedIdentityID,
	// else AZURE_CLIENT_ID); this mirrors its Result, never the options.
	var id azidentity.ManagedIDKind
	switch {
	case sel.ObjectID != "":
		id = azidentity.ObjectID(sel.ObjectID)
	case sel.ResourceID != "":
		id = azidentity.ResourceID(sel.ResourceID)
	case sel.ClientID != "":
		id = azidentity.ClientID(sel.ClientID)
	}
	if sel.Source == detect.ServiceFabric {
		co = uncapTransport(co) // MSAL pins a plain *http.Client here; the wire policy stays
	}
	mi, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{ClientOptions: co, ID: id})
	if err != nil || !sel.Unconfirmed {
		return mi, err
	}
	return newConfirmIMDS(mi, co), nil
}
