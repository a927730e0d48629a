package autherrors

import (
	"strings"
)

// Platform names where a program runs, as far as remedies care.
type Platform string

// The platforms remedies are written for.
const (
	PlatformGitHubActions  Platform = "github-actions"
	PlatformAzurePipelines Platform = "azure-pipelines"
	PlatformAKS            Platform = "aks"
	PlatformAppService     Platform = "app-service"
	PlatformAzureVM        Platform = "azure-vm"
)

// GitHubIssuer is the OIDC issuer of GitHub Actions tokens, and
// TokenExchangeAudience the audience Entra expects on federated tokens.
const (
	GitHubIssuer          = "https://token.actions.githubusercontent.com"
	TokenExchangeAudience = "api://AzureADTokenExchange"
)

// Environment is where the failing program runs, so that remedies can name
// the exact action: the federated credential subject to create, the
// service-account annotation, the command that enables an identity.
//
// Every field holds a public value. The credential package fills it from
// detect's Result (Kind, Source, ClientID, TenantID) and the CI variables;
// [EnvironmentFromLookup] fills it from environment variables alone. The
// zero value is valid and yields generic remedies.
type Environment struct {
	// Kind is the credential kind in use, as detect spells it
	// ("github-actions-oidc", "service-principal-certificate", …).
	Kind string
	// Source is the managed identity source ("app-service", "imds", …).
	Source string
	// Platform is where the program runs; "" when unknown.
	Platform Platform
	// ClientID and TenantID are the application (client) ID and tenant ID
	// in use (AZURE_CLIENT_ID, AZURE_TENANT_ID).
	ClientID string
	TenantID string
	// GitHubRepository ("org/repo"), GitHubRef ("refs/heads/main") and
	// GitHubEnvironment (the job's deployment environment, if any) build
	// the token subject in GitHub Actions.
	GitHubRepository  string
	GitHubRef         string
	GitHubEnvironment string
	// KubernetesNamespace and KubernetesServiceAccount build the subject
	// system:serviceaccount:NS:SA in AKS.
	KubernetesNamespace      string
	KubernetesServiceAccount string
	// AppServiceName is WEBSITE_SITE_NAME on App Service.
	AppServiceName string
	// Redactor masks known secret values (optional; json:"-" semantics:
	// it is never printed).
	Redactor *Redactor
}

// EnvironmentFromLookup builds an Environment from environment variables
// read through lookup (os.LookupEnv, or a map in tests): GITHUB_ACTIONS,
// GITHUB_REPOSITORY, GITHUB_REF, TF_BUILD, AZURE_FEDERATED_TOKEN_FILE,
// KUBERNETES_SERVICE_HOST, WEBSITE_SITE_NAME, IDENTITY_ENDPOINT,
// AZURE_CLIENT_ID and AZURE_TENANT_ID. It reads no secret variable.
func EnvironmentFromLookup(lookup func(string) (string, bool)) *Environment {
	get := func(k string) string {
		if lookup == nil {
			return ""
		}
		v, _ := lookup(k)
		return strings.TrimSpace(v)
	}
	e := &Environment{ClientID: get("AZURE_CLIENT_ID"), TenantID: get("AZURE_TENANT_ID")}
	switch {
	case strings.EqualFold(get("GITHUB_ACTIONS"), "true"):
		e.Platform = PlatformGitHubActions
		e.GitHubRepository, e.GitHubRef = get("GITHUB_REPOSITORY"), get("GITHUB_REF")
		e.Kind = "github-actions-oidc"
	case strings.EqualFold(get("TF_BUILD"), "true"):
		e.Platform = PlatformAzurePipelines
		e.Kind = "azure-pipelines-oidc"
	case get("AZURE_FEDERATED_TOKEN_FILE") != "" || get("KUBERNETES_SERVICE_HOST") != "":
		e.Platform = PlatformAKS
		if get("AZURE_FEDERATED_TOKEN_FILE") != "" {
			e.Kind = "workload-identity"
		}
	case get("WEBSITE_SITE_NAME") != "" || get("IDENTITY_ENDPOINT") != "":
		e.Platform = PlatformAppService
		e.AppServiceName = get("WEBSITE_SITE_NAME")
		e.Kind, e.Source = "managed-identity", "app-service"
	}
	return e
}

// githubSubject is the subject GitHub puts in the job's token by default.
func (e *Environment) githubSubject() string {
	if e.GitHubRepository == "" {
		return ""
	}
	if e.GitHubEnvironment != "" {
		return "repo:" + e.GitHubRepository + ":environment:" + e.GitHubEnvironment
	}
	if e.GitHubRef == "" {
		return ""
	}
	return "repo:" + e.GitHubRepository + ":ref:" + e.GitHubRef
}

// For returns a copy of d whose remedy is written for env: the exact
// federated credential to create, the identity to enable, the
// non-interactive identity available there. A nil env means an unknown
// environment: remedies then use only what the error itself quoted.
//
// Every string field of the copy but Code is redacted with env.Redactor
// (and [Redact] when it is nil) and capped ([MaxSubjectLen],
// [MaxFieldLen]). The subject is redacted before the remedy quotes it, so
// no rewritten form of a secret (a credential name derived from the
// subject) reaches the remedy. Calling For again with a Redactor that knows
// more secrets masks them too, also in a field an earlier pass cut.
func (d *Diagnostic) For(env *Environment) *Diagnostic {
	if d == nil {
		return nil
	}
	if env == nil {
		env = &Environment{}
	}
	c := d.clone()
	if c.Kind == "" {
		c.Kind = env.Kind
	}
	c.Subject = env.Redactor.subject(c.Subject)
	c.Remedy = remedyFor(c, env)
	env.Redactor.redactDiagnostic(c)
	return c
}

func orPlaceholder(v, placeholder string) string {
	if v == "" {
		return placeholder
	}
	return v
}
