package detect_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/autoidentity/autoidentity/detect"
)

// Detect over a recorded App Service environment.
func ExampleDetect() {
	env := detect.MapEnv{
		"WEBSITE_SITE_NAME": "contoso-api",
		"IDENTITY_ENDPOINT": "http://169.254.129.3:8081/msi/token",
		"IDENTITY_HEADER":   "9f1d...",
		"MSI_ENDPOINT":      "http://169.254.129.3:8081/msi/token",
		"MSI_SECRET":        "9f1d...",
		"AZURE_CLIENT_ID":   "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
	}
	r := detect.Detect(env, nil)
	fmt.Println(r.Kind, r.Source, r.ClientID)
	fmt.Println(r.Evidence)
	// Output:
	// managed-identity app-service 0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6
	// [IDENTITY_ENDPOINT IDENTITY_HEADER WEBSITE_SITE_NAME AZURE_CLIENT_ID]
}

// A password is refused, and the report says why and what to do.
func ExampleResult_String() {
	r := detect.Detect(detect.MapEnv{"AZURE_USERNAME": "alice@contoso.com", "AZURE_PASSWORD": "hunter2"}, &detect.Options{Probe: &detect.Probe{Endpoint: detect.IMDSEndpoint, Error: "no answer within 1s"}})
	fmt.Println(r)
	fmt.Println(r.Refused[0].Kind, r.Refused[0].Code, r.Refused[0].Variables)
	// Output:
	// autoidentity: no non-interactive identity selected [user-identity-refused]
	// user-password user-identity-refused [AZURE_USERNAME AZURE_PASSWORD]
}

// The JSON report: secrets never appear in it.
func ExampleResult_json() {
	r := detect.Detect(detect.MapEnv{
		"AZURE_TENANT_ID":     "72f988bf-86f1-41af-91ab-2d7cd011db47",
		"AZURE_CLIENT_ID":     "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b",
		"AZURE_CLIENT_SECRET": "do-not-print",
	}, nil)
	b, _ := json.Marshal(r)
	fmt.Println(string(b))
	// Output:
	// {"kind":"service-principal-secret","client_id":"9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b","tenant_id":"72f988bf-86f1-41af-91ab-2d7cd011db47","evidence":["AZURE_TENANT_ID","AZURE_CLIENT_ID","AZURE_CLIENT_SECRET"],"skipped":[],"refused":[],"incomplete":[],"errors":[],"warnings":[]}
}

// Detect from the process environment.
func ExampleOSEnv() {
	r := detect.Detect(detect.OSEnv(), nil)
	_ = r.Kind // depends on where this runs
}

// Probe IMDS (here a loopback stand-in), then decide with the answer.
func ExampleProbeIMDS() {
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"invalid_request","error_description":"Identity not found"}`)
	}))
	defer imds.Close()

	p := detect.ProbeIMDS(context.Background(), &detect.ProbeOptions{Endpoint: imds.URL})
	fmt.Println(p.OK, p.Status, p.Detail)
	r := detect.Detect(detect.MapEnv{"HOME": "/home/azureuser"}, &detect.Options{Probe: &p})
	fmt.Println(r.Kind, r.Source, len(r.Warnings))
	// Output:
	// true 400 invalid_request: Identity not found
	// managed-identity imds 1
}

// A configuration that was started but cannot be used says what is
// missing.
func ExampleDetect_incomplete() {
	r := detect.Detect(detect.MapEnv{
		"AZURE_TENANT_ID":            "72f988bf-86f1-41af-91ab-2d7cd011db47",
		"AZURE_CLIENT_ID":            "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b",
		"AZURE_FEDERATED_TOKEN_FILE": "/no-such-token",
	}, nil)
	fmt.Println(r.Kind, r.Incomplete[0].Missing)
	// Output:
	// none [file /no-such-token named by AZURE_FEDERATED_TOKEN_FILE (it does not exist)]
}

// Environment hands what detect read to the remedies: here a GitHub
// Actions job with a service principal, whose failure's remedy names the
// federated credential to create for this repository and branch.
func ExampleResult_Environment() {
	r := detect.Detect(detect.MapEnv{
		"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "contoso/app", "GITHUB_REF": "refs/heads/main",
		"AZURE_TENANT_ID": "aaaabbbb-0000-cccc-1111-dddd2222eeee", "AZURE_CLIENT_ID": "00001111-aaaa-2222-bbbb-3333cccc4444",
	}, nil)
	e := r.Environment()
	fmt.Println(e.Platform, e.GitHubRepository, e.GitHubRef, e.ClientID)
	// Output: github-actions contoso/app refs/heads/main 00001111-aaaa-2222-bbbb-3333cccc4444
}
