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

func TestDBToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scenario         string
		args             []string
		code             int
		tokenRequests    int
		wantOut, wantErr []string
	}{
		{scenario: "service-principal-secret", args: []string{"--host", "db.example", "--user", "app1", "--connections", "5"}, tokenRequests: 1,
			wantOut: []string{
				"identity     service-principal-secret, aud https://ossrdbms-aad.database.windows.net, idtyp app\n",
				"scope        https://ossrdbms-aad.database.windows.net/.default\n",
				"dsn          host=db.example port=5432 dbname=postgres user=app1 sslmode=require password=REDACTED\n",
				"expires      ", "pool         5 connection(s) asked for the password: 1 distinct token(s)"}},
		{scenario: "workload-identity", tokenRequests: 1,
			wantOut: []string{"identity     workload-identity, aud https://ossrdbms-aad.database.windows.net, idtyp app\n", "password=REDACTED\n"}},
		{scenario: "expired-secret", code: 1, tokenRequests: 1,
			wantErr: []string{"autoidentity: client-secret-expired: ", "AADSTS7000222"}},
		{scenario: "ropc-mfa", code: 1, wantErr: []string{"autoidentity: user-identity-refused: "}},
		{scenario: "service-principal-secret", args: []string{"--connections", "0"}, code: 2, wantErr: []string{"--connections must be at least 1"}},
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
			if n := srv.EndpointRequests(entratest.TokenEndpoint); n != tt.tokenRequests {
				t.Errorf("the emulator saw %d token requests, want %d (the cache answers every connection after the first)", n, tt.tokenRequests)
			}
			all := stdout.String() + stderr.String()
			for _, c := range []string{entratest.DefaultClientSecret, entratest.ExpiredClientSecret, entratest.DefaultPassword, "eyJ"} {
				if strings.Contains(all, c) {
					t.Errorf("output contains %q", c)
				}
			}
		})
	}
}
