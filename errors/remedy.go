package autherrors

import (
	"encoding/json"
	"strings"
)

// remedyFor writes d's remedy for env, or returns "" to keep the default.
func remedyFor(d *Diagnostic, env *Environment) string {
	r := ""
	switch d.Code {
	case ErrFederatedIdentityMismatch:
		r = federatedRemedy(d, env)
	case ErrFederatedTokenExpired:
		r = assertionTimeRemedy(d, env)
	case ErrMFARequired, ErrInvalidCredentials, ErrDeviceComplianceRequired, ErrUserIdentityRefused,
		ErrNoIdentity, ErrDeveloperCredentialRefused, ErrTokenCacheUnavailable:
		if u := useIdentityHere(env); u != "" {
			r = u
			if d.Code == ErrMFARequired || d.Code == ErrInvalidCredentials || d.Code == ErrDeviceComplianceRequired {
				r = "A user sign-in cannot pass MFA or device checks unattended. " + u
			}
		}
	case ErrManagedIdentityNotFound, ErrManagedIdentityUnavailable:
		r = managedIdentityRemedy(d.Code, env)
	case ErrInvalidClientSecret, ErrClientSecretExpired:
		if p := env.where(); p == PlatformGitHubActions || p == PlatformAzurePipelines {
			r = lookupCode(d.Code).remedy + " Better: drop the secret for OIDC federation. " + useIdentityHere(env)
		}
	}
	if r == "" {
		r = d.Remedy
	}
	if env.ClientID != "" {
		r = strings.ReplaceAll(r, "<client-id>", env.ClientID)
	}
	return r
}

// useIdentityHere names the non-interactive identity the platform offers.
func useIdentityHere(env *Environment) string {
	switch env.where() {
	case PlatformGitHubActions:
		s := "Use GitHub Actions OIDC: give the job 'permissions: id-token: write', set AZURE_CLIENT_ID and AZURE_TENANT_ID"
		if sub := env.githubSubject(); sub != "" {
			return s + ", and create the federated credential: " + ficCommand(env.ClientID, githubIssuer, sub)
		}
		return s + ", and create a federated credential with issuer " + githubIssuer + " for the workflow's subject."
	case PlatformAzurePipelines:
		return "Use an Azure Resource Manager service connection with workload identity federation in an AzureCLI@2 or AzurePowerShell@5 task (it sets AZURESUBSCRIPTION_CLIENT_ID, AZURESUBSCRIPTION_TENANT_ID and AZURESUBSCRIPTION_SERVICE_CONNECTION_ID), and map the job token into the task: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)."
	case PlatformKubernetes:
		return aksRemedy(env)
	case PlatformAppService:
		return "Enable the app's managed identity (az webapp identity assign --name " + orPlaceholder(env.AppServiceName, "<app>") +
			" --resource-group <rg>) and grant it a role on what it calls."
	}
	return ""
}

func aksRemedy(env *Environment) string {
	ns := orPlaceholder(env.KubernetesNamespace, "<namespace>")
	sa := orPlaceholder(env.KubernetesServiceAccount, "<service-account>")
	return "Use AKS workload identity: annotate the service account with azure.workload.identity/client-id: " +
		orPlaceholder(env.ClientID, "<client-id>") + ", label the pod azure.workload.identity/use: \"true\", and federate the identity: " +
		"az identity federated-credential create --name " + sa + " --identity-name <identity> --resource-group <rg> " +
		"--issuer \"$(az aks show -g <rg> -n <cluster> --query oidcIssuerProfile.issuerUrl -o tsv)\" " +
		"--subject system:serviceaccount:" + ns + ":" + sa + " --audience " + TokenExchangeAudience + "."
}

func managedIdentityRemedy(code Code, env *Environment) string {
	switch env.where() {
	case PlatformGitHubActions, PlatformAzurePipelines:
		return "Hosted CI runners have no managed identity. " + useIdentityHere(env)
	case PlatformAppService:
		if code == ErrManagedIdentityNotFound {
			return "Assign the identity to the app (az webapp identity assign --name " + orPlaceholder(env.AppServiceName, "<app>") +
				" --resource-group <rg> --identities <identity-resource-id>) or set AZURE_CLIENT_ID to the client ID of a user-assigned identity the app has."
		}
		return useIdentityHere(env)
	case PlatformKubernetes:
		return aksRemedy(env)
	}
	return ""
}

// federatedRemedy names the federated credential to create for the subject
// Entra quoted, or the one this environment's token carries. Without
// either it returns the code's default remedy, never d.Remedy: that may be
// an earlier For's, which quoted the subject before this Environment's
// secrets masked it.
func federatedRemedy(d *Diagnostic, env *Environment) string {
	sub := d.Subject
	if strings.Contains(sub, Truncated) || strings.Contains(sub, Redacted) {
		sub = "" // not the subject: never build a command from part of it
	}
	if sub == "" {
		sub = env.githubSubject()
	}
	if sub == "" && env.where() == PlatformKubernetes && env.KubernetesNamespace != "" && env.KubernetesServiceAccount != "" {
		sub = "system:serviceaccount:" + env.KubernetesNamespace + ":" + env.KubernetesServiceAccount
	}
	if sub == "" {
		return lookupCode(d.Code).remedy
	}
	issuer := "<issuer of the presented token>"
	switch {
	case strings.HasPrefix(sub, "repo:"):
		issuer = githubIssuer
	case strings.HasPrefix(sub, "system:serviceaccount:"):
		issuer = "<issuer>"
		if env.TokenIssuer != "" {
			issuer = env.TokenIssuer
		}
	case strings.HasPrefix(sub, "sc://"):
		issuer = "https://vstoken.dev.azure.com/<organization-id>"
	}
	r := "No federated credential matches subject '" + sub + "' (matching is case-sensitive). Create one: " +
		ficCommand(env.ClientID, issuer, sub)
	if strings.HasPrefix(sub, "system:serviceaccount:") && issuer == "<issuer>" {
		r += ", where <issuer> is the cluster's OIDC issuer (az aks show -g <rg> -n <cluster> --query oidcIssuerProfile.issuerUrl -o tsv)"
	}
	if strings.HasPrefix(sub, "system:serviceaccount:") {
		r += " (for a user-assigned identity: az identity federated-credential create --identity-name <identity> --resource-group <rg> --issuer " + issuer + " --subject " + sub + " --audience " + TokenExchangeAudience + ")"
	}
	return r
}

// ficCommand is the az command that creates a federated identity credential.
func ficCommand(clientID, issuer, subject string) string {
	var params strings.Builder
	enc := json.NewEncoder(&params)
	enc.SetEscapeHTML(false) // keep <placeholders> readable
	_ = enc.Encode(struct {
		Name      string   `json:"name"`
		Issuer    string   `json:"issuer"`
		Subject   string   `json:"subject"`
		Audiences []string `json:"audiences"`
	}{ficName(subject), issuer, subject, []string{TokenExchangeAudience}})
	return "az ad app federated-credential create --id " + orPlaceholder(clientID, "<client-id>") + " --parameters '" + strings.TrimSpace(params.String()) + "'"
}

// ficName derives a credential name (letters, digits, '-' and '_').
func ficName(subject string) string {
	var b strings.Builder
	for _, r := range subject {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 100 {
		name = name[:100]
	}
	return orPlaceholder(name, "autoidentity")
}

// assertionTimeRemedy: AADSTS700024 hits federated tokens and
// certificate-signed assertions alike. Which one failed is read from what
// the failure itself says (azidentity names ClientCertificateCredential in
// its message; a GitHub subject starts with repo:) and from the platform,
// never from the caller's kind name: the kinds are package detect's.
func assertionTimeRemedy(d *Diagnostic, env *Environment) string {
	switch {
	case d.certificate:
		return "The certificate-signed client assertion arrived outside its validity window: sync the machine clock (NTP), build a fresh assertion for every token request instead of caching one, and look for long proxy or retry delays."
	case env.where() == PlatformGitHubActions || strings.HasPrefix(d.Subject, "repo:"):
		return "The GitHub OIDC token expired before it was exchanged: request it immediately before the token request (autoidentity does, per request) and do not reuse an azure/login session in long jobs."
	}
	return ""
}
