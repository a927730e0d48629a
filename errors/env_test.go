package autherrors_test

import autherrors "github.com/autoidentity/autoidentity/errors"

// envFrom is the Environment EnvironmentFromLookup builds from vars, with
// secrets registered.
func envFrom(vars map[string]string, secrets ...string) *autherrors.Environment {
	e := autherrors.EnvironmentFromLookup(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	e.AddSecrets(secrets...)
	return e
}

// The platforms' marker variables, for envFrom.
var (
	onGitHub = map[string]string{"GITHUB_ACTIONS": "true"}
	onAKS    = map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1"}
)
