// Package bench measures autoidentity next to azidentity's
// DefaultAzureCredential and the plain azidentity credential for the same
// identity (ClientSecretCredential, WorkloadIdentityCredential,
// ManagedIdentityCredential), in the same run, against the entratest
// emulator over loopback. It holds only benchmarks; nothing here is API.
//
// # Running
//
//	scripts/bench            # the full run BENCHMARKS.md reports, and its table
//	go test -run '^$' -bench . -benchtime 1x ./bench/   # CI: compile and smoke-run every scenario
//
// By default the long scenarios run shortened, so that the CI run stays
// fast: the refresh boundary runs 1.5 s instead of 10 s and the memory
// scenario caches 100 tokens instead of 1,000. -bench.long (after -args) or
// AUTOIDENTITY_BENCH_LONG=1, which scripts/bench sets, restores the full
// sizes; -bench.refresh sets the refresh run's length. `go test ./bench/`
// runs no benchmark, only the harness's own checks (the IMDS transport
// refuses everything but loopback; the latency histogram is accurate).
//
// # Names
//
// Every benchmark has an impl= level (autoidentity, DefaultAzureCredential
// and the plain azidentity type), so benchstat and bench/cmd/benchtable can
// set them side by side:
//
//	BenchmarkCachedGetToken/mode=serial/impl=autoidentity
//	BenchmarkCachedGetToken/mode=serial/impl=DefaultAzureCredential
//	BenchmarkCachedGetToken/mode=serial/impl=ClientSecretCredential
//
// Custom metrics carry the scenario's result: requests/op and
// token-requests/op (what reached the emulator), p50-ns/p99-ns/max-ns
// (callers' waits), heap-B/credential and heap-B/token, password-grants/op,
// error-ns (time to an actionable error).
//
// # Loopback only
//
// Every credential uses the emulator's transport, which dials only loopback
// and sends 169.254.169.254:80 to the emulator. The nothing-configured
// scenario instead sends DefaultAzureCredential's IMDS probe to a loopback
// listener that accepts and never answers, behind entratest.GuardTransport,
// so its real probe timeout is what is measured. Nothing here contacts
// 169.254.169.254 or login.microsoftonline.com.
//
// # Process environment
//
// DefaultAzureCredential, and the managed identity credential under every
// implementation, read the process environment, so the benchmarks that need
// it set variables with b.Setenv and are never parallel. autoidentity reads
// the same variables through credential.Options.Env.
package bench
