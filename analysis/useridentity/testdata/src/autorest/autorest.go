// Package autorest calls go-autorest's user flows.
package autorest

import (
	"github.com/Azure/go-autorest/autorest"
	"github.com/Azure/go-autorest/autorest/adal"
	"github.com/Azure/go-autorest/autorest/azure/auth"
	"github.com/Azure/go-autorest/autorest/azure/cli"
)

func adalFlows(ctx any, sender adal.Sender, cfg adal.OAuthConfig) {
	adal.NewServicePrincipalTokenFromUsernamePassword(cfg, "c", "u", "p", "r")            // want `adal\.NewServicePrincipalTokenFromUsernamePassword signs in as a person with a password`
	adal.NewServicePrincipalTokenFromAuthorizationCode(cfg, "c", "s", "code", "uri", "r") // want `adal\.NewServicePrincipalTokenFromAuthorizationCode redeems a code from a person's browser sign-in`
	code, _ := adal.InitiateDeviceAuth(sender, cfg, "c", "r")                             // want `adal\.InitiateDeviceAuth waits for a person`
	adal.InitiateDeviceAuthWithContext(ctx, sender, cfg, "c", "r")                        // want `adal\.InitiateDeviceAuthWithContext waits`
	adal.CheckForUserCompletion(sender, code)                                             // want `adal\.CheckForUserCompletion waits`
	adal.CheckForUserCompletionWithContext(ctx, sender, code)                             // want `adal\.CheckForUserCompletionWithContext waits`
	adal.WaitForUserCompletion(sender, code)                                              // want `adal\.WaitForUserCompletion waits`
	adal.WaitForUserCompletionWithContext(ctx, sender, code)                              // want `adal\.WaitForUserCompletionWithContext waits`
	adal.NewServicePrincipalToken(cfg, "c", "secret", "r")
	adal.NewServicePrincipalTokenFromMSI("endpoint", "r")
}

func authFlows() {
	auth.NewAuthorizerFromCLI()                        // want `auth\.NewAuthorizerFromCLI uses a developer's own login`
	auth.NewAuthorizerFromCLIWithResource("r")         // want `auth\.NewAuthorizerFromCLIWithResource uses`
	auth.NewUsernamePasswordConfig("u", "p", "c", "t") // want `auth\.NewUsernamePasswordConfig signs in as a person with a password`
	auth.NewDeviceFlowConfig("c", "t")                 // want `auth\.NewDeviceFlowConfig waits for a person`
	_ = auth.DeviceFlowConfig{ClientID: "c"}           // want `auth\.DeviceFlowConfig waits for a person`
	_ = &auth.UsernamePasswordConfig{Username: "u"}    // want `auth\.UsernamePasswordConfig signs in as a person`
	auth.NewAuthorizerFromEnvironment()                // want `auth\.NewAuthorizerFromEnvironment may select a password`
	auth.NewAuthorizerFromEnvironmentWithResource("r") // want `auth\.NewAuthorizerFromEnvironmentWithResource may select`
	s, _ := auth.GetSettingsFromEnvironment()
	s.GetAuthorizer()       // want `auth\.EnvironmentSettings\.GetAuthorizer may select a password`
	s.GetUsernamePassword() // want `auth\.EnvironmentSettings\.GetUsernamePassword signs in`
	s.GetDeviceFlow()       // want `auth\.EnvironmentSettings\.GetDeviceFlow waits`
	s.GetClientCredentials()
	s.GetMSI()
	auth.NewClientCredentialsConfig("c", "s", "t")
	auth.NewMSIConfig()
	auth.NewAuthorizerFromFile("r")
	_ = auth.MSIConfig{}
}

func cliFlows() {
	cli.GetTokenFromCLI("r")                                  // want `cli\.GetTokenFromCLI uses a developer's own login`
	cli.GetTokenFromCLIWithParams(cli.GetAccessTokenParams{}) // want `cli\.GetTokenFromCLIWithParams uses`
	cli.LoadTokens("accessTokens.json")                       // want `cli\.LoadTokens uses`
	cli.ProfilePath()
}

func deviceAuthorizer() (autorest.Authorizer, error) { // want deviceAuthorizer:`returns a user credential from auth\.NewDeviceFlowConfig`
	return auth.NewDeviceFlowConfig("c", "t").Authorizer() // want `auth\.NewDeviceFlowConfig waits`
}

func bearer(cfg adal.OAuthConfig) autorest.Authorizer { // want bearer:`returns a user credential from adal\.NewServicePrincipalTokenFromUsernamePassword`
	spt, _ := adal.NewServicePrincipalTokenFromUsernamePassword(cfg, "c", "u", "p", "r") // want `adal\.NewServicePrincipalTokenFromUsernamePassword signs in`
	return autorest.NewBearerAuthorizer(spt)
}

func usernamePassword() (autorest.Authorizer, error) { // want usernamePassword:`returns a user credential from auth\.UsernamePasswordConfig`
	cfg := auth.UsernamePasswordConfig{Username: "u", Password: "p"} // want `auth\.UsernamePasswordConfig signs in`
	return cfg.Authorizer()
}

func appBearer(cfg adal.OAuthConfig) autorest.Authorizer {
	spt, _ := adal.NewServicePrincipalToken(cfg, "c", "secret", "r")
	return autorest.NewBearerAuthorizer(spt)
}
