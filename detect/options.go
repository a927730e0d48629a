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
	// that reached IMDS lets Detect select IMDS. Default nil: IMDS is
	// selected only when asserted.
	Probe *Probe

	// fs, now and goos are test seams: the file system the environment's
	// files are read from (default: the OS's), the clock and the OS.
	fs   fileSystem
	now  func() time.Time
	goos string
}

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
