package detect

import (
	"runtime"
	"time"
)

// Options configure [Detect]. The zero value is useful: no developer tools,
// precedence decided by the environment alone.
type Options struct {
	// AllowDeveloperTools opts in to the developer tools (Azure CLI, Azure
	// Developer CLI, Azure PowerShell), which act as the signed-in user.
	// Default false: AZURE_TOKEN_CREDENTIALS=dev or a developer tool's
	// credential name is refused with [autherrors.ErrDeveloperCredentialRefused].
	AllowDeveloperTools bool

	// Kind selects one kind from code, as AZURE_TOKEN_CREDENTIALS does from
	// the environment (and overriding it): only that kind is considered.
	// [ManagedIdentity] asserts a managed identity, so IMDS is selected
	// without a probe when no other managed identity endpoint is announced.
	// Default "": the environment decides.
	Kind Kind

	// ManagedIdentityID names the user-assigned managed identity to use
	// (credential.Options.ManagedIdentityID sets it); it takes the place of
	// AZURE_CLIENT_ID for a managed identity, and the Result reports it.
	// A malformed ID, or one the selected source cannot serve (Service
	// Fabric and Azure Arc serve only their system identity, Azure ML takes
	// a client ID only), is an error, not a fallback. Default: the zero
	// value, AZURE_CLIENT_ID as a client ID, else the system-assigned
	// identity.
	ManagedIdentityID ManagedIdentityID

	// Probe is the outcome of [ProbeIMDS], if the caller ran it. A probe
	// that reached IMDS lets Detect select IMDS; one that did not rules it
	// out. Default nil: IMDS is selected when asserted, or when the
	// machine's firmware shows an Azure VM (see the package documentation),
	// unconfirmed until the first token request.
	Probe *Probe

	// AssumeAzureVM treats the machine as an Azure VM whose firmware hides
	// it: when nothing else is configured, IMDS is selected, unconfirmed,
	// as with firmware evidence, and the first token request confirms it
	// (credential.Options.ProbeIMDS sets it). Not on a CI runner, where
	// only an assertion selects IMDS. Default false.
	AssumeAzureVM bool

	// fs, now and goos are test seams: the file system the environment's
	// files are read from (default: the OS's), the clock and the OS.
	// smbios returns the raw SMBIOS table on Windows (default: nil, which
	// means GetSystemFirmwareTable; see smbiosReader). firmware, if set, is
	// the file system the Linux firmware evidence is read from instead of
	// fs (internal/detectfs sets it, and smbios, for the module's tests).
	fs       fileSystem
	now      func() time.Time
	goos     string
	smbios   func() ([]byte, error)
	firmware fileSystem
}

// optionAssumeAzureVM is the evidence AssumeAzureVM gives.
const optionAssumeAzureVM = "Options.AssumeAzureVM (credential.Options.ProbeIMDS): this machine is taken to be an Azure VM"

// ManagedIdentityID names a user-assigned managed identity by one of its
// IDs, as azidentity's ClientID, ObjectID and ResourceID do: set exactly
// one field. The zero value names none.
type ManagedIdentityID struct {
	// ClientID is the identity's client (application) ID, a GUID.
	ClientID string
	// ObjectID is its object (principal) ID, a GUID.
	ObjectID string
	// ResourceID is its Azure resource ID,
	// /subscriptions/…/resourceGroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME.
	ResourceID string
}

// withDefaults returns a copy of o with defaults filled in.
func (o *Options) withDefaults() Options {
	var c Options
	if o != nil {
		c = *o
	}
	if c.fs == nil {
		c.fs = osFS{}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.goos == "" {
		c.goos = runtime.GOOS
	}
	return c
}
