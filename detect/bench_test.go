package detect

import "testing"

// BenchmarkDetect decides for a GitHub Actions job using OIDC: the CI case,
// ~60 variables of noise, the real OS file system (the himds check stats a
// file that does not exist here). Target: ≤ 5 µs, ≤ 30 allocs/op.
func BenchmarkDetect(b *testing.B) {
	env := merge(linuxNoise, githubRunner, githubOIDC)
	b.ReportAllocs()
	for b.Loop() {
		if r := Detect(env, nil); r.Kind != GitHubActionsOIDC {
			b.Fatal(r.Kind)
		}
	}
}

// BenchmarkDetectAppService is the managed identity case.
func BenchmarkDetectAppService(b *testing.B) {
	env := merge(linuxNoise, appServiceLinux)
	b.ReportAllocs()
	for b.Loop() {
		if r := Detect(env, nil); r.Kind != ManagedIdentity {
			b.Fatal(r.Kind)
		}
	}
}
