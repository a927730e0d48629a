package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
)

var canaries = []string{
	entratest.DefaultClientSecret, entratest.ExpiredClientSecret, entratest.DefaultPassword,
	entratest.ActionsRequestToken, entratest.SystemAccessToken, entratest.IdentityHeader,
}

func TestWhoami(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scenario string
		args     []string
		code     int
		wantOut  []string
		wantErr  []string
	}{
		{scenario: "service-principal-secret", code: 0, wantOut: []string{
			"autoidentity: selected service-principal-secret", "token for https://management.azure.com/.default, expires ",
			"  aud        https://management.azure.com\n", "  tid        " + entratest.DefaultTenantID, "  appid      " + entratest.DefaultClientID, "  idtyp      app\n"}},
		{scenario: "github-actions-oidc", args: []string{"--scope", "https://vault.azure.net/.default"}, code: 0, wantOut: []string{
			"autoidentity: selected github-actions-oidc", "token for https://vault.azure.net/.default", "  aud        https://vault.azure.net\n", "  idtyp      app\n"}},
		{scenario: "workload-identity", code: 0, wantOut: []string{
			"autoidentity: selected workload-identity", "  idtyp      app\n"}},
		{scenario: "ropc-mfa", code: 1, wantErr: []string{"autoidentity: user-identity-refused: ", "Fix: remove AZURE_USERNAME and AZURE_PASSWORD"}},
		{scenario: "expired-secret", code: 1, wantOut: []string{"autoidentity: selected service-principal-secret"},
			wantErr: []string{"autoidentity: client-secret-expired: ", "AADSTS7000222", "az ad app credential reset --id " + entratest.DefaultClientID}},
		{scenario: "service-principal-secret", args: []string{"--scope", "https://no-such-resource.example/.default"}, code: 1,
			wantErr: []string{"autoidentity: resource-not-found: ", "AADSTS500011"}},
		{scenario: "service-principal-secret", args: []string{"--bogus"}, code: 2, wantErr: []string{"flag provided but not defined: -bogus"}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario+strings.Join(tt.args, ""), func(t *testing.T) {
			t.Parallel()
			srv := entratest.Start(t, nil)
			env, err := srv.Scenario(tt.scenario)
			if err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			opts := &credential.Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()}
			if code := run(context.Background(), tt.args, opts, &stdout, &stderr); code != tt.code {
				t.Fatalf("run = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			all := stdout.String() + stderr.String()
			for _, c := range canaries {
				if strings.Contains(all, c) {
					t.Errorf("output contains the canary %q", c)
				}
			}
			if n := srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" }); n != 0 {
				t.Errorf("%d password grants sent, want 0", n)
			}
		})
	}
}
