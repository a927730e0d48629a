package autherrors_test

import autherrors "github.com/autoidentity/autoidentity/errors"

// envFrom is an Environment on platform p, with secrets registered.
func envFrom(p autherrors.Platform, secrets ...string) *autherrors.Environment {
	e := &autherrors.Environment{Platform: p}
	e.AddSecrets(secrets...)
	return e
}

// The platforms, for envFrom.
const (
	onGitHub = autherrors.PlatformGitHubActions
	onAKS    = autherrors.PlatformKubernetes
)
