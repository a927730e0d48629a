// Package forms reaches reported APIs through function and method values,
// variables, choices and chains.
package forms

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

var interactive bool

func funcValue() {
	f := azidentity.NewDeviceCodeCredential // want `azidentity\.NewDeviceCodeCredential waits for a person`
	f(nil)
}

func methodValue(c public.Client) {
	acquire := c.AcquireTokenInteractive // want `public\.Client\.AcquireTokenInteractive opens a browser`
	acquire(nil, nil)
}

func methodExpression(c public.Client) {
	byPassword := public.Client.AcquireTokenByUsernamePassword // want `public\.Client\.AcquireTokenByUsernamePassword signs in as a person with a password`
	byPassword(c, nil, nil, "u", "p")
}

// newCred is chosen behind a flag: the package-level default is app-only,
// the assignment in init is not.
var newCred = azidentity.NewManagedIdentityCredential

func init() {
	if interactive {
		newCred = azidentity.NewManagedIdentityCredential
	}
}

var constructors = map[string]func(*azidentity.Options) (*azidentity.DeviceCodeCredential, error){
	"device": azidentity.NewDeviceCodeCredential, // want `azidentity\.NewDeviceCodeCredential waits`
}

func viaVariable() (azcore.TokenCredential, error) { // want viaVariable:`returns a user credential from azidentity\.NewUsernamePasswordCredential`
	var cred azcore.TokenCredential
	var err error
	if interactive {
		cred, err = azidentity.NewClientSecretCredential("t", "c", "s", nil)
	} else {
		cred, err = azidentity.NewUsernamePasswordCredential("t", "c", "u", "p", nil) // want `azidentity\.NewUsernamePasswordCredential signs in`
	}
	return cred, err
}

func bySwitch(mode string) (azcore.TokenCredential, error) { // want bySwitch:`returns a user credential from azidentity\.NewInteractiveBrowserCredential`
	build := func() (azcore.TokenCredential, error) { return azidentity.NewManagedIdentityCredential(nil) }
	switch mode {
	case "browser":
		build = func() (azcore.TokenCredential, error) {
			return azidentity.NewInteractiveBrowserCredential(nil) // want `azidentity\.NewInteractiveBrowserCredential opens`
		}
	case "secret":
		build = func() (azcore.TokenCredential, error) {
			return azidentity.NewClientSecretCredential("t", "c", "s", nil)
		}
	}
	return build()
}

func chainLiteral() {
	cli, _ := azidentity.NewAzureCLICredential(nil) // want `azidentity\.NewAzureCLICredential uses`
	mi, _ := azidentity.NewManagedIdentityCredential(nil)
	azidentity.NewChainedTokenCredential([]azcore.TokenCredential{mi, cli}, nil) // want `^azidentity\.NewChainedTokenCredential chains azidentity\.NewAzureCLICredential, which uses a developer's own login .*; use credential\.New`
}

func chainAppend() (*azidentity.ChainedTokenCredential, error) { // want chainAppend:`returns a user credential from azidentity\.NewDeviceCodeCredential`
	var sources []azcore.TokenCredential
	mi, _ := azidentity.NewManagedIdentityCredential(nil)
	sources = append(sources, mi)
	if interactive {
		dc, _ := azidentity.NewDeviceCodeCredential(nil) // want `azidentity\.NewDeviceCodeCredential waits`
		sources = append(sources, dc)
	}
	return azidentity.NewChainedTokenCredential(sources, nil) // want `azidentity\.NewChainedTokenCredential chains azidentity\.NewDeviceCodeCredential`
}

func chainIndex() {
	sources := make([]azcore.TokenCredential, 2)
	sources[0], _ = azidentity.NewManagedIdentityCredential(nil)
	sources[1], _ = azidentity.NewAzurePowerShellCredential(nil) // want `azidentity\.NewAzurePowerShellCredential uses`
	azidentity.NewChainedTokenCredential(sources, nil)           // want `chains azidentity\.NewAzurePowerShellCredential`
}

func chainOfDefault() {
	dac, _ := azidentity.NewDefaultAzureCredential(nil)                      // want `azidentity\.NewDefaultAzureCredential may select`
	azidentity.NewChainedTokenCredential([]azcore.TokenCredential{dac}, nil) // want `chains azidentity\.NewDefaultAzureCredential, which may select`
}

func chainOfParameter(sources []azcore.TokenCredential) {
	azidentity.NewChainedTokenCredential(sources, nil) // sources of unknown origin are not reported
}

// login wraps a reported constructor; calls to it are reported.
func login() (*azidentity.DeviceCodeCredential, error) { // want login:`returns a user credential from azidentity\.NewDeviceCodeCredential`
	return azidentity.NewDeviceCodeCredential(nil) // want `azidentity\.NewDeviceCodeCredential waits`
}

func loginAgain() (azcore.TokenCredential, error) { // want loginAgain:`returns a user credential from azidentity\.NewDeviceCodeCredential`
	c, err := login() // want `^forms\.login returns a credential that signs in as a person: it uses azidentity\.NewDeviceCodeCredential, which waits for a person .*; use credential\.New`
	return c, err
}

func useLogin() {
	loginAgain() // want `forms\.loginAgain returns a credential that signs in as a person`
	g := login   // want `forms\.login returns a credential`
	g()
}

// token returns the token of a user credential: also a Fact.
func token(ctx any) (string, error) { // want token:`returns a user credential from azidentity\.NewAzureCLICredential`
	cred, err := azidentity.NewAzureCLICredential(nil) // want `azidentity\.NewAzureCLICredential uses`
	if err != nil {
		return "", err
	}
	tok, err := cred.GetToken(ctx, azcore.TokenRequestOptions{})
	return tok.Token, err
}

// check returns only a bool: no Fact.
func check() bool {
	_, err := azidentity.NewAzureDeveloperCLICredential(nil) // want `azidentity\.NewAzureDeveloperCLICredential uses`
	return err == nil
}

func useCheck() bool { return check() }

// holder keeps a user credential in a field: the analyzer does not follow
// struct fields, so newHolder gets no Fact.
type holder struct{ cred azcore.TokenCredential }

func newHolder() *holder {
	h := &holder{}
	h.cred, _ = azidentity.NewDeviceCodeCredential(nil) // want `azidentity\.NewDeviceCodeCredential waits`
	return h
}

func useHolder() { newHolder() }

// NewDeviceCodeCredential has the name of a reported API but is not it:
// objects are resolved by package path, never by identifier text.
func NewDeviceCodeCredential(*azidentity.Options) (*azidentity.ManagedIdentityCredential, error) {
	return azidentity.NewManagedIdentityCredential(nil)
}

func sameName() { NewDeviceCodeCredential(nil) }
