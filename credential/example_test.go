package credential_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// emulator starts the local Entra ID emulator and returns the environment of
// one of its scenarios; a real program reads its own environment instead.
func emulator(scenario string) (*entratest.Server, detect.MapEnv) {
	srv, err := entratest.NewServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	env, err := srv.Scenario(scenario)
	if err != nil {
		log.Fatal(err)
	}
	return srv, detect.MapEnv(env)
}

func ExampleNew() {
	srv, env := emulator("service-principal-secret")
	defer srv.Close()

	// In a program: cred, err := credential.New(nil)
	cred, err := credential.New(&credential.Options{Env: env, ClientOptions: srv.ClientOptions()})
	if err != nil {
		log.Fatal(err)
	}
	defer cred.Close()
	if _, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(cred.Selection().Kind)
	fmt.Println("token requests:", srv.EndpointRequests(entratest.TokenEndpoint))
	// Output:
	// service-principal-secret
	// token requests: 1
}

// A password in AZURE_USERNAME/AZURE_PASSWORD is never sent: New refuses it
// and says what to use instead.
func ExampleNew_refused() {
	srv, env := emulator("ropc-mfa")
	defer srv.Close()

	_, err := credential.New(&credential.Options{Env: env, ClientOptions: srv.ClientOptions()})
	fmt.Println(errors.Is(err, autherrors.ErrUserIdentityRefused))
	fmt.Println("password grants sent:", srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" }))
	// Output:
	// true
	// password grants sent: 0
}

// The error-handling pattern: match the code with errors.Is, read the
// remedy with errors.As, and reach azidentity's error underneath.
func ExampleNew_errorHandling() {
	srv, env := emulator("expired-secret")
	defer srv.Close()

	cred, err := credential.New(&credential.Options{Env: env, ClientOptions: srv.ClientOptions()})
	if err != nil {
		log.Fatal(err)
	}
	defer cred.Close()
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})

	var d *autherrors.Diagnostic
	if errors.As(err, &d) {
		fmt.Println(d.Code, d.AADSTS)
	}
	fmt.Println(errors.Is(err, autherrors.ErrClientSecretExpired))
	var afe *azidentity.AuthenticationFailedError
	fmt.Println(errors.As(err, &afe))
	// Output:
	// client-secret-expired AADSTS7000222
	// true
	// true
}

func ExampleGuard() {
	// A credential built elsewhere is accepted if it is made for
	// automation...
	sp, err := azidentity.NewClientSecretCredential(entratest.DefaultTenantID, entratest.DefaultClientID, "secret", nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = credential.Guard(sp, nil)
	fmt.Println(err == nil)

	// ...and refused if it signs in as a person.
	dc, err := azidentity.NewDeviceCodeCredential(nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = credential.Guard(dc, nil)
	fmt.Println(errors.Is(err, autherrors.ErrUserIdentityRefused))
	// Output:
	// true
	// true
}

func ExampleNewChain() {
	srv, env := emulator("service-principal-secret")
	defer srv.Close()

	opts := &azidentity.ClientSecretCredentialOptions{ClientOptions: srv.ClientOptions(), DisableInstanceDiscovery: true}
	sp, err := azidentity.NewClientSecretCredential(entratest.DefaultTenantID, entratest.DefaultClientID, env["AZURE_CLIENT_SECRET"], opts)
	if err != nil {
		log.Fatal(err)
	}
	dc, err := azidentity.NewDeviceCodeCredential(nil)
	if err != nil {
		log.Fatal(err)
	}

	// Every member of a chain is checked before any request.
	_, err = credential.NewChain([]azcore.TokenCredential{sp, dc}, nil)
	fmt.Println(errors.Is(err, autherrors.ErrUserIdentityRefused))

	cred, err := credential.NewChain([]azcore.TokenCredential{sp}, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer cred.Close()
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com/.default"}})
	fmt.Println(err == nil, cred.Selection().Kind)
	// Output:
	// true
	// true custom
}
