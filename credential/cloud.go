package credential

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

// knownAuthorities are the Entra ID hosts of the sovereign clouds azcore
// knows. For these, MSAL's instance discovery stays on: it is the check that
// an authority is a real Entra instance.
var knownAuthorities = map[string]bool{
	"login.microsoftonline.com": true,
	"login.chinacloudapi.cn":    true,
	"login.microsoftonline.us":  true,
}

// authority decides the authority host and whether MSAL's instance
// discovery runs. The caller's ClientOptions.Cloud wins; otherwise
// AZURE_AUTHORITY_HOST from the environment; otherwise the public cloud.
//
// A custom authority host (the emulator, Azure Stack, an air-gapped cloud)
// turns instance discovery off: discovery asks login.microsoftonline.com
// about the host, which such a machine cannot reach (MSAL then retries for
// about 20 s and fails with "unable to resolve an endpoint"). The caller
// named the host explicitly, and detect already requires https, so trusting
// it is the configuration working as written; the public clouds keep the
// check.
func authority(co azcore.ClientOptions, envHost string) (azcore.ClientOptions, bool, error) {
	optHost := co.Cloud.ActiveDirectoryAuthorityHost
	switch {
	case optHost != "" && envHost != "" && !sameHost(optHost, envHost):
		return co, false, fmt.Errorf("ClientOptions.Cloud.ActiveDirectoryAuthorityHost is %q but AZURE_AUTHORITY_HOST is %q: set one of them, or make them agree", optHost, envHost)
	case optHost == "" && envHost != "":
		c := co.Cloud
		if c.Services == nil {
			c = cloud.AzurePublic
		}
		c.ActiveDirectoryAuthorityHost = envHost
		co.Cloud = c
	}
	host := co.Cloud.ActiveDirectoryAuthorityHost
	if host == "" {
		return co, false, nil
	}
	u, err := url.Parse(host)
	if err != nil || u.Host == "" {
		return co, false, fmt.Errorf("authority host %q is not a URL: use e.g. https://login.microsoftonline.com/", host)
	}
	if u.Scheme != "https" {
		return co, false, fmt.Errorf("authority host %q must use https", host)
	}
	return co, !knownAuthorities[strings.ToLower(u.Hostname())], nil
}

func sameHost(a, b string) bool {
	return strings.TrimSuffix(strings.ToLower(a), "/") == strings.TrimSuffix(strings.ToLower(b), "/")
}
