package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/autoidentity/autoidentity/entratest"
)

// cliCanaries are every secret the CLI is handed in these runs.
var cliCanaries = []string{entratest.DefaultClientSecret, entratest.ExpiredClientSecret, entratest.DefaultPassword,
	entratest.ActionsRequestToken, entratest.SystemAccessToken, entratest.IdentityHeader}

// TestCLINeverPrintsSecrets runs detect, token and explain, in text and
// JSON, successful and failing, over the emulator's scenarios, and fails
// if any canary secret or (without --raw) the access token appears on
// stdout or stderr.
func TestCLINeverPrintsSecrets(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	scenarios := []string{"service-principal-secret", "service-principal-certificate", "workload-identity",
		"github-actions-oidc", "ropc-mfa", "ropc-mfa-with-secret", "expired-secret", "federation-mismatch"}
	const scope = "https://management.azure.com/.default"
	for _, sc := range scenarios {
		env, err := srv.Scenario(sc)
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"detect"}, {"detect", "--json"},
			{"token", "--scope", scope}, {"token", "--scope", scope, "--json"},
		} {
			var out, errOut bytes.Buffer
			s := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, transport: srv.Client(),
				lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
			run(context.Background(), s, args)
			text := out.String() + errOut.String()
			for _, c := range cliCanaries {
				if strings.Contains(text, c) {
					t.Errorf("%s %v printed a secret (%.12s…)", sc, args, c)
				}
			}
			if strings.Contains(text, "eyJ") {
				t.Errorf("%s %v printed a JWT without --raw", sc, args)
			}
		}
	}
	// explain reads error texts people paste, which may hold a secret
	// (a client_secret form value echoed by a proxy, a bearer header).
	for _, text := range []string{
		"AADSTS7000215: Invalid client secret provided. client_secret=" + entratest.DefaultClientSecret,
		"request failed: Authorization: Bearer " + entratest.ActionsRequestToken,
	} {
		for _, args := range [][]string{{"explain", text}, {"explain", "--json", text}} {
			var out, errOut bytes.Buffer
			s := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				lookupEnv: func(string) (string, bool) { return "", false }}
			run(context.Background(), s, args)
			for _, c := range cliCanaries {
				if strings.Contains(out.String()+errOut.String(), c) {
					t.Errorf("explain %.40q… echoed a secret (%.12s…)", text, c)
				}
			}
		}
	}
}
