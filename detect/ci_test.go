package detect

import "testing"

// TestCI covers every vendor with the values its runners really set, next to
// CI=false noise, which must not hide them (GitLab with CI=false was missed),
// and the generic CI rule.
func TestCI(t *testing.T) {
	t.Parallel()
	noise := map[string]string{"CI": "false", "HOME": "/home/runner", "BUILD_NUMBER": "", "PATH": "/usr/bin"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"GitHub Actions", map[string]string{"GITHUB_ACTIONS": "true", "RUNNER_OS": "Linux"}, "GITHUB_ACTIONS"},
		{"Azure Pipelines", map[string]string{"TF_BUILD": "True", "AGENT_NAME": "Azure Pipelines 3"}, "TF_BUILD"},
		{"Azure Pipelines without TF_BUILD", map[string]string{"SYSTEM_TEAMFOUNDATIONCOLLECTIONURI": "https://dev.azure.com/contoso/"}, "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI"},
		{"GitLab with CI=false", map[string]string{"GITLAB_CI": "true", "CI_JOB_ID": "4242"}, "GITLAB_CI"},
		{"Jenkins", map[string]string{"JENKINS_URL": "https://jenkins.contoso.com/", "BUILD_ID": "153", "JOB_NAME": "api"}, "JENKINS_URL"},
		{"Jenkins without a configured URL", map[string]string{"JENKINS_HOME": "/var/jenkins_home", "BUILD_ID": "153"}, "JENKINS_HOME"},
		{"Hudson", map[string]string{"HUDSON_URL": "http://hudson:8080/"}, "HUDSON_URL"},
		{"TeamCity", map[string]string{"TEAMCITY_VERSION": "2025.07 (build 197242)", "BUILD_NUMBER": "42"}, "TEAMCITY_VERSION"},
		{"CircleCI", map[string]string{"CIRCLECI": "true", "CIRCLE_BUILD_NUM": "7"}, "CIRCLECI"},
		{"Travis", map[string]string{"TRAVIS": "true", "TRAVIS_BUILD_ID": "46812085"}, "TRAVIS"},
		{"Travis, CONTINUOUS_INTEGRATION only", map[string]string{"CONTINUOUS_INTEGRATION": "true"}, "CONTINUOUS_INTEGRATION"},
		{"Bitbucket Pipelines", map[string]string{"BITBUCKET_BUILD_NUMBER": "23704", "BITBUCKET_COMMIT": "3f1c2a9"}, "BITBUCKET_BUILD_NUMBER"},
		{"Bitbucket Pipelines, commit only", map[string]string{"BITBUCKET_COMMIT": "3f1c2a9"}, "BITBUCKET_COMMIT"},
		{"Buildkite", map[string]string{"BUILDKITE": "true", "BUILDKITE_BUILD_NUMBER": "1"}, "BUILDKITE"},
		{"AppVeyor on Windows", map[string]string{"APPVEYOR": "True", "APPVEYOR_BUILD_ID": "16586877"}, "APPVEYOR"},
		{"Drone", map[string]string{"DRONE": "true", "DRONE_BUILD_NUMBER": "29"}, "DRONE"},
		{"AWS CodeBuild", map[string]string{"CODEBUILD_BUILD_ID": "codebuild-demo-project:b1e6661e-e4f2-4156-9ab9-82a19EXAMPLE"}, "CODEBUILD_BUILD_ID"},
		{"AWS CodeBuild, ARN only", map[string]string{"CODEBUILD_BUILD_ARN": "arn:aws:codebuild:us-east-1:123456789012:build/demo:b1e6"}, "CODEBUILD_BUILD_ARN"},
		{"Google Cloud Build", map[string]string{"BUILDER_OUTPUT": "/builder/outputs", "BUILD_ID": "7d3f"}, "BUILDER_OUTPUT"},
		{"Bamboo", map[string]string{"bamboo_planKey": "API-BUILD"}, "bamboo_planKey"},
		{"Bitrise", map[string]string{"BITRISE_IO": "true"}, "BITRISE_IO"},
		{"Buddy", map[string]string{"BUDDY_WORKSPACE_ID": "12345"}, "BUDDY_WORKSPACE_ID"},
		{"Cirrus CI", map[string]string{"CIRRUS_CI": "true"}, "CIRRUS_CI"},
		{"Codefresh", map[string]string{"CF_BUILD_ID": "5e6f7a8b"}, "CF_BUILD_ID"},
		{"Gitea Actions", map[string]string{"GITEA_ACTIONS": "true"}, "GITEA_ACTIONS"},
		{"GoCD", map[string]string{"GO_PIPELINE_LABEL": "42"}, "GO_PIPELINE_LABEL"},
		{"Harness", map[string]string{"HARNESS_BUILD_ID": "42"}, "HARNESS_BUILD_ID"},
		{"Semaphore", map[string]string{"SEMAPHORE": "true"}, "SEMAPHORE"},
		{"a vendor variable counts whatever its value", map[string]string{"GITHUB_ACTIONS": "false"}, "GITHUB_ACTIONS"},
		{"a blank vendor variable counts", map[string]string{"TF_BUILD": " "}, "TF_BUILD"},
		{"vendor before the generic CI", map[string]string{"CI": "true", "GITLAB_CI": "true"}, "GITLAB_CI"},
		{"generic CI=true", map[string]string{"CI": "true"}, "CI"},
		{"generic CI=1", map[string]string{"CI": "1"}, "CI"},
		{"generic CI=woodpecker", map[string]string{"CI": "woodpecker"}, "CI"},
		{"generic CI blank counts", map[string]string{"CI": "  "}, "CI"},
		{"CI=false", map[string]string{"CI": "false"}, ""},
		{"CI=FALSE", map[string]string{"CI": " FALSE\n"}, ""},
		{"CI=0", map[string]string{"CI": "0"}, ""},
		{"CI empty", map[string]string{"CI": ""}, ""},
		{"empty vendor variables", map[string]string{"GITHUB_ACTIONS": "", "TF_BUILD": "", "JENKINS_URL": ""}, ""},
		{"JENKINS_HOME alone is a Jenkins controller's shell, not a build", map[string]string{"JENKINS_HOME": "/var/jenkins_home"}, ""},
		{"BUILD_ID alone is too common a name", map[string]string{"BUILD_ID": "153"}, ""},
		{"lower-case look-alike", map[string]string{"github_actions": "true"}, ""},
		{"a developer machine", map[string]string{"HOME": "/home/alice", "TERM": "xterm"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := merge(noise, tc.env)
			if _, ok := tc.env["CI"]; ok {
				env = merge(tc.env) // the case is about CI itself
			}
			if got := CI(env); got != tc.want {
				t.Errorf("CI(%v) = %q, want %q", env, got, tc.want)
			}
			if got := Detect(env, testOptions(nil)).CI; got != tc.want {
				t.Errorf("Detect(…).CI = %q, want %q", got, tc.want)
			}
		})
	}
	if got := CI(nil); got != "" {
		t.Errorf("CI(nil) = %q", got)
	}
}
