package credential

import (
	"fmt"
	"github.com/autoidentity/autoidentity/internal/detectfs"
	"io/fs"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
)

// Options configure [New]. The zero value is useful: the process
// environment decides, the public cloud unless AZURE_AUTHORITY_HOST says
// otherwise, no IMDS probe, developer tools refused, nothing logged.
type Options struct {
	// AdditionallyAllowedTenants lets the credential get tokens from these
	// tenants besides its own ("*" for any). Default:
	// AZURE_ADDITIONALLY_ALLOWED_TENANTS.
	AdditionallyAllowedTenants []string

	// AllowDeveloperTools opts in to Azure CLI, Azure Developer CLI and
	// Azure PowerShell as a last resort for local runs. Even then, on a CI
	// runner (see detect.CI; Env or the process environment saying so is
	// enough) only app tokens are accepted from them. Default false: they
	// are refused.
	AllowDeveloperTools bool

	// ClientID overrides AZURE_CLIENT_ID: the application's client ID, or
	// a user-assigned managed identity's. Default: AZURE_CLIENT_ID.
	ClientID string

	// ClientOptions configures azidentity's HTTP pipeline: transport,
	// retries, logging, and the cloud (cloud.AzurePublic, AzureChina,
	// AzureGovernment, or a custom authority host). When Cloud is unset,
	// AZURE_AUTHORITY_HOST applies; setting both to different hosts is an
	// error.
	ClientOptions azcore.ClientOptions

	// Env is where detection reads variables. Default: the process
	// environment. azidentity's managed identity and Azure Pipelines
	// credentials read a few variables from the process environment
	// themselves; New refuses an Env that disagrees with it on those.
	Env detect.Env

	// Kind forces one kind, as AZURE_TOKEN_CREDENTIALS does from the
	// environment. Default "": the environment decides.
	Kind detect.Kind

	// Logger receives the selection report once, at New (no secrets).
	// Default nil: nothing is logged.
	Logger *slog.Logger

	// ManagedIdentityID selects a user-assigned managed identity by client,
	// object or resource ID (azidentity.ClientID, ObjectID, ResourceID).
	// Default: AZURE_CLIENT_ID as a client ID, else the system-assigned
	// identity.
	ManagedIdentityID azidentity.ManagedIDKind

	// OpaqueTokenResources lists resources (e.g. "https://contoso.example")
	// known to issue app tokens that are not readable JWTs (opaque or
	// encrypted). Such a token cannot be proven app-only, so it is refused
	// unless every scope of its request belongs to one of these resources.
	// Default nil: none.
	OpaqueTokenResources []string

	// ProbeIMDS selects the Instance Metadata Service's managed identity
	// when no other identity is configured, on a machine whose firmware
	// does not show an Azure VM (detect.Options.AssumeAzureVM). New still
	// sends nothing: the first GetToken asks IMDS, bounded by
	// detect.DefaultProbeTimeout and its context, and fails with
	// managed-identity-unavailable if nothing answers. Default false: IMDS
	// is used when the firmware shows an Azure VM (not on a CI runner), or
	// when asserted (Kind or AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential).
	ProbeIMDS bool

	// TenantID overrides AZURE_TENANT_ID. Default: AZURE_TENANT_ID.
	TenantID string

	// Test seams.
	now      func() time.Time // the GitHub and token file assertions' clock
	firmware fs.FS            // the firmware detect reads instead of the machine's (detectFirmware if nil)
}

// validate rejects options that cannot work, naming the field.
func (o *Options) validate() error {
	for _, f := range []struct{ name, v string }{{"Options.TenantID", o.TenantID}, {"Options.ClientID", o.ClientID}} {
		if strings.TrimSpace(f.v) != f.v || strings.ContainsAny(f.v, "\r\n\x00") {
			return fmt.Errorf("%s has surrounding white space or control characters; pass the bare value", f.name)
		}
	}
	if err := checkResources("Options.OpaqueTokenResources", o.OpaqueTokenResources); err != nil {
		return err
	}
	if o.ManagedIdentityID != nil && o.Kind != "" && o.Kind != detect.ManagedIdentity {
		return fmt.Errorf("Options.ManagedIdentityID is set but Options.Kind is %q: a managed identity ID needs Kind managed-identity or none", o.Kind)
	}
	return nil
}

// detectFirmware, if set, is the firmware detect reads instead of the
// machine's for every New (see internal/detectfs): the package's tests set
// it in TestMain, so that the machine they run on (an Azure VM, or not)
// does not change what is selected.
var detectFirmware fs.FS

// detectOptions are the options detection runs with: what o selects, and
// the managed identity ID, so that the Result reports the identity
// azidentity will ask for. (Detect itself refuses a Kind it cannot select.)
func (o *Options) detectOptions() *detect.Options {
	d := &detect.Options{AllowDeveloperTools: o.AllowDeveloperTools, Kind: o.Kind, ManagedIdentityID: managedIdentityID(o.ManagedIdentityID),
		AssumeAzureVM: o.ProbeIMDS}
	if fsys := o.firmware; fsys != nil {
		detectfs.Firmware(d, fsys)
	} else if detectFirmware != nil {
		detectfs.Firmware(d, detectFirmware)
	}
	return d
}

// managedIdentityID is azidentity's ID as detect names it. ManagedIDKind
// has an unexported method, so azidentity's three types are all there is.
func managedIdentityID(id azidentity.ManagedIDKind) detect.ManagedIdentityID {
	switch id := id.(type) {
	case azidentity.ClientID:
		return detect.ManagedIdentityID{ClientID: string(id)}
	case azidentity.ObjectID:
		return detect.ManagedIdentityID{ObjectID: string(id)}
	case azidentity.ResourceID:
		return detect.ManagedIdentityID{ResourceID: string(id)}
	}
	return detect.ManagedIdentityID{}
}

// overlayEnv lets Options.TenantID and ClientID take the place of their
// variables, so detection validates and reports them like the rest.
type overlayEnv struct {
	base               detect.Env
	tenantID, clientID string
}

func (e overlayEnv) LookupEnv(key string) (string, bool) {
	switch {
	case key == "AZURE_TENANT_ID" && e.tenantID != "":
		return e.tenantID, true
	case key == "AZURE_CLIENT_ID" && e.clientID != "":
		return e.clientID, true
	}
	return e.base.LookupEnv(key)
}

// checkResources rejects an OpaqueTokenResources entry that is not a
// resource: an opt-in that matched every scope ("https://", "") would turn
// the token inspection off, so each entry must be a URL or app ID URI with
// a host, or an application ID.
func checkResources(field string, resources []string) error {
	for _, r := range resources {
		u, err := url.Parse(r)
		ok := err == nil && u.Scheme != "" && u.Host != "" && u.User == nil && u.RawQuery == "" && u.Fragment == ""
		if !ok && !isGUID(r) {
			return fmt.Errorf("%s has an entry (%d characters) that is not a resource: use the resource's URL or app ID URI, e.g. https://contoso.example or api://<app-id>, or its application ID", field, len(r))
		}
	}
	return nil
}

// isGUID reports whether s has the 8-4-4-4-12 hex form of an application ID.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'):
			return false
		}
	}
	return true
}
