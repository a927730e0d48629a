package useridentity

import (
	"go/types"
	"strings"
)

// kind is why an API fails unattended.
type kind int

const (
	password kind = iota
	interactive
	deviceCode
	authCode
	onBehalfOf
	developerTool
	cliOption
	mayChoose
)

// why completes "<API> …": what the API does that needs a person.
var why = [...]string{
	password:      "signs in as a person with a password (the ROPC grant), which Microsoft Entra's mandatory MFA refuses (AADSTS50076) and which breaks when the password changes",
	interactive:   "opens a browser for a person to sign in and pass MFA; unattended, nobody is there to do it",
	deviceCode:    "waits for a person to enter a code in a browser and pass MFA; unattended, it times out",
	authCode:      "redeems a code from a person's browser sign-in and keeps refreshing that person's token, which MFA and password changes end",
	onBehalfOf:    "exchanges a signed-in person's token; an unattended program has no person to act for",
	developerTool: "uses a developer's own login (az login, azd auth login, Connect-AzAccount): a person's account, subject to MFA, that expires and is absent on servers",
	cliOption:     "turns on Azure CLI sign-in, which uses a developer's own login (az login): a person's account, subject to MFA, that expires and is absent on servers",
	mayChoose:     "may select a password or a developer login at run time (AZURE_USERNAME/AZURE_PASSWORD, az login), which signs in as a person and fails MFA unattended",
}

// remedy is the replacement every message names.
const remedy = "use credential.New from github.com/autoidentity/autoidentity/credential, or a managed identity, workload identity or service principal"

const (
	azidentityPath = "github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	msalPublic     = "github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	msalConfid     = "github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	adalPath       = "github.com/Azure/go-autorest/autorest/adal"
	autorestAuth   = "github.com/Azure/go-autorest/autorest/azure/auth"
	autorestCLI    = "github.com/Azure/go-autorest/autorest/azure/cli"
	hashicorpAuth  = "github.com/hashicorp/go-azure-sdk/sdk/auth"
	credentialPath = "github.com/autoidentity/autoidentity/credential"

	chainKey   = azidentityPath + ".NewChainedTokenCredential"
	cliField   = hashicorpAuth + ".Credentials.EnableAuthenticatingUsingAzureCLI"
	defaultKey = azidentityPath + ".NewDefaultAzureCredential"
	envKey     = azidentityPath + ".NewEnvironmentCredential"
)

// apis are the reported functions, methods, struct types (reported where a
// composite literal builds one) and fields (reported where set to anything
// but the constant false), keyed by package path, receiver or struct type,
// and name, as [key] spells them.
var apis = map[string]kind{
	azidentityPath + ".NewUsernamePasswordCredential":               password,
	azidentityPath + ".NewInteractiveBrowserCredential":             interactive,
	azidentityPath + ".NewDeviceCodeCredential":                     deviceCode,
	azidentityPath + ".NewOnBehalfOfCredentialWithCertificate":      onBehalfOf,
	azidentityPath + ".NewOnBehalfOfCredentialWithClientAssertions": onBehalfOf,
	azidentityPath + ".NewOnBehalfOfCredentialWithSecret":           onBehalfOf,
	azidentityPath + ".NewAzureCLICredential":                       developerTool,
	azidentityPath + ".NewAzureDeveloperCLICredential":              developerTool,
	azidentityPath + ".NewAzurePowerShellCredential":                developerTool,
	defaultKey: mayChoose,
	envKey:     mayChoose,

	msalPublic + ".Client.AcquireTokenByUsernamePassword": password,
	msalPublic + ".Client.AcquireTokenInteractive":        interactive,
	msalPublic + ".Client.AcquireTokenByDeviceCode":       deviceCode,
	msalConfid + ".Client.AcquireTokenByUsernamePassword": password,
	msalConfid + ".Client.AcquireTokenOnBehalfOf":         onBehalfOf,

	adalPath + ".NewServicePrincipalTokenFromUsernamePassword":  password,
	adalPath + ".NewServicePrincipalTokenFromAuthorizationCode": authCode,
	adalPath + ".InitiateDeviceAuth":                            deviceCode,
	adalPath + ".InitiateDeviceAuthWithContext":                 deviceCode,
	adalPath + ".CheckForUserCompletion":                        deviceCode,
	adalPath + ".CheckForUserCompletionWithContext":             deviceCode,
	adalPath + ".WaitForUserCompletion":                         deviceCode,
	adalPath + ".WaitForUserCompletionWithContext":              deviceCode,

	autorestAuth + ".NewAuthorizerFromCLI":                     developerTool,
	autorestAuth + ".NewAuthorizerFromCLIWithResource":         developerTool,
	autorestAuth + ".NewUsernamePasswordConfig":                password,
	autorestAuth + ".UsernamePasswordConfig":                   password,
	autorestAuth + ".EnvironmentSettings.GetUsernamePassword":  password,
	autorestAuth + ".NewDeviceFlowConfig":                      deviceCode,
	autorestAuth + ".DeviceFlowConfig":                         deviceCode,
	autorestAuth + ".EnvironmentSettings.GetDeviceFlow":        deviceCode,
	autorestAuth + ".NewAuthorizerFromEnvironment":             mayChoose,
	autorestAuth + ".NewAuthorizerFromEnvironmentWithResource": mayChoose,
	autorestAuth + ".EnvironmentSettings.GetAuthorizer":        mayChoose,
	autorestCLI + ".GetTokenFromCLI":                           developerTool,
	autorestCLI + ".GetTokenFromCLIWithParams":                 developerTool,
	autorestCLI + ".LoadTokens":                                developerTool,

	hashicorpAuth + ".NewAzureCliAuthorizer": developerTool,
	cliField:                                 cliOption,
}

// propagators return a credential or authorizer built on their arguments:
// one built on a user credential signs in as a person too.
var propagators = map[string]bool{
	"github.com/Azure/go-autorest/autorest.NewBearerAuthorizer": true,
	hashicorpAuth + ".NewAuthorizerFromCredentials":             true,
	hashicorpAuth + ".NewCachedAuthorizer":                      true,
}

// key names a package-level function, a method of a named type, or a type
// declared at package level: "path.Name" or "path.Recv.Name", with any
// vendor directory removed from the path. It is "" for anything else.
func key(obj types.Object) string {
	if obj == nil || obj.Pkg() == nil {
		return ""
	}
	path := pkgPath(obj.Pkg())
	switch obj := obj.(type) {
	case *types.Func:
		recv := obj.Origin().Signature().Recv()
		if recv == nil {
			return path + "." + obj.Name()
		}
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return path + "." + n.Obj().Name() + "." + obj.Name()
		}
	case *types.TypeName:
		if obj.Parent() == obj.Pkg().Scope() {
			return path + "." + obj.Name()
		}
	}
	return ""
}

// display shortens a key to the package's last path element:
// "azidentity.NewDeviceCodeCredential".
func display(k string) string {
	dot := strings.LastIndex(k, "/") + 1
	return k[dot:]
}

// pkgPath is p's import path without any vendor directory; "" for nil.
func pkgPath(p *types.Package) string {
	if p == nil {
		return ""
	}
	path := p.Path()
	if i := strings.LastIndex(path, "/vendor/"); i >= 0 {
		path = path[i+len("/vendor/"):]
	}
	return path
}
