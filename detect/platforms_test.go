package detect

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"testing/fstest"
	"time"
)

// Realistic environments: the variables each platform really sets, plus the
// noise around them. Values are fake but shaped like the real ones.

const (
	tenant     = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	client     = "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b"
	uami       = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
	serviceCon = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
	// canary stands for every secret value; it must never be printed.
	canary = "CANARY-s3cr3t-Q7~xyz"
)

// merge builds an environment from parts; later parts win.
func merge(parts ...map[string]string) MapEnv {
	m := map[string]string{}
	for _, p := range parts {
		maps.Copy(m, p)
	}
	return MapEnv(m)
}

// linuxNoise is what any Linux process sees.
var linuxNoise = map[string]string{
	"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/home/app",
	"HOSTNAME": "web-7f9c", "LANG": "C.UTF-8", "TERM": "xterm", "SHLVL": "1", "PWD": "/app",
	"HTTP_PROXY": "", "no_proxy": "localhost,127.0.0.1",
}

// githubRunner is an ubuntu-latest job (azure/login style OIDC).
var githubRunner = map[string]string{
	"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKFLOW": "deploy", "GITHUB_RUN_ID": "9876543210",
	"GITHUB_RUN_NUMBER": "42", "GITHUB_JOB": "deploy", "GITHUB_REPOSITORY": "contoso/api", "GITHUB_REPOSITORY_OWNER": "contoso",
	"GITHUB_SHA": "3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a", "GITHUB_REF": "refs/heads/main", "GITHUB_REF_NAME": "main",
	"GITHUB_EVENT_NAME": "push", "GITHUB_ACTOR": "octocat", "GITHUB_SERVER_URL": "https://github.com",
	"GITHUB_API_URL": "https://api.github.com", "GITHUB_WORKSPACE": "/home/runner/work/api/api",
	"GITHUB_ENV": "/home/runner/work/_temp/_runner_file_commands/set_env_1", "GITHUB_OUTPUT": "/home/runner/work/_temp/_runner_file_commands/set_output_1",
	"RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_NAME": "GitHub Actions 12", "RUNNER_TEMP": "/home/runner/work/_temp",
	"RUNNER_TOOL_CACHE": "/opt/hostedtoolcache", "RUNNER_ENVIRONMENT": "github-hosted", "ImageOS": "ubuntu24", "ImageVersion": "20250105.1.0",
	"HOME": "/home/runner", "USER": "runner", "JAVA_HOME": "/usr/lib/jvm/temurin-17-jdk-amd64", "ANDROID_HOME": "/usr/local/lib/android/sdk",
	"GOROOT_1_23_X64": "/opt/hostedtoolcache/go/1.23.4/x64", "ACTIONS_RUNNER_ACTION_ARCHIVE_CACHE": "/opt/actionarchivecache",
	"ACTIONS_RUNTIME_URL": "https://pipelines.actions.githubusercontent.com/abc/", "ACTIONS_RUNTIME_TOKEN": canary,
	"ACTIONS_CACHE_URL": "https://artifactcache.actions.githubusercontent.com/abc/", "AZURE_SUBSCRIPTION_ID": "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6",
}

// githubOIDC is what `permissions: id-token: write` adds, plus the IDs the
// workflow sets.
var githubOIDC = map[string]string{
	"ACTIONS_ID_TOKEN_REQUEST_URL":   "https://pipelines.actions.githubusercontent.com/abc/00000000-0000-0000-0000-000000000000/_apis/distributedtask/hubs/Actions/plans/1/jobs/2/idtoken?api-version=2.0",
	"ACTIONS_ID_TOKEN_REQUEST_TOKEN": canary,
	"AZURE_CLIENT_ID":                client, "AZURE_TENANT_ID": tenant,
}

// pipelinesAgent is a Microsoft-hosted Azure Pipelines job running an
// AzureCLI@2 step with a workload identity federation service connection.
var pipelinesAgent = map[string]string{
	"TF_BUILD": "True", "AGENT_NAME": "Azure Pipelines 3", "AGENT_OS": "Linux", "AGENT_TEMPDIRECTORY": "/home/vsts/work/_temp",
	"BUILD_BUILDID": "1234", "BUILD_REPOSITORY_NAME": "api", "BUILD_SOURCEBRANCH": "refs/heads/main",
	"SYSTEM_COLLECTIONURI": "https://dev.azure.com/contoso/", "SYSTEM_TEAMPROJECT": "api", "SYSTEM_JOBID": "12f1170f-54f2-53f3-20dd-22fc7dff55f9",
	"SYSTEM_OIDCREQUESTURI": "https://dev.azure.com/contoso/8a3e2f10-1b2c-4d3e-9f40-5a6b7c8d9e0f/_apis/distributedtask/hubs/build/plans/1/jobs/2/oidctoken",
	"AZURE_HTTP_USER_AGENT": "VSTS_0e1f_build_1_0", "AZURE_CONFIG_DIR": "/home/vsts/work/_temp/.azclitask", "HOME": "/home/vsts",
}

var pipelinesOIDC = map[string]string{
	"SYSTEM_ACCESSTOKEN":                      canary,
	"AZURESUBSCRIPTION_CLIENT_ID":             client,
	"AZURESUBSCRIPTION_TENANT_ID":             tenant,
	"AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": serviceCon,
}

// appServiceLinux is a Linux web app with a system-assigned identity.
var appServiceLinux = map[string]string{
	"WEBSITE_SITE_NAME": "contoso-api", "WEBSITE_RESOURCE_GROUP": "rg-api", "WEBSITE_OWNER_NAME": "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6+rg-api-WestEuropewebspace",
	"WEBSITE_INSTANCE_ID": "8f2d3c4b5a6978e1f0d2c3b4a5968778e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4", "WEBSITE_HOSTNAME": "contoso-api.azurewebsites.net",
	"WEBSITE_SKU": "PremiumV3", "REGION_NAME": "West Europe", "PORT": "8080", "HOME": "/home", "WEBSITE_ROLE_INSTANCE_ID": "0",
	"IDENTITY_ENDPOINT": "http://169.254.129.3:8081/msi/token", "IDENTITY_HEADER": canary,
	"MSI_ENDPOINT": "http://169.254.129.3:8081/msi/token", "MSI_SECRET": canary,
	"APPSETTING_WEBSITE_SITE_NAME": "contoso-api", "WEBSITE_AUTH_ENABLED": "False",
}

// functionsConsumption is a Functions app (custom handler) on Windows.
var functionsConsumption = map[string]string{
	"FUNCTIONS_EXTENSION_VERSION": "~4", "FUNCTIONS_WORKER_RUNTIME": "custom", "WEBSITE_SITE_NAME": "contoso-func",
	"WEBSITE_SKU": "Dynamic", "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=" + canary,
	"IDENTITY_ENDPOINT": "http://127.0.0.1:41056/msi/token/", "IDENTITY_HEADER": canary,
	"MSI_ENDPOINT": "http://127.0.0.1:41056/msi/token/", "MSI_SECRET": canary,
	"ProgramData": `C:\ProgramData`, "HOME": `C:\home`,
}

// functionsLegacy is an older plan that sets only the MSI_* pair.
var functionsLegacy = map[string]string{
	"FUNCTIONS_EXTENSION_VERSION": "~3", "FUNCTIONS_WORKER_RUNTIME": "dotnet", "WEBSITE_SITE_NAME": "legacy-func",
	"MSI_ENDPOINT": "http://127.0.0.1:41056/MSI/token/", "MSI_SECRET": canary,
}

// containerApps runs on Kubernetes underneath, hence KUBERNETES_*.
var containerApps = map[string]string{
	"CONTAINER_APP_NAME": "orders", "CONTAINER_APP_REVISION": "orders--20mh1s9", "CONTAINER_APP_REPLICA_NAME": "orders--20mh1s9-6d8f7c9b5-x2k4p",
	"CONTAINER_APP_HOSTNAME": "orders--20mh1s9.kindocean-a1b2c3.westeurope.azurecontainerapps.io", "CONTAINER_APP_ENV_DNS_SUFFIX": "kindocean-a1b2c3.westeurope.azurecontainerapps.io",
	"CONTAINER_APP_PORT": "8080", "KUBERNETES_SERVICE_HOST": "100.100.224.1", "KUBERNETES_SERVICE_PORT": "443", "KUBERNETES_PORT": "tcp://100.100.224.1:443",
	"IDENTITY_ENDPOINT": "http://localhost:42356/msi/token", "IDENTITY_HEADER": canary,
	"MSI_ENDPOINT": "http://localhost:42356/msi/token", "MSI_SECRET": canary,
}

var serviceFabric = map[string]string{
	"Fabric_ApplicationName": "fabric:/Orders", "Fabric_NodeName": "_nt1_0", "Fabric_ServicePackageName": "OrdersPkg",
	"IDENTITY_ENDPOINT": "https://10.0.0.4:2377/metadata/identity/oauth2/token", "IDENTITY_HEADER": canary,
	"IDENTITY_SERVER_THUMBPRINT": "5a1c2b3d4e5f60718293a4b5c6d7e8f901234567", "IDENTITY_API_VERSION": "2019-07-01-preview",
}

var arcServer = map[string]string{
	"IDENTITY_ENDPOINT": "http://localhost:40342/metadata/identity/oauth2/token", "IMDS_ENDPOINT": "http://localhost:40342",
}

// azureMLCluster is a training job on a compute cluster with a managed
// identity: DEFAULT_IDENTITY_CLIENT_ID holds its client ID.
var azureMLCluster = map[string]string{
	"AZUREML_RUN_ID": "quiet_lamp_1x2y3z", "AZUREML_ARM_WORKSPACE_NAME": "ml-ws", "AZUREML_ARM_RESOURCEGROUP": "rg-ml",
	"MSI_ENDPOINT": "http://127.0.0.1:46808/MSI/auth", "MSI_SECRET": canary, "DEFAULT_IDENTITY_CLIENT_ID": uami,
}

// azureMLInstance is a compute instance without a managed identity.
var azureMLInstance = map[string]string{
	"CI_NAME": "alice-ci", "CI_WORKSPACE": "ml-ws", "CI_RESOURCE_GROUP": "rg-ml",
	"MSI_ENDPOINT": "http://127.0.0.1:46808/MSI/auth", "MSI_SECRET": canary, "DEFAULT_IDENTITY_CLIENT_ID": "clientid",
}

var cloudShell = map[string]string{
	"ACC_CLOUD": "AzureCloud", "AZUREPS_HOST_ENVIRONMENT": "cloud-shell/1.0", "AZURE_HTTP_USER_AGENT": "cloud-shell/1.0",
	"ACC_LOCATION": "westeurope", "ACC_TERM_ID": "a1b2", "USER": "alice", "HOME": "/home/alice",
	"MSI_ENDPOINT": "http://localhost:50342/oauth2/token",
}

// aksWorkload is what the AKS workload identity webhook injects.
var aksWorkload = map[string]string{
	"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443", "KUBERNETES_PORT_443_TCP": "tcp://10.0.0.1:443",
	"AZURE_CLIENT_ID": client, "AZURE_TENANT_ID": tenant,
	"AZURE_FEDERATED_TOKEN_FILE": "/var/run/secrets/azure/tokens/azure-identity-token",
	"AZURE_AUTHORITY_HOST":       "https://login.microsoftonline.com/",
}

var aksNode = map[string]string{
	"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443", "HOSTNAME": "orders-6d8f7c9b5-x2k4p",
}

var servicePrincipalSecret = map[string]string{
	"AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": client, "AZURE_CLIENT_SECRET": canary,
}

var servicePrincipalCert = map[string]string{
	"AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": client,
	"AZURE_CLIENT_CERTIFICATE_PATH": "/etc/ssl/private/sp.pem", "AZURE_CLIENT_CERTIFICATE_PASSWORD": canary,
	"AZURE_CLIENT_SEND_CERTIFICATE_CHAIN": "true",
}

// testJWT builds an unsigned-looking token with the given payload.
func testJWT(payload map[string]any) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"k1","typ":"JWT"}`))
	b, _ := json.Marshal(payload)
	return h + "." + base64.RawURLEncoding.EncodeToString(b) + ".c2lnbmF0dXJl"
}

// testNow is the fixed clock of the tests.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

var saToken = testJWT(map[string]any{
	"iss": "https://westeurope.oic.prod-aks.azure.com/" + tenant + "/1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9/",
	"sub": "system:serviceaccount:orders:orders-sa", "aud": []string{"api://AzureADTokenExchange"},
	"exp": testNow.Add(time.Hour).Unix(), "iat": testNow.Add(-time.Hour).Unix(),
})

// files is the file system of the tests.
func files() fstest.MapFS {
	return fstest.MapFS{
		"var/run/secrets/azure/tokens/azure-identity-token": {Data: []byte(saToken + "\n")},
		"etc/ssl/private/sp.pem":                            {Data: testCerts().pem},
		"tmp/expired-token":                                 {Data: []byte(testJWT(map[string]any{"iss": "https://token.actions.githubusercontent.com", "aud": "api://AzureADTokenExchange", "exp": testNow.Add(-time.Minute).Unix()}))},
		"tmp/wrong-audience":                                {Data: []byte(testJWT(map[string]any{"iss": "https://kubernetes.default.svc", "aud": "https://kubernetes.default.svc", "exp": testNow.Add(time.Hour).Unix()}))},
		"tmp/not-a-jwt":                                     {Data: []byte("hello\n")},
		"tmp/unreadable":                                    {Data: []byte("x"), Mode: 0o000},
		"tmp/dir/x":                                         {Data: []byte("x")},
	}
}
