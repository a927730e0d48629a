package detect

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestReportURLsLoseCredentials: a URL the environment sets may carry user
// information or a signature in its query; no report shows either.
func TestReportURLsLoseCredentials(t *testing.T) {
	t.Parallel()
	const pass, sig = "CANARY-url-password", "CANARY-url-signature"
	cases := []struct {
		name string
		env  MapEnv
	}{
		{"App Service endpoint", merge(appServiceLinux, map[string]string{"IDENTITY_ENDPOINT": "https://msi:" + pass + "@127.0.0.1:41741/msi/token?sig=" + sig + "#" + sig})},
		{"GitHub request URL", merge(githubRunner, githubOIDC, map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": "https://u:" + pass + "@token.actions.example/token?api-version=2.0&sig=" + sig})},
		{"Pipelines request URL", merge(pipelinesAgent, pipelinesOIDC, map[string]string{"SYSTEM_OIDCREQUESTURI": "https://dev.azure.example/org/_apis?sig=" + sig + "&x=" + pass})},
		{"authority host", merge(servicePrincipalSecret, map[string]string{"AZURE_AUTHORITY_HOST": "https://u:" + pass + "@login.example/?sig=" + sig})},
		{"request URL that is not a URL", merge(githubRunner, githubOIDC, map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": pass + sig})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Detect(tc.env, testOptions(nil))
			j, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			for how, out := range map[string]string{"String": r.String(), "JSON": string(j), "%+v": fmt.Sprintf("%+v", *r)} {
				if strings.Contains(out, pass) || strings.Contains(out, sig) {
					t.Errorf("%s shows a URL's credentials:\n%s", how, out)
				}
			}
		})
	}
}

func TestReportURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://127.0.0.1:41741/msi/token":               "https://127.0.0.1:41741/msi/token",
		"https://u:p@host/path?b=2&a=1#frag":              "https://host/path?a=[REDACTED]&b=[REDACTED]",
		"https://host/?":                                  "https://host/",
		"https://host/p?%zz":                              "https://host/p?[REDACTED]",
		"not a url":                                       "(not a URL, 9 characters)",
		"https://login.microsoftonline.com/":              "https://login.microsoftonline.com/",
		"http://localhost:40342/metadata/identity/oauth2": "http://localhost:40342/metadata/identity/oauth2",
	} {
		if got := reportURL(in); got != want {
			t.Errorf("reportURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAuthorityHostWithCredentialsRefused: fail closed; an authority host
// is a bare URL, never one carrying a password or a signature.
func TestAuthorityHostWithCredentialsRefused(t *testing.T) {
	t.Parallel()
	for _, host := range []string{"https://u:p@login.example/", "https://login.example/?sig=x", "https://login.example/#x", "https://login.example/?"} {
		r := Detect(merge(servicePrincipalSecret, map[string]string{"AZURE_AUTHORITY_HOST": host}), testOptions(nil))
		if r.Kind != None || len(r.Errors) == 0 || r.Errors[0].Variable != "AZURE_AUTHORITY_HOST" {
			t.Errorf("%s: kind %s, errors %+v", host, r.Kind, r.Errors)
		}
	}
}
