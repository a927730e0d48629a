package detect

import "strings"

// ciVendors are the variables CI services set in every job, checked in
// order. A job shows itself when every variable of an entry has a value,
// whatever the value ("true", "True", a URL, a build number): a program
// that decides whether it runs unattended must not be talked out of it by
// an unexpected spelling. Each entry cites the vendor's documentation and
// watson/ci-info's vendors.json (https://github.com/watson/ci-info/blob/master/vendors.json),
// which npm's is-ci and many tools rely on.
var ciVendors = [...][]string{
	// https://docs.github.com/en/actions/reference/variables-reference ("Always set to true")
	{"GITHUB_ACTIONS"},
	// https://learn.microsoft.com/azure/devops/pipelines/build/variables (TF_BUILD: "Set to True if the script is being run by a build task")
	{"TF_BUILD"},
	// ci-info: Azure Pipelines (older vendors.json); set by every Azure DevOps agent job.
	{"SYSTEM_TEAMFOUNDATIONCOLLECTIONURI"},
	// https://docs.gitlab.com/ci/variables/predefined_variables/ (GITLAB_CI: "Available for all jobs executed in GitLab CI/CD")
	{"GITLAB_CI"},
	// https://www.jenkins.io/doc/book/pipeline/jenkinsfile/#using-environment-variables and
	// https://docs.cloudbees.com/docs/cloudbees-ci/latest/automating-with-jenkinsfile/working-with-the-env:
	// JENKINS_URL is "only available if the Jenkins URL is set in System Configuration" ...
	{"JENKINS_URL"},
	// ... so a build is also known by JENKINS_HOME together with BUILD_ID (each alone is too common a name).
	{"JENKINS_HOME", "BUILD_ID"},
	// ci-info: Hudson, Jenkins' predecessor.
	{"HUDSON_URL"},
	// https://www.jetbrains.com/help/teamcity/predefined-build-parameters.html ("can be used to determine if the build runs within TeamCity")
	{"TEAMCITY_VERSION"},
	// https://circleci.com/docs/reference/variables/ (CIRCLECI: true)
	{"CIRCLECI"},
	// https://docs.travis-ci.com/user/environment-variables/#default-environment-variables (TRAVIS=true, CONTINUOUS_INTEGRATION=true)
	{"TRAVIS"},
	{"CONTINUOUS_INTEGRATION"},
	// https://support.atlassian.com/bitbucket-cloud/docs/variables-and-secrets/ (default variables; ci-info uses BITBUCKET_COMMIT)
	{"BITBUCKET_BUILD_NUMBER"},
	{"BITBUCKET_COMMIT"},
	// https://buildkite.com/docs/pipelines/environment_variables (BUILDKITE: "Always true")
	{"BUILDKITE"},
	// https://www.appveyor.com/docs/environment-variables/ (APPVEYOR: "True (true on Ubuntu image)")
	{"APPVEYOR"},
	// https://docs.drone.io/pipeline/environment/reference/ (DRONE, and CI, which Drone sets to "drone" in older versions)
	{"DRONE"},
	// https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html (ci-info uses CODEBUILD_BUILD_ARN)
	{"CODEBUILD_BUILD_ID"},
	{"CODEBUILD_BUILD_ARN"},
	// ci-info: Google Cloud Build. Builders write step results to $BUILDER_OUTPUT/output
	// (https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds, Results.buildStepOutputs);
	// the variable is set in every step though the environment variable page does not list it.
	{"BUILDER_OUTPUT"},
	// ci-info: Bamboo, Bitrise, Buddy, Cirrus CI, Codefresh, Gitea Actions, GoCD, Harness CI, Semaphore.
	{"bamboo_planKey"},
	{"BITRISE_IO"},
	{"BUDDY_WORKSPACE_ID"},
	{"CIRRUS_CI"},
	{"CF_BUILD_ID"},
	{"GITEA_ACTIONS"},
	{"GO_PIPELINE_LABEL"},
	{"HARNESS_BUILD_ID"},
	{"SEMAPHORE"},
}

// CI returns the name of the first variable in env that shows the program
// runs on a CI runner, or "" when none does. Any of the vendor variables
// (GITHUB_ACTIONS, TF_BUILD, GITLAB_CI, JENKINS_URL, TEAMCITY_VERSION,
// CIRCLECI, TRAVIS, BITBUCKET_BUILD_NUMBER, BUILDKITE, APPVEYOR, DRONE,
// CODEBUILD_BUILD_ID, BUILDER_OUTPUT and others) counts when it has a value,
// whatever the value; JENKINS_HOME counts together with BUILD_ID. The
// generic CI variable counts unless it is empty, "false" or "0" (any case),
// so GitLab with CI=false is still found through GITLAB_CI.
//
// CI reads only env. A caller that takes an environment from its own caller
// should also ask about the process environment ([OSEnv]) and treat either
// answer as a CI runner: a recorded or synthetic environment must not hide
// the runner the program really runs on.
func CI(env Env) string {
	if env == nil {
		return ""
	}
	for _, vars := range ciVendors {
		all := true
		for _, name := range vars {
			if v, _ := env.LookupEnv(name); v == "" {
				all = false
				break
			}
		}
		if all {
			return vars[0]
		}
	}
	if v, _ := env.LookupEnv("CI"); v != "" {
		t := strings.TrimSpace(v)
		if !strings.EqualFold(t, "false") && t != "0" {
			return "CI"
		}
	}
	return ""
}
