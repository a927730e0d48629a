package entratest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// ScenarioInfo names and describes a scenario.
type ScenarioInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type scenario struct {
	desc string
	env  func(*Server) (map[string]string, error)
}

func static(f func(*Server) map[string]string) func(*Server) (map[string]string, error) {
	return func(s *Server) (map[string]string, error) { return f(s), nil }
}

func mi(ep Endpoint) func(*Server) (map[string]string, error) {
	return func(s *Server) (map[string]string, error) { return s.ManagedIdentityEnv(ep) }
}

var scenarios = map[string]scenario{
	"service-principal-secret": {"AZURE_TENANT_ID, AZURE_CLIENT_ID and a valid AZURE_CLIENT_SECRET of the default app; token requests succeed.",
		static((*Server).ServicePrincipalSecretEnv)},
	"service-principal-certificate": {"AZURE_CLIENT_CERTIFICATE_PATH names a PEM (certificate and key) the emulator wrote; the certificate is registered on the default app.",
		(*Server).ServicePrincipalCertificateEnv},
	"workload-identity": {"AZURE_FEDERATED_TOKEN_FILE names an AKS service account token the emulator wrote; the default app trusts the AKS issuer and subject.",
		(*Server).WorkloadIdentityEnv},
	"github-actions-oidc": {"ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN of a GitHub Actions job; the default app trusts repo:autoidentity/demo:ref:refs/heads/main.",
		static((*Server).GitHubActionsEnv)},
	"azure-pipelines-oidc": {"SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN and AZURESUBSCRIPTION_* of an Azure Pipelines task with a workload identity service connection.",
		static((*Server).AzurePipelinesEnv)},
	"managed-identity-app-service": {"IDENTITY_ENDPOINT and IDENTITY_HEADER of App Service / Functions; the system-assigned identity answers.",
		mi(AppService)},
	"managed-identity-arc": {"IDENTITY_ENDPOINT and IMDS_ENDPOINT of an Azure Arc machine; the endpoint challenges with a key file (see the package documentation for MSAL's fixed key directory).",
		mi(AzureArc)},
	"managed-identity-cloud-shell": {"MSI_ENDPOINT of Cloud Shell, which returns the signed-in user's token (idtyp=user), not a managed identity's.",
		mi(CloudShell)},
	"managed-identity-azure-ml": {"MSI_ENDPOINT and MSI_SECRET of an Azure ML compute with a system-assigned identity.",
		mi(AzureML)},
	"managed-identity-service-fabric": {"IDENTITY_ENDPOINT (HTTPS), IDENTITY_HEADER and IDENTITY_SERVER_THUMBPRINT of a Service Fabric application.",
		mi(ServiceFabric)},
	"ropc-mfa": {"Only AZURE_USERNAME/AZURE_PASSWORD of a user with MFA: a password grant gets AADSTS50076.",
		static(func(s *Server) map[string]string { return s.UsernamePasswordEnv(MFAUsername) })},
	"ropc-mfa-with-secret": {"AZURE_USERNAME/AZURE_PASSWORD of an MFA user next to a valid AZURE_CLIENT_SECRET: the secret works, the password grant gets AADSTS50076.",
		static(func(s *Server) map[string]string {
			return merge(s.ServicePrincipalSecretEnv(), s.UsernamePasswordEnv(MFAUsername))
		})},
	"expired-secret": {"AZURE_CLIENT_SECRET is a secret of the default app that has expired: AADSTS7000222.",
		static(func(s *Server) map[string]string {
			return merge(s.Env(), map[string]string{"AZURE_CLIENT_SECRET": ExpiredClientSecret})
		})},
	"federation-mismatch": {"AZURE_FEDERATED_TOKEN_FILE holds a valid AKS token whose subject no federated credential names: AADSTS700213.",
		federationMismatch},
}

// mismatchedSubject is the subject of the federation-mismatch scenario's
// token.
const mismatchedSubject = "system:serviceaccount:default:not-federated"

func federationMismatch(s *Server) (map[string]string, error) {
	tok, err := s.FederatedToken(AKSIssuer, mismatchedSubject, FederatedAudience, s.opts.TokenLifetime)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(s.dir, "mismatched-identity-token")
	if err := os.WriteFile(path, []byte(tok), 0o600); err != nil {
		return nil, fmt.Errorf("entratest: writing token file: %w", err)
	}
	return merge(s.Env(), map[string]string{"AZURE_FEDERATED_TOKEN_FILE": path}), nil
}

// Scenarios lists the scenarios [Server.Scenario] knows, sorted by name.
func Scenarios() []ScenarioInfo {
	out := make([]ScenarioInfo, 0, len(scenarios))
	for name, sc := range scenarios {
		out = append(out, ScenarioInfo{Name: name, Description: sc.desc})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Scenario returns the environment variables that point a program at the
// emulator for the named scenario, writing any files it needs (certificate
// PEM, token file) into [Server.Dir]. It does not change the server.
func (s *Server) Scenario(name string) (map[string]string, error) {
	sc, ok := scenarios[name]
	if !ok {
		return nil, fmt.Errorf("entratest: unknown scenario %q (see entratest.Scenarios)", name)
	}
	return sc.env(s)
}
