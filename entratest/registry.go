package entratest

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"
)

// Well-known values every [Server] registers by default, so a test needs one
// line. Secrets and passwords are canaries: tests assert they never appear in
// output.
const (
	// DefaultTenantID is the default tenant.
	DefaultTenantID = "7e570000-0000-4000-8000-000000000001"
	// DefaultTenantDomain is the default tenant's verified domain; it works
	// wherever a tenant ID does.
	DefaultTenantDomain = "entratest.example"
	// DefaultClientID is the default app (service principal), registered with
	// [DefaultClientSecret], the certificate [Server.DefaultCertificate]
	// returns, and federated credentials for the emulator's GitHub, Azure
	// Pipelines and AKS issuers with the Default*Subject subjects.
	DefaultClientID = "7e570000-0000-4000-8000-000000000002"
	// DefaultObjectID is the default app's service principal object ID.
	DefaultObjectID = "7e570000-0000-4000-8000-000000000003"
	// DefaultClientSecret is the default app's client secret (a canary).
	DefaultClientSecret = "entratest~canary~CLIENT~SECRET~8Qz"
	// ExpiredClientSecret is registered on the default app already expired.
	ExpiredClientSecret = "entratest~canary~EXPIRED~SECRET~3Vw"

	// DefaultUsername is a user without MFA: ROPC succeeds for it.
	DefaultUsername = "automation@entratest.example"
	// MFAUsername is a user with MFA: ROPC gets AADSTS50076.
	MFAUsername = "alice@entratest.example"
	// DefaultPassword is both default users' password (a canary).
	DefaultPassword = "entratest~canary~PASSWORD~7Kx"
	// DefaultUserObjectID and MFAUserObjectID are the users' object IDs.
	DefaultUserObjectID = "7e570000-0000-4000-8000-000000000004"
	MFAUserObjectID     = "7e570000-0000-4000-8000-000000000005"

	// SystemAssignedClientID and SystemAssignedObjectID identify the
	// system-assigned managed identity every source has by default.
	SystemAssignedClientID = "7e570000-0000-4000-8000-000000000010"
	SystemAssignedObjectID = "7e570000-0000-4000-8000-000000000011"
	// UserAssignedClientID, UserAssignedObjectID and UserAssignedResourceID
	// identify the default user-assigned managed identity.
	UserAssignedClientID   = "7e570000-0000-4000-8000-000000000020"
	UserAssignedObjectID   = "7e570000-0000-4000-8000-000000000021"
	UserAssignedResourceID = "/subscriptions/7e570000-0000-4000-8000-0000000000ff/resourceGroups/entratest/providers/Microsoft.ManagedIdentity/userAssignedIdentities/entratest-identity"
	// SystemAssignedResourceID is the VM the system identity belongs to, as
	// IMDS tokens name it in xms_mirid; the other platforms name their own
	// resource (a web app behind App Service, a connected machine behind
	// Azure Arc).
	SystemAssignedResourceID = "/subscriptions/7e570000-0000-4000-8000-0000000000ff/resourceGroups/entratest/providers/Microsoft.Compute/virtualMachines/entratest-vm"

	// FederatedAudience is the audience Entra requires of federated tokens.
	FederatedAudience = "api://AzureADTokenExchange"
	// DefaultGitHubSubject, DefaultPipelinesSubject and DefaultAKSSubject are
	// the subjects the emulator's issuers put in their tokens by default and
	// that the default app's federated credentials accept.
	DefaultGitHubSubject    = "repo:autoidentity/demo:ref:refs/heads/main"
	DefaultPipelinesSubject = "sc://entratest-org/entratest-project/entratest-connection"
	DefaultAKSSubject       = "system:serviceaccount:default:workload"

	// DefaultServiceConnectionID is the Azure Pipelines service connection.
	DefaultServiceConnectionID = "7e570000-0000-4000-8000-000000000030"
	// ActionsRequestToken is ACTIONS_ID_TOKEN_REQUEST_TOKEN (a canary).
	ActionsRequestToken = "entratest~canary~ACTIONS~TOKEN~5Tb"
	// SystemAccessToken is SYSTEM_ACCESSTOKEN (a canary).
	SystemAccessToken = "entratest~canary~SYSTEM~ACCESSTOKEN~2Rm"
	// IdentityHeader is IDENTITY_HEADER / MSI_SECRET for the managed
	// identity endpoints (a canary).
	IdentityHeader = "entratest~canary~IDENTITY~HEADER~9Jd"
)

// Microsoft's first-party public clients. Like Entra, every emulated tenant
// has them, with no secret or certificate: they sign users in (password and
// refresh_token grants) and a request that presents a client secret or
// assertion for them gets AADSTS700025.
const (
	// AzureCLIClientID is the Azure CLI's client ID (az login).
	AzureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
	// AzurePowerShellClientID is Azure PowerShell's client ID
	// (Connect-AzAccount).
	AzurePowerShellClientID = "1950a258-227b-4e31-a9cf-717495945fc2"
)

// firstPartyClients are the first-party public clients every tenant has:
// the two above, Visual Studio and Visual Studio Code's Azure sign-in.
var firstPartyClients = map[string]bool{
	AzureCLIClientID:                       true,
	AzurePowerShellClientID:                true,
	"04f0c124-f2bc-4f59-8241-bf6df9866bbd": true, // Visual Studio
	"aebc6443-996d-45c2-90f0-388ff96faa56": true, // Visual Studio Code
}

// firstPartyApp is the service principal of first-party public client id in
// tenant tid, or nil if id is not one.
func firstPartyApp(id, tid string) *App {
	id = strings.ToLower(strings.TrimSpace(id))
	if !firstPartyClients[id] {
		return nil
	}
	return &App{ClientID: id, TenantID: tid, ObjectID: derivedGUID("sp:" + id + ":" + tid), public: true}
}

// Issuer names one of the emulator's OIDC token issuers.
type Issuer string

// The emulator's issuers; their iss claims look like the real ones.
const (
	GitHubIssuer         Issuer = "https://token.actions.githubusercontent.com"
	AzurePipelinesIssuer Issuer = "https://vstoken.dev.azure.com/7e570000-0000-4000-8000-000000000040"
	AKSIssuer            Issuer = "https://eastus.oic.prod-aks.azure.com/7e570000-0000-4000-8000-000000000001/7e570000-0000-4000-8000-000000000041/"
)

// Secret is an app's client secret.
type Secret struct {
	// Value is the secret; the emulator never logs it.
	Value string
	// Expires is when the secret stops working; zero means never.
	Expires time.Time
}

// FederatedCredential is a federated identity credential on an app: Entra
// exchanges a token with exactly this issuer, subject and one of these
// audiences (case-sensitive, like Entra since 2025).
type FederatedCredential struct {
	Issuer  string
	Subject string
	// Audiences defaults to [FederatedAudience].
	Audiences []string
}

// App is an app registration and its service principal.
type App struct {
	// ClientID is required.
	ClientID string
	// TenantID defaults to [DefaultTenantID].
	TenantID string
	// ObjectID is the service principal's object ID (the oid claim); a
	// derived GUID if empty.
	ObjectID             string
	Secrets              []Secret
	Certificates         []*x509.Certificate
	FederatedCredentials []FederatedCredential
	// Roles are the app roles put in its tokens' roles claim.
	Roles []string
	// Blocked makes Conditional Access refuse the app (AADSTS53003).
	Blocked bool

	// public marks a first-party public client (see [AzureCLIClientID]).
	public bool
}

// User is a user account for the password (ROPC) grant and for the user
// tokens Cloud Shell and Azure ML return.
type User struct {
	// Username is the UPN, matched case-insensitively.
	Username string
	Password string
	// MFA makes ROPC fail with AADSTS50076, as it does for every user under
	// Entra's mandatory MFA.
	MFA bool
	// Blocked makes Conditional Access refuse the user (AADSTS53003).
	Blocked bool
	// ObjectID is the oid claim; a derived GUID if empty.
	ObjectID string
	// TenantID defaults to [DefaultTenantID].
	TenantID string
}

// ManagedIdentity is a managed identity; the emulator accepts any of its IDs
// as the selector.
type ManagedIdentity struct {
	ClientID   string
	ObjectID   string
	ResourceID string
	// TenantID defaults to [DefaultTenantID].
	TenantID string
}

func (a *App) validate() error {
	if a.ClientID == "" {
		return fmt.Errorf("entratest: App.ClientID is required")
	}
	for i, f := range a.FederatedCredentials {
		if f.Issuer == "" || f.Subject == "" {
			return fmt.Errorf("entratest: app %s federated credential %d needs Issuer and Subject", a.ClientID, i)
		}
	}
	return nil
}

func (u *User) validate() error {
	if u.Username == "" || !strings.Contains(u.Username, "@") {
		return fmt.Errorf("entratest: User.Username must be a UPN like name@domain, got %q", u.Username)
	}
	return nil
}

func (m *ManagedIdentity) validate() error {
	if m.ClientID == "" || m.ObjectID == "" {
		return fmt.Errorf("entratest: ManagedIdentity needs ClientID and ObjectID")
	}
	return nil
}

// derivedGUID makes a stable GUID-shaped ID from a string, for object IDs
// callers did not set.
func derivedGUID(s string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return fmt.Sprintf("7e57%04x-%04x-4%03x-8%03x-%012x", h>>48&0xffff, h>>32&0xffff, h>>20&0xfff, h>>8&0xfff, h&0xffffffffffff)
}
