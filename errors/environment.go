package autherrors

// Platform is where a program runs, as far as remedies care. Package
// detect decides it from the CI and hosting variables
// (detect.Result.Environment); the zero value means unknown, and then the
// filled fields imply it (see [Environment]).
type Platform string

// The platforms remedies are written for.
const (
	PlatformGitHubActions  Platform = "github-actions"
	PlatformAzurePipelines Platform = "azure-pipelines"
	// PlatformKubernetes is a Kubernetes pod (AKS), with or without
	// workload identity.
	PlatformKubernetes Platform = "kubernetes"
	// PlatformAppService is App Service, Functions or Container Apps.
	PlatformAppService Platform = "azure-app-service"
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
// Every field holds a public value. Package detect fills one from what it
// read (detect.Result.Environment), and the credential package uses that;
// nothing in this package reads the process environment. Filled by hand
// without a Platform, the fields imply it: GitHubRepository means GitHub
// Actions, KubernetesNamespace or KubernetesServiceAccount Kubernetes, and
// AppServiceName App Service. The zero value is valid and yields generic
// remedies.
type Environment struct {
	// Kind is the credential kind in use, as the caller names it (the
	// credential package passes detect's Kind, such as
	// "service-principal-certificate"). It is copied into
	// [Diagnostic.Kind] when that is empty; remedies do not depend on it.
	Kind string
	// Platform is where the program runs; empty means unknown or implied
	// by the fields below.
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
	// TokenIssuer is the iss claim of the federated token the program
	// presents (AZURE_FEDERATED_TOKEN_FILE's), when known: the issuer a
	// federated identity credential must name.
	TokenIssuer string

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

// where returns the Platform, else the one the filled fields imply.
func (e *Environment) where() Platform {
	switch {
	case e.Platform != "":
		return e.Platform
	case e.GitHubRepository != "":
		return PlatformGitHubActions
	case e.KubernetesNamespace != "" || e.KubernetesServiceAccount != "":
		return PlatformKubernetes
	case e.AppServiceName != "":
		return PlatformAppService
	}
	return ""
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
