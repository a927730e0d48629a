package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/claims"
)

var tokenHelp = help{
	name:     "token",
	synopsis: "token --scope SCOPE [--json] [--raw] [--timeout D] [--allow-developer-tools]",
	summary:  "acquire a token and print its kind, expiry and public claims",
	details: `
Acquires a token through credential.New, as a program using autoidentity would.
The token itself is printed only with --raw. When the environment names
SSL_CERT_FILE (as autoidentity emulate prints it), that CA is trusted besides
the system's.`,
	output: `
stdout: "token acquired", the kind (and source), the expiry and the token's
public claims (aud, tid, oid, appid, idtyp, roles, xms_mirid), one per line.
--json: {"kind", "source", "expires_on", "claims"[, "token" with --raw]}.
On failure, the diagnosis: one line on stderr, or with --json the diagnostic
object ({"code", "summary", "remedy", ...}) on stdout.`,
	exits: [][2]string{
		{"0", "a token was acquired"},
		{"1", "it was not (the diagnosis says why)"},
		{"2", "usage error"},
	},
}

// tokenReport is the --json output on success.
type tokenReport struct {
	Kind      detect.Kind    `json:"kind"`
	Source    detect.Source  `json:"source,omitempty"`
	ExpiresOn time.Time      `json:"expires_on"`
	Claims    *claims.Claims `json:"claims,omitempty"`
	Token     string         `json:"token,omitempty"`
}

// runToken acquires a token for --scope and prints what it is.
func runToken(ctx context.Context, s *streams, args []string) int {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	scope := fs.String("scope", "", "the scope to request, e.g. https://management.azure.com/.default (required)")
	asJSON := fs.Bool("json", false, "print JSON")
	raw := fs.Bool("raw", false, "also print the access token itself (it is a secret: do not log it)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	allowDev := fs.Bool("allow-developer-tools", false, "allow Azure CLI, azd and Azure PowerShell sign-ins (developer machines only)")
	if code, done := tokenHelp.parse(s, fs, args); done {
		return code
	}
	if *scope == "" || fs.NArg() > 0 {
		return tokenHelp.usageError(s, "--scope is required and takes no other arguments")
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	opts := &credential.Options{Env: s, AllowDeveloperTools: *allowDev}
	client, err := httpClient(s)
	if err != nil {
		return tokenFailure(s, *asJSON, autherrors.New(autherrors.ErrInvalidConfiguration, err.Error(), "", err))
	}
	if client != nil {
		opts.ClientOptions = azcore.ClientOptions{Transport: client}
	}
	cred, err := credential.New(opts)
	if err != nil {
		return tokenFailure(s, *asJSON, err)
	}
	defer cred.Close()
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{*scope}})
	if err != nil {
		return tokenFailure(s, *asJSON, err)
	}
	sel := cred.Selection()
	rep := tokenReport{Kind: sel.Kind, Source: sel.Source, ExpiresOn: tok.ExpiresOn.UTC()}
	rep.Claims, _ = claims.Parse(tok.Token) // an opaque token has no claims to show
	if *raw {
		rep.Token = tok.Token
	}
	if *asJSON {
		enc := json.NewEncoder(s.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
		return exitOK
	}
	printToken(s, &rep)
	return exitOK
}

func printToken(s *streams, r *tokenReport) {
	w := tabwriter.NewWriter(s.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "token acquired\t%s\n", strings.TrimSuffix(string(r.Kind)+" ("+string(r.Source)+")", " ()"))
	fmt.Fprintf(w, "expires\t%s (in %s)\n", r.ExpiresOn.Format(time.RFC3339), time.Until(r.ExpiresOn).Round(time.Second))
	if c := r.Claims; c != nil {
		app := c.AppID
		if app == "" {
			app = c.AuthorizedParty
		}
		for _, kv := range [][2]string{{"aud", strings.Join(c.Audience, " ")}, {"tid", c.TenantID}, {"oid", c.ObjectID},
			{"appid", app}, {"idtyp", c.IdentityType}, {"roles", strings.Join(c.Roles, " ")}, {"xms_mirid", c.ManagedIdentityResourceID}} {
			if kv[1] != "" {
				fmt.Fprintf(w, "%s\t%s\n", kv[0], kv[1])
			}
		}
	}
	if r.Token != "" {
		fmt.Fprintf(w, "token\t%s\n", r.Token)
	}
	w.Flush()
}

// tokenFailure prints the diagnosis of err: JSON {"code","summary","remedy",...}
// on stdout with --json, otherwise the one-line diagnosis on stderr.
func tokenFailure(s *streams, asJSON bool, err error) int {
	var d *autherrors.Diagnostic
	if !errors.As(err, &d) {
		d = autherrors.Classify(err)
	}
	if asJSON {
		enc := json.NewEncoder(s.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(d)
	} else {
		fmt.Fprintln(s.stderr, d.Error())
	}
	return exitFailure
}

// httpClient is the client the command sends with: the test's, or, when
// the environment given to the command names SSL_CERT_FILE (as
// `autoidentity emulate` prints), one that trusts that CA besides the
// system's, so the environment passed in is the one that counts. nil means
// azcore's default client.
func httpClient(s *streams) (*http.Client, error) {
	if s.transport != nil {
		return s.transport, nil
	}
	file, ok := s.LookupEnv("SSL_CERT_FILE")
	if !ok || file == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("SSL_CERT_FILE: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("SSL_CERT_FILE %s holds no PEM certificate", file)
	}
	t := defaultTransport()
	// The clone of http.DefaultTransport has no TLS configuration when
	// HTTP/2 is off (GODEBUG=http2client=0): only HTTP/2's setup adds one.
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	}
	t.TLSClientConfig.RootCAs = pool
	return &http.Client{Transport: t}, nil
}

// defaultTransport is a copy of http.DefaultTransport (proxy from the
// environment, timeouts, HTTP/2), or a transport with the same proxy rule if
// something replaced it.
func defaultTransport() *http.Transport {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
}
