package detect

import (
	"time"

	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/secret"
)

// Kind names a non-interactive identity. The values are spelled exactly as
// the CLI's JSON prints them and never change. They are defined here, once:
// package autherrors takes a kind as a string from its caller and never
// spells one.
//
// Two more values appear in a Result without a constant to select them:
// "user-password", the kind of the password sign-in (ROPC) that
// [Result].Refused reports (match a refusal by its Code,
// [autherrors.ErrUserIdentityRefused]); and "custom", the kind package
// credential reports for a caller-supplied credential (credential.Guard,
// credential.NewChain), which detect never selects.
type Kind string

// The kinds detect selects, and [None].
const (
	ServicePrincipalSecret      Kind = "service-principal-secret"
	ServicePrincipalCertificate Kind = "service-principal-certificate"
	WorkloadIdentity            Kind = "workload-identity"
	GitHubActionsOIDC           Kind = "github-actions-oidc"
	AzurePipelinesOIDC          Kind = "azure-pipelines-oidc"
	ManagedIdentity             Kind = "managed-identity"
	// DeveloperTool is selected only when the caller opted in to developer
	// tools (Azure CLI, azd, Azure PowerShell) and nothing else is present.
	DeveloperTool Kind = "developer-tool"
	// None means no usable identity was found; Result says why.
	None Kind = "none"
)

// userPassword is the ROPC flow (AZURE_USERNAME/AZURE_PASSWORD). It is only
// ever reported as refused, and [Options].Kind cannot select it.
const userPassword Kind = "user-password"

// Source says which managed identity endpoint serves a [ManagedIdentity].
type Source string

// Managed identity sources, in the order MSAL checks them (IMDS last).
const (
	ServiceFabric Source = "service-fabric"
	AppService    Source = "app-service"
	AzureML       Source = "azure-ml"
	AzureArc      Source = "azure-arc"
	CloudShell    Source = "cloud-shell"
	IMDS          Source = "imds"
)

// Result is what detect decided and why. It is the one selection value that
// flows from detection to construction: credential builds from it and the
// CLI renders it for people from these fields (json.Marshal for machines;
// String is a one-line summary for logs).
//
// A Result holds no secret value: not in a field, not behind a method.
// URLs it reports have lost their user information and query values. The
// values construction needs travel beside it, unexported, to package
// credential.
type Result struct {
	Kind     Kind     `json:"kind"`
	Source   Source   `json:"source,omitempty"`
	ClientID string   `json:"client_id,omitempty"`
	TenantID string   `json:"tenant_id,omitempty"`
	Evidence []string `json:"evidence"`
	// Skipped lists complete configurations that lost to a higher
	// precedence one.
	Skipped []Skipped `json:"skipped"`
	// Refused lists identities refused by policy (user identities,
	// developer tools), with the fix.
	Refused []Refused `json:"refused"`
	// Incomplete lists configurations that were started but lack something,
	// with exactly what is missing.
	Incomplete []Incomplete `json:"incomplete"`
	// Errors lists malformed settings (bad GUIDs, http authority hosts,
	// unknown AZURE_TOKEN_CREDENTIALS values), each naming the variable.
	Errors   []ConfigError `json:"errors"`
	Warnings []string      `json:"warnings"`
	// CI names the variable that shows a CI runner (e.g. "GITHUB_ACTIONS"), "" when none.
	CI string `json:"ci,omitempty"`
	// Platform is where the program runs, as far as remedies care (GitHub
	// Actions, Azure Pipelines, Kubernetes, App Service), "" when none of
	// those; see [Result.Environment].
	Platform autherrors.Platform `json:"platform,omitempty"`

	// AuthorityHost is AZURE_AUTHORITY_HOST, if set (https, trimmed).
	AuthorityHost string `json:"authority_host,omitempty"`
	// AdditionallyAllowedTenants is AZURE_ADDITIONALLY_ALLOWED_TENANTS.
	AdditionallyAllowedTenants []string `json:"additionally_allowed_tenants,omitempty"`

	// Service principal.
	CertificatePath      string           `json:"certificate_path,omitempty"`
	SendCertificateChain bool             `json:"send_certificate_chain,omitempty"`
	Certificate          *CertificateInfo `json:"certificate,omitempty"`

	// Workload identity: the projected service account token file.
	TokenFile      string     `json:"token_file,omitempty"`
	FederatedToken *TokenInfo `json:"federated_token,omitempty"`

	// GitHub Actions and Azure Pipelines OIDC: where to ask for the
	// federated token (without its query values).
	OIDCRequestURL      string `json:"oidc_request_url,omitempty"`
	ServiceConnectionID string `json:"service_connection_id,omitempty"`

	// Managed identity: the endpoint the environment announced (empty for
	// IMDS; without user information or query values) and, for a
	// user-assigned identity, the one ID azidentity will ask for: ClientID
	// (AZURE_CLIENT_ID, or [Options].ManagedIdentityID.ClientID), or
	// ObjectID or ResourceID, which only [Options].ManagedIdentityID sets
	// (ClientID is then empty, whatever AZURE_CLIENT_ID says).
	Endpoint   string `json:"endpoint,omitempty"`
	ObjectID   string `json:"object_id,omitempty"`
	ResourceID string `json:"resource_id,omitempty"`
	// Probe is the IMDS probe's outcome, when one ran.
	Probe *Probe `json:"probe,omitempty"`
	// Unconfirmed reports an IMDS managed identity selected on evidence
	// that this is an Azure VM (its firmware, or Options.AssumeAzureVM)
	// rather than on IMDS's answer or an assertion: the first token request
	// must confirm that IMDS answers.
	Unconfirmed bool `json:"unconfirmed,omitempty"`

	// DeveloperTools names, in order, the azidentity developer credentials
	// (AzureCLICredential, AzureDeveloperCLICredential,
	// AzurePowerShellCredential) a [DeveloperTool] result tries.
	DeveloperTools []string `json:"developer_tools,omitempty"`
	// LocalTools names the developer tools (az, azd, pwsh) found on PATH
	// when nothing is configured, the caller did not opt in to them and
	// this is not a CI runner: a developer machine, told how to opt in.
	LocalTools []string `json:"local_tools,omitempty"`

	// where holds the public facts remedies quote beyond the fields above
	// (the GitHub repository and ref, the App Service name, AZURE_CLIENT_ID
	// and AZURE_TENANT_ID when no identity was selected); see Environment.
	where autherrors.Environment

	// secrets are the values construction needs; see package
	// internal/secret. A pointer, so fmt prints an address.
	secrets *secret.Values
}

func init() {
	secret.Register(func(r any) *secret.Values {
		res, ok := r.(*Result)
		if !ok || res == nil {
			return nil
		}
		v := res.secrets
		res.secrets = nil
		return v
	})
}

// Skipped is a complete configuration that lost to a higher precedence one.
type Skipped struct {
	Kind   Kind   `json:"kind"`
	Source Source `json:"source,omitempty"`
	Reason string `json:"reason"`
}

// Refused is an identity refused by policy, with the fix.
type Refused struct {
	Kind      Kind            `json:"kind"`
	Source    Source          `json:"source,omitempty"`
	Code      autherrors.Code `json:"code"`
	Reason    string          `json:"reason"`
	Remedy    string          `json:"remedy,omitempty"`
	Variables []string        `json:"variables,omitempty"`
}

// Incomplete is a configuration that was started but cannot be used.
type Incomplete struct {
	Kind    Kind     `json:"kind"`
	Source  Source   `json:"source,omitempty"`
	Present []string `json:"present"`
	Missing []string `json:"missing"`
	// Invalid lists variables that are set but malformed; [Result.Errors]
	// says how.
	Invalid []string `json:"invalid,omitempty"`
	Reason  string   `json:"reason"`
	// ForcedBy names what narrowed the selection to this kind
	// ("AZURE_TOKEN_CREDENTIALS" or "Options.Kind") when nothing it allows
	// is configured; "" otherwise.
	ForcedBy string `json:"forced_by,omitempty"`
}

// ConfigError is a malformed setting: the variable (or file) and the fix.
type ConfigError struct {
	Variable string          `json:"variable"`
	Code     autherrors.Code `json:"code"`
	Message  string          `json:"message"`
	// Remedy is the fix, when it is not already part of Message.
	Remedy string `json:"remedy,omitempty"`
}

// CertificateInfo describes a service principal certificate with public
// facts only: what an app registration lists, so a user can match them.
type CertificateInfo struct {
	Subject          string    `json:"subject"`
	ThumbprintSHA1   string    `json:"thumbprint_sha1"`
	ThumbprintSHA256 string    `json:"thumbprint_sha256"`
	NotAfter         time.Time `json:"not_after"`
}

// TokenInfo describes a federated token file by its public claims; the
// token itself is never kept.
type TokenInfo struct {
	Issuer   string    `json:"iss"`
	Subject  string    `json:"sub"`
	Audience []string  `json:"aud"`
	Expiry   time.Time `json:"exp"`
}

// Probe is the outcome of [ProbeIMDS].
type Probe struct {
	Endpoint string        `json:"endpoint"`
	OK       bool          `json:"ok"`
	Status   int           `json:"status,omitempty"`
	Latency  time.Duration `json:"latency_ns"`
	// Detail is IMDS's error code and description for a 4xx/5xx answer
	// (e.g. "invalid_request: Identity not found"); never a token.
	Detail string `json:"detail,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Environment returns what remedies need to know about where the program
// runs, from what Detect read: the platform, the kind and IDs selected,
// the GitHub repository and ref, the App Service name, the federated
// token's issuer. It holds no secret (register those with
// [autherrors.Environment.AddSecrets]); package credential writes every
// diagnostic for it, and so can a program explaining an error itself:
//
//	d := autherrors.Classify(err).For(detect.Detect(detect.OSEnv(), nil).Environment())
func (r *Result) Environment() *autherrors.Environment {
	e := r.where
	e.Kind, e.Platform = string(r.Kind), r.Platform
	if r.ClientID != "" {
		e.ClientID = r.ClientID
	}
	if r.TenantID != "" {
		e.TenantID = r.TenantID
	}
	if r.FederatedToken != nil {
		e.TokenIssuer = r.FederatedToken.Issuer
	}
	return &e
}
