package detect_test

import (
	"strings"
	"testing"

	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// TestPlatform: detect decides where the program runs for the remedies,
// from the same variables it reads for the identity. Only App Service's
// managed identity variable pair means App Service: Azure Arc and Service
// Fabric are never told to run `az webapp identity assign`.
func TestPlatform(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  detect.MapEnv
		want autherrors.Platform
	}{
		{"nothing", detect.MapEnv{}, ""},
		{"github", detect.MapEnv{"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "contoso/app", "GITHUB_REF": "refs/heads/main"}, autherrors.PlatformGitHubActions},
		{"pipelines", detect.MapEnv{"TF_BUILD": "True"}, autherrors.PlatformAzurePipelines},
		{"pipelines by collection URI", detect.MapEnv{"SYSTEM_TEAMFOUNDATIONCOLLECTIONURI": "https://dev.azure.com/contoso/"}, autherrors.PlatformAzurePipelines},
		{"gitlab kubernetes executor is a CI job", detect.MapEnv{"GITLAB_CI": "true", "KUBERNETES_SERVICE_HOST": "10.0.0.1"}, ""},
		{"pod", detect.MapEnv{"KUBERNETES_SERVICE_HOST": "10.0.0.1"}, autherrors.PlatformKubernetes},
		{"workload identity", detect.MapEnv{"AZURE_FEDERATED_TOKEN_FILE": "/var/run/secrets/azure/tokens/azure-identity-token"}, autherrors.PlatformKubernetes},
		{"app service by name", detect.MapEnv{"WEBSITE_SITE_NAME": "orders-api"}, autherrors.PlatformAppService},
		{"app service by variables", detect.MapEnv{"IDENTITY_ENDPOINT": "http://127.0.0.1:41741/msi/token", "IDENTITY_HEADER": "h"}, autherrors.PlatformAppService},
		{"azure arc", detect.MapEnv{"IDENTITY_ENDPOINT": "http://localhost:40342/metadata/identity/oauth2/token", "IMDS_ENDPOINT": "http://localhost:40342"}, ""},
		{"service fabric", detect.MapEnv{"IDENTITY_ENDPOINT": "https://127.0.0.1:2377/metadata/identity/oauth2/token", "IDENTITY_HEADER": "h", "IDENTITY_SERVER_THUMBPRINT": "AB"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := detect.Detect(tc.env, nil)
			if r.Platform != tc.want {
				t.Fatalf("Platform = %q, want %q", r.Platform, tc.want)
			}
			e := r.Environment()
			if e.Platform != tc.want {
				t.Errorf("Environment().Platform = %q, want %q", e.Platform, tc.want)
			}
			for _, code := range []autherrors.Code{autherrors.ErrManagedIdentityNotFound, autherrors.ErrNoIdentity} {
				webapp := tc.want == autherrors.PlatformAppService
				if r := autherrors.New(code, "", "", nil).For(e).Remedy; strings.Contains(r, "az webapp identity assign") != webapp {
					t.Errorf("%s remedy %q: az webapp identity assign named = %v, want %v", code, r, !webapp, webapp)
				}
			}
		})
	}
}
