// Command demo shows autoidentity working end to end on any machine, with no
// Azure account and no network:
//
//	go run ./examples/demo
//
// It starts the entratest emulator (a loopback Entra ID, managed identity
// and CI OIDC issuer) in this process and walks through the environments
// automation really runs in: a service principal with a secret or a
// certificate, AKS workload identity, GitHub Actions and Azure Pipelines
// OIDC, and an App Service managed identity. For each it prints what
// package detect selected, and the public claims of the token
// credential.New obtained. Then it shows what autoidentity refuses and
// diagnoses: a password of an MFA user (refused before anything is sent),
// the same password next to a working client secret, and an expired client
// secret.
//
// Every step checks itself; the demo exits 1 if any step does not behave as
// printed. Each credential reads the scenario's environment through
// detect.MapEnv and sends through the emulator's loopback-guarded transport,
// so the machine's own environment never decides and nothing leaves
// 127.0.0.1. No secret is printed.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/autoidentity/autoidentity/entratest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	code := run(ctx, os.Stdout)
	cancel()
	os.Exit(code)
}

// run starts the emulator, runs every step and prints them to w. It returns
// 0 when every step behaved as shown, 1 otherwise.
func run(ctx context.Context, w io.Writer) int {
	start := time.Now()
	srv, err := entratest.NewServer(nil)
	if err != nil {
		fmt.Fprintf(w, "demo: starting the entratest emulator: %v\n", err)
		return 1
	}
	defer srv.Close()

	return runSteps(ctx, w, srv, steps, start)
}

// runSteps runs sts against srv and prints them; it returns 1 if any step
// did not behave as its block shows.
func runSteps(ctx context.Context, w io.Writer, srv *entratest.Server, sts []step, start time.Time) int {
	p := newPrinter(w)
	p.header(srv.AuthorityHost(), len(sts))
	failed := 0
	for i, st := range sts {
		o := runStep(ctx, srv, st)
		p.step(i+1, st.title, o)
		if !o.ok() {
			failed++
		}
	}
	p.footer(len(sts), failed, time.Since(start))
	if failed > 0 {
		return 1
	}
	return 0
}
