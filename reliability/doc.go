// Package reliability holds autoidentity's reliability and security tests;
// it has no API. Everything here runs against the loopback entratest
// emulator with azidentity's real credentials behind credential.New.
//
// # What it checks
//
//   - Fault matrix (faults_test.go, restart_test.go): every credential kind
//     under HTTP 500/503, 429 with Retry-After, latency and hangs past the
//     caller's deadline, connection resets, truncated and non-JSON bodies,
//     tokens expired on arrival, an emulator that dies and comes back, a
//     workload identity token file rotated, emptied or deleted, and a
//     failing GitHub OIDC endpoint. Each asserts the outcome and that the
//     same credential recovers once the fault clears.
//   - Bad input (badinput_test.go): over fifty hostile or sloppy
//     environment values and files; each must fail with a diagnostic naming
//     the variable or file and the fix, and none may panic. The outcome
//     table in RELIABILITY.md is generated from the test and checked by it.
//   - Secret safety (secrets_test.go): canary secrets must never appear in
//     errors, slog output, azcore log events or JSON reports.
//   - Concurrency soak (soak_test.go): thousands of goroutines over several
//     scopes and tenants with random faults; no race, no goroutine leak, no
//     token for another scope or tenant, no expired token.
//
// # Running
//
//	go test -race -count=1 ./reliability/                 # default, short soak
//	go test -race -count=1 ./reliability/ -run Soak -soak=60s  # long soak
//	go test ./reliability/ -run 'BadInput|FaultMatrix' -update  # rewrite RELIABILITY.md tables
//
// AUTOIDENTITY_SOAK=60s does what -soak does. The findings are listed in
// RELIABILITY.md.
package reliability
