package detect

import (
	"runtime"
	"time"
)

// Options configure [Detect]. The zero value is useful: the OS file system,
// no developer tools, precedence decided by the environment alone.
type Options struct {
	// AllowDeveloperTools opts in to the developer tools (Azure CLI, Azure
	// Developer CLI, Azure PowerShell), which act as the signed-in user.
	// Default false: AZURE_TOKEN_CREDENTIALS=dev or a developer tool's
	// credential name is refused with [autherrors.ErrDeveloperCredentialRefused].
	AllowDeveloperTools bool

	// FS checks the files the environment names and looks for the Azure Arc
	// agent. Default: the OS file system. Tests use [IOFS] over a
	// testing/fstest.MapFS.
	FS FS

	// Kind selects one kind from code, as AZURE_TOKEN_CREDENTIALS does from
	// the environment (and overriding it): only that kind is considered.
	// [ManagedIdentity] asserts a managed identity, so IMDS is selected
	// without a probe when no other managed identity endpoint is announced.
	// Default "": the environment decides.
	Kind Kind

	// Probe is the outcome of [ProbeIMDS], if the caller ran it. A probe
	// that reached IMDS lets Detect select IMDS. Default nil: IMDS is
	// selected only when asserted.
	Probe *Probe

	// now and goos are test seams.
	now  func() time.Time
	goos string
}

// withDefaults returns a copy of o with defaults filled in.
func (o *Options) withDefaults() Options {
	var c Options
	if o != nil {
		c = *o
	}
	if c.FS == nil {
		c.FS = osFS{}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.goos == "" {
		c.goos = runtime.GOOS
	}
	return c
}
