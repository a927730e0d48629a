package bench

import (
	"maps"
	"testing"

	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
)

// runnerEnv is what a GitHub-hosted Ubuntu runner's job step sees (about 50
// variables, values shortened), without id-token permission, so the
// service principal's secret variables decide.
func runnerEnv() map[string]string {
	return map[string]string{
		"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_ACTION": "__run", "GITHUB_ACTION_REF": "",
		"GITHUB_ACTION_REPOSITORY": "", "GITHUB_ACTOR": "octocat", "GITHUB_ACTOR_ID": "583231",
		"GITHUB_API_URL": "https://api.github.com", "GITHUB_BASE_REF": "", "GITHUB_ENV": "/home/runner/work/_temp/_runner_file_commands/set_env_1",
		"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": "/home/runner/work/_temp/_github_workflow/event.json",
		"GITHUB_GRAPHQL_URL": "https://api.github.com/graphql", "GITHUB_HEAD_REF": "", "GITHUB_JOB": "deploy",
		"GITHUB_OUTPUT": "/home/runner/work/_temp/_runner_file_commands/set_output_1", "GITHUB_PATH": "/home/runner/work/_temp/_runner_file_commands/add_path_1",
		"GITHUB_REF": "refs/heads/main", "GITHUB_REF_NAME": "main", "GITHUB_REF_PROTECTED": "true", "GITHUB_REF_TYPE": "branch",
		"GITHUB_REPOSITORY": "autoidentity/demo", "GITHUB_REPOSITORY_ID": "712345678", "GITHUB_REPOSITORY_OWNER": "autoidentity",
		"GITHUB_REPOSITORY_OWNER_ID": "98765432", "GITHUB_RETENTION_DAYS": "90", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_RUN_ID": "9876543210",
		"GITHUB_RUN_NUMBER": "42", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
		"GITHUB_STATE": "/home/runner/work/_temp/_runner_file_commands/save_state_1", "GITHUB_STEP_SUMMARY": "/home/runner/work/_temp/_runner_file_commands/step_summary_1",
		"GITHUB_TRIGGERING_ACTOR": "octocat", "GITHUB_WORKFLOW": "deploy", "GITHUB_WORKFLOW_REF": "autoidentity/demo/.github/workflows/deploy.yml@refs/heads/main",
		"GITHUB_WORKSPACE": "/home/runner/work/demo/demo", "ImageOS": "ubuntu24", "ImageVersion": "20250105.1.0",
		"RUNNER_ARCH": "X64", "RUNNER_ENVIRONMENT": "github-hosted", "RUNNER_NAME": "GitHub Actions 12", "RUNNER_OS": "Linux",
		"RUNNER_TEMP": "/home/runner/work/_temp", "RUNNER_TOOL_CACHE": "/opt/hostedtoolcache", "RUNNER_WORKSPACE": "/home/runner/work/demo",
		"ACCEPT_EULA": "Y", "AGENT_TOOLSDIRECTORY": "/opt/hostedtoolcache", "ANDROID_HOME": "/usr/local/lib/android/sdk",
		"DOTNET_MULTILEVEL_LOOKUP": "0", "LANG": "C.UTF-8", "XDG_CONFIG_HOME": "/home/runner/.config",
	}
}

// decideEnv is runnerEnv plus the service principal scenario's variables.
func decideEnv(srv *entratest.Server) map[string]string {
	env := runnerEnv()
	maps.Copy(env, srv.ServicePrincipalSecretEnv())
	return env
}

// BenchmarkDecide measures going from an environment to a ready credential
// (no network for any implementation).
func BenchmarkDecide(b *testing.B) {
	srv := startServer(b, nil)
	env := decideEnv(srv)
	co := srv.ClientOptions()
	if c, err := newAuto(env, co); err != nil || c.Selection().Kind != detect.ServicePrincipalSecret {
		b.Fatalf("autoidentity on the runner environment: %v, %v", c, err)
	}
	for _, im := range spImpls() {
		b.Run("impl="+im.name, func(b *testing.B) {
			setProcessEnv(b, env)
			b.ReportAllocs()
			for b.Loop() {
				c, closeFn, err := im.new(env, co)
				if err != nil {
					b.Fatal(err)
				}
				if c == nil {
					b.Fatal("nil credential")
				}
				closeFn()
			}
			if n := wireRequests(srv); n != 0 {
				b.Fatalf("deciding sent %d requests, want 0", n)
			}
		})
	}
}
