package entratest

import (
	"fmt"
	"os"
	"path/filepath"
)

// Env is the environment every scenario starts from: AZURE_AUTHORITY_HOST,
// AZURE_TENANT_ID and AZURE_CLIENT_ID of the default app, and SSL_CERT_FILE
// naming the emulator's CA so Go programs trust it.
func (s *Server) Env() map[string]string {
	return map[string]string{
		"AZURE_AUTHORITY_HOST": s.AuthorityHost(),
		"AZURE_TENANT_ID":      DefaultTenantID,
		"AZURE_CLIENT_ID":      DefaultClientID,
		"SSL_CERT_FILE":        s.CAFile(),
	}
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// ServicePrincipalSecretEnv is [Server.Env] plus AZURE_CLIENT_SECRET.
func (s *Server) ServicePrincipalSecretEnv() map[string]string {
	return merge(s.Env(), map[string]string{"AZURE_CLIENT_SECRET": DefaultClientSecret})
}

// ServicePrincipalCertificateEnv writes the default certificate (PEM, with
// its key) into [Server.Dir] and returns [Server.Env] plus
// AZURE_CLIENT_CERTIFICATE_PATH.
func (s *Server) ServicePrincipalCertificateEnv() (map[string]string, error) {
	path := filepath.Join(s.dir, "client-certificate.pem")
	if err := os.WriteFile(path, s.DefaultCertificate().PEM, 0o600); err != nil {
		return nil, fmt.Errorf("entratest: writing certificate: %w", err)
	}
	return merge(s.Env(), map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": path}), nil
}

// WorkloadIdentityEnv writes a service account token to
// [Server.Dir]/azure-identity-token (rewrite it with
// [Server.WriteServiceAccountToken]) and returns [Server.Env] plus
// AZURE_FEDERATED_TOKEN_FILE, as the AKS workload identity webhook injects.
func (s *Server) WorkloadIdentityEnv() (map[string]string, error) {
	if err := s.WriteServiceAccountToken("", s.opts.TokenLifetime); err != nil {
		return nil, err
	}
	return merge(s.Env(), map[string]string{"AZURE_FEDERATED_TOKEN_FILE": s.serviceAccountTokenFile()}), nil
}

// GitHubActionsEnv is [Server.Env] plus what a GitHub Actions job with
// "permissions: id-token: write" has.
func (s *Server) GitHubActionsEnv() map[string]string {
	return merge(s.Env(), map[string]string{
		"GITHUB_ACTIONS":                 "true",
		"ACTIONS_ID_TOKEN_REQUEST_URL":   s.gitHubIDTokenURL(),
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": ActionsRequestToken,
	})
}

// AzurePipelinesEnv is [Server.Env] plus what an AzureCLI@2 / AzurePowerShell
// task with a workload identity service connection has.
func (s *Server) AzurePipelinesEnv() map[string]string {
	return merge(s.Env(), map[string]string{
		"TF_BUILD":                                "True",
		"SYSTEM_OIDCREQUESTURI":                   s.pipelinesOIDCURL(),
		"SYSTEM_ACCESSTOKEN":                      SystemAccessToken,
		"AZURESUBSCRIPTION_CLIENT_ID":             DefaultClientID,
		"AZURESUBSCRIPTION_TENANT_ID":             DefaultTenantID,
		"AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": DefaultServiceConnectionID,
	})
}

// ManagedIdentityEnv is the environment a host of the given kind gives a
// program (App Service, Azure Arc, Cloud Shell, Azure ML, Service Fabric),
// plus SSL_CERT_FILE. IMDS needs no environment (MSAL hard-codes its address;
// only [Server.Client] reaches the emulator's), so it returns just
// SSL_CERT_FILE. MSAL reads these variables with os.Getenv: azidentity tests
// must t.Setenv them (and so cannot be parallel).
func (s *Server) ManagedIdentityEnv(ep Endpoint) (map[string]string, error) {
	env := map[string]string{"SSL_CERT_FILE": s.CAFile()}
	switch ep {
	case IMDS:
	case AppService:
		env["IDENTITY_ENDPOINT"] = s.httpURL + pathAppService
		env["IDENTITY_HEADER"] = IdentityHeader
	case AzureArc:
		env["IDENTITY_ENDPOINT"] = s.httpURL + pathArc
		env["IMDS_ENDPOINT"] = s.httpURL
	case CloudShell:
		env["MSI_ENDPOINT"] = s.httpURL + pathCloudShell
	case AzureML:
		env["MSI_ENDPOINT"] = s.httpURL + pathAzureML
		env["MSI_SECRET"] = IdentityHeader
	case ServiceFabric:
		env["IDENTITY_ENDPOINT"] = s.httpsURL + pathServiceFabric
		env["IDENTITY_HEADER"] = IdentityHeader
		env["IDENTITY_SERVER_THUMBPRINT"] = s.serviceFabricThumbprint()
	default:
		return nil, fmt.Errorf("entratest: %q is not a managed identity endpoint", ep)
	}
	return env, nil
}

// UsernamePasswordEnv is [Server.Env] plus AZURE_USERNAME and AZURE_PASSWORD.
func (s *Server) UsernamePasswordEnv(username string) map[string]string {
	return merge(s.Env(), map[string]string{"AZURE_USERNAME": username, "AZURE_PASSWORD": DefaultPassword})
}
