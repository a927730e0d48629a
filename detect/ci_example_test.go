package detect_test

import (
	"fmt"

	"github.com/autoidentity/autoidentity/detect"
)

// A GitLab job that set CI=false is still a CI runner; a laptop is not. A
// caller given an environment also asks about detect.OSEnv() and takes
// either answer as a runner.
func ExampleCI() {
	fmt.Printf("%q\n", detect.CI(detect.MapEnv{"CI": "false", "GITLAB_CI": "true"}))
	fmt.Printf("%q\n", detect.CI(detect.MapEnv{"CI": "false", "HOME": "/home/alice"}))
	// Output:
	// "GITLAB_CI"
	// ""
}
