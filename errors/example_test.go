package autherrors_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

func ExampleParse() {
	d := autherrors.Parse("AADSTS70002: Error validating credentials. AADSTS50126: Invalid username or password\n" +
		"Interactive authentication is needed. Please run:\naz login")
	fmt.Println(d.Code, d.AADSTS)
	// Output: invalid-credentials AADSTS50126
}

// Parse(text).For(env) writes the remedy for where the program runs: here
// a GitHub Actions job. Package detect fills the Environment from the
// variables it reads (detect.Result.Environment); here it is filled by hand.
func ExampleParse_for() {
	env := &autherrors.Environment{Platform: autherrors.PlatformGitHubActions, ClientID: "00001111-aaaa-2222-bbbb-3333cccc4444"}
	d := autherrors.Parse("Error: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:contoso/app:ref:refs/heads/main'.").For(env)
	fmt.Println(d.Code)
	fmt.Println(d.Remedy)
	// Output:
	// federated-identity-mismatch
	// No federated credential matches subject 'repo:contoso/app:ref:refs/heads/main' (matching is case-sensitive). Create one: az ad app federated-credential create --id 00001111-aaaa-2222-bbbb-3333cccc4444 --parameters '{"name":"repo-contoso-app-ref-refs-heads-main","issuer":"https://token.actions.githubusercontent.com","subject":"repo:contoso/app:ref:refs/heads/main","audiences":["api://AzureADTokenExchange"]}'
}

func ExampleClassify() {
	cause := fmt.Errorf("get token: %w", errors.New("AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication"))
	err := fmt.Errorf("listing VMs: %w", autherrors.Classify(cause))

	// The main pattern: branch on the code, read the diagnostic.
	if errors.Is(err, autherrors.ErrMFARequired) {
		var d *autherrors.Diagnostic
		errors.As(err, &d)
		fmt.Println(d.Code, d.AADSTS, errors.Is(d, cause))
	}
	// Output: mfa-required AADSTS50076 true
}

// Classify(err).For(env) writes the remedy for where the program runs:
// here an App Service app, named by the fields set by hand.
func ExampleClassify_for() {
	env := &autherrors.Environment{AppServiceName: "orders-api"}
	d := autherrors.Classify(errors.New(`{"error":"invalid_request","error_description":"Identity not found"}`)).For(env)
	fmt.Println(d.Code)
	fmt.Println(d.Remedy)
	// Output:
	// managed-identity-not-found
	// Assign the identity to the app (az webapp identity assign --name orders-api --resource-group <rg> --identities <identity-resource-id>) or set AZURE_CLIENT_ID to the client ID of a user-assigned identity the app has.
}

func ExampleNew() {
	err := autherrors.New(autherrors.ErrInvalidConfiguration,
		"AZURE_CLIENT_ID is not a GUID",
		"set AZURE_CLIENT_ID to the application (client) ID", nil)
	fmt.Println(err)
	fmt.Println(errors.Is(err, autherrors.ErrInvalidConfiguration))
	// Output:
	// autoidentity: invalid-configuration: AZURE_CLIENT_ID is not a GUID. Fix: set AZURE_CLIENT_ID to the application (client) ID
	// true
}

func ExampleDiagnostic_For() {
	d := autherrors.Parse("Interactive authentication is needed. Please run:\naz login")
	env := &autherrors.Environment{Platform: autherrors.PlatformAzurePipelines}
	fmt.Println(d.For(env).Remedy)
	// Output: A user sign-in cannot pass MFA or device checks unattended. Use an Azure Resource Manager service connection with workload identity federation in an AzureCLI@2 or AzurePowerShell@5 task (it sets AZURESUBSCRIPTION_CLIENT_ID, AZURESUBSCRIPTION_TENANT_ID and AZURESUBSCRIPTION_SERVICE_CONNECTION_ID), and map the job token into the task: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken).
}

func ExampleRedact() {
	fmt.Println(autherrors.Redact("POST /token client_id=abc&client_secret=s3cr3t-value&grant_type=client_credentials"))
	// Output: POST /token client_id=abc&client_secret=[REDACTED]&grant_type=client_credentials
}

// A registered secret is masked in every field of a Diagnostic written
// for the environment, also in the encodings a service or a proxy may echo
// it in: URL-escaped, or base64-encoded inside a longer value, where only
// the characters that mix its first or last bits with its neighbours'
// remain.
func ExampleEnvironment_AddSecrets() {
	env := &autherrors.Environment{}
	env.AddSecrets("hunter2-but-longer")
	basic := base64.StdEncoding.EncodeToString([]byte("app-id:hunter2-but-longer"))
	d := autherrors.New(autherrors.ErrInvalidClientSecret,
		"the proxy logged token?pw="+url.QueryEscape("hunter2-but-longer")+" auth="+basic, "", nil)
	fmt.Println(d.For(env).Summary)
	// Output: the proxy logged token?pw=[REDACTED] auth=YXBwLWlkOm[REDACTED]g==
}

func ExampleCodes() {
	fmt.Println(len(autherrors.Codes()) > 20, autherrors.ErrMFARequired.Summary() != "")
	// Output: true true
}
