package autherrors

import (
	"strings"
)

// platform is where a program runs, as far as remedies care. It is decided
// by [EnvironmentFromLookup] from the CI and hosting variables, or follows
// from the fields a caller fills (see [Environment.where]).
type platform uint8

const (
	platformUnknown platform = iota
	platformGitHubActions
	platformAzurePipelines
	platformAKS
	platformAppService
)

// githubIssuer is the OIDC issuer of GitHub Actions tokens.
const githubIssuer = "https://token.actions.githubusercontent.com"

// TokenExchangeAudience is the audience Microsoft Entra ID requires of a
// federated token (GitHub Actions, Azure Pipelines and Kubernetes service
// account tokens): api://AzureADTokenExchange. It is defined here, in the
// leaf of the module's import graph, so that detect (which checks a token
// file's audience), credential (which asks GitHub for a token with it) and
// the remedies below share one definition.
const TokenExchangeAudience = "api://AzureADTokenExchange"

// Environment is where the failing program runs, so that remedies can name
// the exact action: the federated credential subject to create, the
// service-account annotation, the command that enables an identity.
//
// Every field holds a public value. [EnvironmentFromLookup] fills it from
// environment variables, and also records the platform they show (GitHub
// Actions, Azure Pipelines, AKS, App Service); the credential package
// starts from that and adds the kind and IDs detect selected. Filled by
// hand, the fields imply the platform: GitHubRepository means GitHub
// Actions, KubernetesNamespace or KubernetesServiceAccount AKS, and
// AppServiceName App Service. The zero value is valid and yields generic
// remedies.
type Environment struct {
	// Kind is the credential kind in use, as the caller names it (the
	// credential package passes detect's Kind, such as
	// "service-principal-certificate"). It is copied into
	// [Diagnostic.Kind] when that is empty; remedies do not depend on it.
	Kind string
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
	// TokenIssuer is the iss claim of the federated token the program
	// presents (AZURE_FEDERATED_TOKEN_FILE's), when known: the issuer a
	// federated identity credential must name.
	TokenIssuer string

	// platform is what EnvironmentFromLookup saw; see where.
	platform platform
	// secrets masks the values AddSecrets registered; nil masks only what
	// Redact masks. It is never printed.
	secrets *redactor
}

// AddSecrets registers secret values that no [Diagnostic] written for e
// may show: [Diagnostic.For] masks them, and the encodings of them a
// service, a proxy or a log may echo (standard and URL-safe base64, also
// inside a longer base64 value such as a Basic authorization header; URL
// query and path escaping; JSON string escaping; hex), in every field, as
// well as what [Redact] masks. Values are trimmed of surrounding white
// space; values and encodings shorter than 6 bytes are ignored, since they
// would mask ordinary words. The credential package registers the secrets
// it holds (a client secret, a certificate password, an OIDC request
// token).
//
// AddSecrets is not safe to call concurrently with itself or with a For
// that uses e for the first time; register secrets before sharing e. For
// may be called concurrently with any number of Fors.
func (e *Environment) AddSecrets(values ...string) {
	if e.secrets == nil {
		e.secrets = &redactor{}
	}
	e.secrets.Add(values...)
}

// EnvironmentFromLookup builds an Environment from environment variables
// read through lookup (os.LookupEnv, or a map in tests): GITHUB_ACTIONS,
// GITHUB_REPOSITORY, GITHUB_REF, TF_BUILD, AZURE_FEDERATED_TOKEN_FILE,
// KUBERNETES_SERVICE_HOST, WEBSITE_SITE_NAME, IDENTITY_ENDPOINT,
// AZURE_CLIENT_ID and AZURE_TENANT_ID. It reads no secret variable, and it
// leaves Kind empty: which credential kind the variables configure is
// package detect's decision.
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
		e.platform = platformGitHubActions
		e.GitHubRepository, e.GitHubRef = get("GITHUB_REPOSITORY"), get("GITHUB_REF")
	case strings.EqualFold(get("TF_BUILD"), "true"):
		e.platform = platformAzurePipelines
	case get("AZURE_FEDERATED_TOKEN_FILE") != "" || get("KUBERNETES_SERVICE_HOST") != "":
		e.platform = platformAKS
	case get("WEBSITE_SITE_NAME") != "" ||
		// App Service's pair, not Azure Arc's (IMDS_ENDPOINT) nor
		// Service Fabric's (IDENTITY_SERVER_THUMBPRINT).
		get("IDENTITY_ENDPOINT") != "" && get("IDENTITY_HEADER") != "" && get("IMDS_ENDPOINT") == "" && get("IDENTITY_SERVER_THUMBPRINT") == "":
		e.platform = platformAppService
		e.AppServiceName = get("WEBSITE_SITE_NAME")
	}
	return e
}

// where returns the platform EnvironmentFromLookup recorded, else the one
// the filled fields imply.
func (e *Environment) where() platform {
	switch {
	case e.platform != platformUnknown:
		return e.platform
	case e.GitHubRepository != "":
		return platformGitHubActions
	case e.KubernetesNamespace != "" || e.KubernetesServiceAccount != "":
		return platformAKS
	case e.AppServiceName != "":
		return platformAppService
	}
	return platformUnknown
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
// Every string field of the copy but Code is redacted with the secrets
// registered by [Environment.AddSecrets] (and [Redact]) and capped
// ([MaxSubjectLen], [MaxFieldLen]). The subject is redacted before the
// remedy quotes it, so no rewritten form of a secret (a credential name
// derived from the subject) reaches the remedy. Calling For again with an
// Environment that knows more secrets masks them too, also in a field an
// earlier pass cut.
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
	c.Subject = env.secrets.subject(c.Subject)
	c.Remedy = remedyFor(c, env)
	env.secrets.redactDiagnostic(c)
	return c
}

func orPlaceholder(v, placeholder string) string {
	if v == "" {
		return placeholder
	}
	return v
}
