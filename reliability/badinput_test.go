package reliability

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// badCase is one row of the bad input table: a base environment with some
// variables set or removed. A value "file:NAME" is replaced by the path of
// fixture NAME.
type badCase struct {
	name   string
	base   string // secret, cert, wi, github or bare (tenant, client and authority only)
	set    map[string]string
	unset  []string
	names  string // the variable the diagnosis must name
	accept bool   // the value is valid after all: a token is the right outcome
}

const (
	guid  = "7e570000-0000-4000-8000-000000000002"
	mib   = 1 << 20
	nonU8 = "\xff\xfe\xfd"
)

var badCases = []badCase{
	// GUIDs and tenants.
	{name: "client ID not a GUID", base: "secret", set: map[string]string{"AZURE_CLIENT_ID": "my-app"}, names: "AZURE_CLIENT_ID"},
	{name: "client ID in braces", base: "secret", set: map[string]string{"AZURE_CLIENT_ID": "{" + guid + "}"}, names: "AZURE_CLIENT_ID"},
	{name: "client ID one digit short", base: "secret", set: map[string]string{"AZURE_CLIENT_ID": guid[:35]}, names: "AZURE_CLIENT_ID"},
	{name: "client ID with trailing space", base: "secret", set: map[string]string{"AZURE_CLIENT_ID": guid + " "}, names: "AZURE_CLIENT_ID"},
	{name: "client ID with trailing newline", base: "secret", set: map[string]string{"AZURE_CLIENT_ID": guid + "\n"}, names: "AZURE_CLIENT_ID"},
	{name: "client ID with NUL", base: "secret", set: map[string]string{"AZURE_CLIENT_ID": guid[:8] + "\x00" + guid[9:]}, names: "AZURE_CLIENT_ID"},
	{name: "client ID of 1 MiB", base: "secret", set: map[string]string{"AZURE_CLIENT_ID": strings.Repeat("a", mib)}, names: "AZURE_CLIENT_ID"},
	{name: "client ID not UTF-8", base: "secret", set: map[string]string{"AZURE_CLIENT_ID": nonU8}, names: "AZURE_CLIENT_ID"},
	{name: "client ID empty", base: "secret", set: map[string]string{"AZURE_CLIENT_ID": ""}, names: "AZURE_CLIENT_ID"},
	{name: "tenant ID malformed GUID", base: "secret", set: map[string]string{"AZURE_TENANT_ID": "7e570000-0000-4000-8000-00000000000g"}, names: "AZURE_TENANT_ID"},
	{name: "tenant common", base: "secret", set: map[string]string{"AZURE_TENANT_ID": "common"}, names: "AZURE_TENANT_ID"},
	{name: "tenant organizations", base: "secret", set: map[string]string{"AZURE_TENANT_ID": "organizations"}, names: "AZURE_TENANT_ID"},
	{name: "tenant consumers", base: "secret", set: map[string]string{"AZURE_TENANT_ID": "consumers"}, names: "AZURE_TENANT_ID"},
	{name: "tenant as a login URL", base: "secret", set: map[string]string{"AZURE_TENANT_ID": "https://login.microsoftonline.com/" + guid}, names: "AZURE_TENANT_ID"},
	{name: "tenant with newline", base: "secret", set: map[string]string{"AZURE_TENANT_ID": entratest.DefaultTenantID + "\nX"}, names: "AZURE_TENANT_ID"},
	{name: "tenant with NUL", base: "secret", set: map[string]string{"AZURE_TENANT_ID": entratest.DefaultTenantID + "\x00"}, names: "AZURE_TENANT_ID"},
	{name: "tenant of 1 MiB", base: "secret", set: map[string]string{"AZURE_TENANT_ID": strings.Repeat("7", mib)}, names: "AZURE_TENANT_ID"},
	{name: "tenant not UTF-8", base: "secret", set: map[string]string{"AZURE_TENANT_ID": nonU8}, names: "AZURE_TENANT_ID"},
	{name: "tenant missing", base: "secret", unset: []string{"AZURE_TENANT_ID"}, names: "AZURE_TENANT_ID"},
	{name: "tenant verified domain", base: "secret", set: map[string]string{"AZURE_TENANT_ID": entratest.DefaultTenantDomain}, accept: true},
	// Authority hosts.
	{name: "authority host http", base: "secret", set: map[string]string{"AZURE_AUTHORITY_HOST": "http://login.microsoftonline.com/"}, names: "AZURE_AUTHORITY_HOST"},
	{name: "authority host without scheme", base: "secret", set: map[string]string{"AZURE_AUTHORITY_HOST": "login.microsoftonline.com"}, names: "AZURE_AUTHORITY_HOST"}, // rejected by New; the credential would use the loopback-guarded transport anyway
	{name: "authority host https only", base: "secret", set: map[string]string{"AZURE_AUTHORITY_HOST": "https://"}, names: "AZURE_AUTHORITY_HOST"},
	{name: "authority host ftp", base: "secret", set: map[string]string{"AZURE_AUTHORITY_HOST": "ftp://login.microsoftonline.com/"}, names: "AZURE_AUTHORITY_HOST"},
	{name: "authority host with space", base: "secret", set: map[string]string{"AZURE_AUTHORITY_HOST": "https://login.micro soft.com/"}, names: "AZURE_AUTHORITY_HOST"},
	{name: "authority host with newline", base: "secret", set: map[string]string{"AZURE_AUTHORITY_HOST": "https://login.microsoftonline.com/\n"}, names: "AZURE_AUTHORITY_HOST"},
	{name: "authority host with query", base: "secret", set: map[string]string{"AZURE_AUTHORITY_HOST": "https://login.microsoftonline.com/?x=1"}, names: "AZURE_AUTHORITY_HOST"},
	{name: "authority host of 1 MiB", base: "secret", set: map[string]string{"AZURE_AUTHORITY_HOST": "https://" + strings.Repeat("a", mib)}, names: "AZURE_AUTHORITY_HOST"},
	{name: "authority host not UTF-8", base: "secret", set: map[string]string{"AZURE_AUTHORITY_HOST": "https://" + nonU8 + "/"}, names: "AZURE_AUTHORITY_HOST"},
	// Secrets.
	{name: "secret with trailing newline", base: "secret", set: map[string]string{"AZURE_CLIENT_SECRET": entratest.DefaultClientSecret + "\n"}, names: "AZURE_CLIENT_SECRET"},
	{name: "secret with NUL", base: "secret", set: map[string]string{"AZURE_CLIENT_SECRET": entratest.DefaultClientSecret + "\x00"}, names: "AZURE_CLIENT_SECRET"},
	{name: "secret of 1 MiB", base: "secret", set: map[string]string{"AZURE_CLIENT_SECRET": strings.Repeat("s", mib)}, names: "AZURE_CLIENT_SECRET"},
	{name: "secret not UTF-8", base: "secret", set: map[string]string{"AZURE_CLIENT_SECRET": nonU8}, names: "AZURE_CLIENT_SECRET"},
	{name: "secret is the secret ID (a GUID)", base: "secret", set: map[string]string{"AZURE_CLIENT_SECRET": guid}, names: "AZURE_CLIENT_SECRET"},
	// Certificates.
	{name: "certificate missing", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:missing"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate path is a directory", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:dir"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate unreadable (path through a file)", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:through-file"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate garbage bytes", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:garbage.pem"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate empty file", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:empty.pem"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate JSON file", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:json.pem"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate 2 MiB file", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:huge.pem"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate without private key", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:cert-only.pem"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "private key without certificate", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:key-only.pem"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate expired", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:expired.pem"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate not yet valid", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:not-yet-valid.pem"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "PKCS#12 wrong password", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:cert.pfx", "AZURE_CLIENT_CERTIFICATE_PASSWORD": "wrong~" + certPassword}, names: "AZURE_CLIENT_CERTIFICATE_PASSWORD"},
	{name: "PKCS#12 password missing", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:cert.pfx"}, names: "AZURE_CLIENT_CERTIFICATE_PASSWORD"},
	{name: "PKCS#12 without private key", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:truststore.pfx", "AZURE_CLIENT_CERTIFICATE_PASSWORD": certPassword}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "PKCS#12 right password", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:cert.pfx", "AZURE_CLIENT_CERTIFICATE_PASSWORD": certPassword}, accept: true},
	{name: "certificate path with newline", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:cert.pfx\n"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate path with NUL", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:cert.pfx\x00"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate path of 1 MiB", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "/" + strings.Repeat("p", mib)}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "send certificate chain not a boolean", base: "cert", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:cert.pfx", "AZURE_CLIENT_CERTIFICATE_PASSWORD": certPassword, "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN": "maybe"}, names: "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"},
	// Federated token files.
	{name: "token file empty", base: "wi", set: map[string]string{"AZURE_FEDERATED_TOKEN_FILE": "file:token-empty"}, names: "AZURE_FEDERATED_TOKEN_FILE"},
	{name: "token file not a JWT", base: "wi", set: map[string]string{"AZURE_FEDERATED_TOKEN_FILE": "file:token-not-jwt"}, names: "AZURE_FEDERATED_TOKEN_FILE"},
	{name: "token file binary", base: "wi", set: map[string]string{"AZURE_FEDERATED_TOKEN_FILE": "file:token-binary"}, names: "AZURE_FEDERATED_TOKEN_FILE"},
	{name: "token file a.b.c", base: "wi", set: map[string]string{"AZURE_FEDERATED_TOKEN_FILE": "file:token-three-dots"}, names: "AZURE_FEDERATED_TOKEN_FILE"},
	{name: "token file not UTF-8", base: "wi", set: map[string]string{"AZURE_FEDERATED_TOKEN_FILE": "file:token-nonutf8.jwt"}, names: "AZURE_FEDERATED_TOKEN_FILE"},
	{name: "token file expired token", base: "wi", set: map[string]string{"AZURE_FEDERATED_TOKEN_FILE": "file:token-expired"}, names: "AZURE_FEDERATED_TOKEN_FILE"},
	{name: "token file wrong audience", base: "wi", set: map[string]string{"AZURE_FEDERATED_TOKEN_FILE": "file:token-wrong-aud"}, names: "AZURE_FEDERATED_TOKEN_FILE"},
	{name: "token file missing", base: "wi", set: map[string]string{"AZURE_FEDERATED_TOKEN_FILE": "file:missing"}, names: "AZURE_FEDERATED_TOKEN_FILE"},
	{name: "token file is a directory", base: "wi", set: map[string]string{"AZURE_FEDERATED_TOKEN_FILE": "file:dir"}, names: "AZURE_FEDERATED_TOKEN_FILE"},
	// Conflicts and other settings.
	{name: "secret and certificate both set", base: "secret", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": "file:cert.pfx"}, names: "AZURE_CLIENT_CERTIFICATE_PATH"},
	{name: "certificate password without certificate", base: "secret", set: map[string]string{"AZURE_CLIENT_CERTIFICATE_PASSWORD": certPassword}, names: "AZURE_CLIENT_CERTIFICATE_PASSWORD"},
	{name: "AZURE_TOKEN_CREDENTIALS unknown", base: "secret", set: map[string]string{"AZURE_TOKEN_CREDENTIALS": "BogusCredential"}, names: "AZURE_TOKEN_CREDENTIALS"},
	{name: "AZURE_TOKEN_CREDENTIALS forces a missing kind", base: "secret", set: map[string]string{"AZURE_TOKEN_CREDENTIALS": "WorkloadIdentityCredential"}, names: "AZURE_TOKEN_CREDENTIALS"},
	{name: "username and password only", base: "bare", set: map[string]string{"AZURE_USERNAME": entratest.MFAUsername, "AZURE_PASSWORD": entratest.DefaultPassword}, names: "AZURE_USERNAME"},
	{name: "allowed tenants malformed", base: "secret", set: map[string]string{"AZURE_ADDITIONALLY_ALLOWED_TENANTS": "not a tenant;;" + nonU8}, names: "AZURE_ADDITIONALLY_ALLOWED_TENANTS"},
	{name: "GitHub request URL malformed", base: "github", set: map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": "::not a url"}, names: "ACTIONS_ID_TOKEN_REQUEST_URL"},
	{name: "GitHub request URL http", base: "github", set: map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": "http://127.0.0.1:1/token"}, names: "ACTIONS_ID_TOKEN_REQUEST_URL"},
	{name: "GitHub request token missing", base: "github", unset: []string{"ACTIONS_ID_TOKEN_REQUEST_TOKEN"}, names: "ACTIONS_ID_TOKEN_REQUEST_TOKEN"},
	{name: "nothing configured", base: "bare", unset: []string{"AZURE_CLIENT_ID"}, names: "AZURE_CLIENT_ID"},
}

// fixWord is a word a remedy starts its instruction with.
var fixWord = regexp.MustCompile(`(?i)\b(set|unset|use|remove|correct|check|replace|give|pass|export|convert|add|rename|create|upload|map|grant|point|run|make|register|restore|configure|mount|label|trim|strip|delete|drop|choose|re-?issue|renew)\b`)

func TestBadInput(t *testing.T) {
	srv := entratest.Start(t, nil)
	paths := fixtures(t, srv)
	outcomes := make([]string, len(badCases))
	t.Run("cases", func(t *testing.T) {
		for i, bc := range badCases {
			t.Run(bc.name, func(t *testing.T) {
				t.Parallel()
				outcomes[i] = runBad(t, srv, paths, bc)
			})
		}
	})
	if len(badCases) < 50 {
		t.Errorf("%d bad input cases; the issue asks for at least 50", len(badCases))
	}
	var b strings.Builder
	b.WriteString("| # | input | named | outcome |\n|---|---|---|---|\n")
	for i, bc := range badCases {
		named := "`" + bc.names + "`"
		if bc.accept {
			named = "(valid)"
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", i+1, bc.name, named, outcomes[i])
	}
	checkGenerated(t, "bad-input", b.String())
}

// badEnv builds bc's environment.
func badEnv(srv *entratest.Server, paths map[string]string, bc badCase) map[string]string {
	env := srv.Env()
	switch bc.base {
	case "secret":
		env = srv.ServicePrincipalSecretEnv()
	case "cert":
		env["AZURE_CLIENT_CERTIFICATE_PATH"] = ""
	case "wi":
		env["AZURE_FEDERATED_TOKEN_FILE"] = ""
	case "github":
		env = srv.GitHubActionsEnv()
	}
	for k, v := range bc.set {
		if name, ok := strings.CutPrefix(v, "file:"); ok {
			suffix := ""
			if i := strings.IndexAny(name, "\n\x00"); i >= 0 {
				name, suffix = name[:i], name[i:]
			}
			v = paths[name] + suffix
		}
		env[k] = v
	}
	for _, k := range bc.unset {
		delete(env, k)
	}
	return env
}

// runBad runs one case and returns its outcome for the table.
func runBad(t *testing.T, srv *entratest.Server, paths map[string]string, bc badCase) (outcome string) {
	env := badEnv(srv, paths, bc)
	fail := t.Errorf
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("panic: %v", r)
			outcome = "**panic**"
		}
	}()
	c, err := credential.New(&credential.Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()})
	if err != nil {
		checkDiagnosis(fail, "New", err, bc)
		return "New: `" + string(code(err)) + "`"
	}
	defer c.Close()
	warned := false
	for _, w := range c.Selection().Warnings {
		assertNoCanaries(t, "warning", w)
		if strings.Contains(w, bc.names) && bc.names != "" {
			warned = true
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tok, err := c.GetToken(ctx, scopes(armScope))
	switch {
	case err == nil && bc.accept:
		checkToken(t, tok, armScope, entratest.DefaultTenantID)
		return "token"
	case err == nil && warned:
		checkToken(t, tok, armScope, entratest.DefaultTenantID)
		return "New warns (trimmed or ignored); token"
	case err == nil:
		fail("accepted: New and GetToken succeeded without a warning naming %s", bc.names)
		return "accepted silently"
	case bc.accept:
		t.Errorf("GetToken: %v; want a token", err)
	}
	prefix := "New ok; GetToken: `"
	if warned {
		prefix = "New warns; GetToken: `"
	} else {
		checkDiagnosis(fail, "GetToken", err, bc)
	}
	return prefix + string(code(err)) + "`"
}

const armScope = "https://management.azure.com/.default"

// checkDiagnosis asserts err is a diagnostic that names the variable and
// says what to do, without a secret.
func checkDiagnosis(fail func(string, ...any), stage string, err error, bc badCase) {
	var d *autherrors.Diagnostic
	if !errors.As(err, &d) {
		fail("%s: %T is not a *autherrors.Diagnostic: %v", stage, err, err)
		return
	}
	msg := err.Error()
	for _, c := range canaries {
		if strings.Contains(msg, c) {
			fail("%s: the error contains a secret", stage)
		}
	}
	if len(msg) > 4096 {
		fail("%s: the error is %d bytes long; a bad value must not be echoed whole", stage, len(msg))
	}
	if !strings.Contains(msg, bc.names) {
		fail("%s: the error does not name %s: %.300s", stage, bc.names, msg)
	}
	if !fixWord.MatchString(d.Remedy) {
		fail("%s: the remedy says nothing to do: %q", stage, d.Remedy)
	}
}

func code(err error) autherrors.Code {
	var d *autherrors.Diagnostic
	if errors.As(err, &d) {
		return d.Code
	}
	return "(not a diagnostic)"
}
