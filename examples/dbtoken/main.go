// Command dbtoken gets an access token for Azure Database for PostgreSQL
// the way a connection pool does: every new connection asks the credential
// for its password, and the credential's cache answers all but the first.
// It prints the DSN a pool would use with the password REDACTED, and the
// token's expiry. The token is never printed; there is deliberately no
// flag to print it, because a program should hand it to the driver, not to
// a log or a shell.
//
//	go run ./examples/dbtoken --host myserver.postgres.database.azure.com --user my-app-identity
//
// # With pgx
//
// Use the token as the password of each new connection, through pgxpool's
// BeforeConnect hook (github.com/jackc/pgx/v5/pgxpool):
//
//	cred, err := credential.New(nil)
//	cfg, err := pgxpool.ParseConfig("host=myserver.postgres.database.azure.com user=my-app-identity dbname=postgres sslmode=require")
//	cfg.BeforeConnect = func(ctx context.Context, cc *pgx.ConnConfig) error {
//		tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://ossrdbms-aad.database.windows.net/.default"}})
//		if err != nil {
//			return err // a *autherrors.Diagnostic: code, summary, fix
//		}
//		cc.Password = tok.Token
//		return nil
//	}
//	pool, err := pgxpool.NewWithConfig(ctx, cfg)
//
// The token only opens a connection: an open connection outlives it, so
// pools need no reconnect when it expires. The user is the name the
// identity was given on the server (pgaadauth_create_principal, or the
// Microsoft Entra admin set in the portal).
//
// # Against the local emulator
//
//	go build -o /tmp/autoidentity ./cmd/autoidentity && go build -o /tmp/dbtoken ./examples/dbtoken
//	/tmp/autoidentity emulate --scenario workload-identity > /tmp/emulate.json & EMU=$!
//	until [ -s /tmp/emulate.json ]; do sleep 0.1; done
//	( eval "$(jq -r '.env | to_entries[] | "export \(.key)=\(.value | @sh)"' /tmp/emulate.json)"; /tmp/dbtoken )
//	kill $EMU
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/credential"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/tokeninfo"
)

// postgresScope is the scope of Azure Database for PostgreSQL (and MySQL)
// Microsoft Entra authentication.
const postgresScope = "https://ossrdbms-aad.database.windows.net/.default"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], nil, os.Stdout, os.Stderr))
}

// run is the program. opts go to credential.New as they are (nil in main:
// the process environment decides). It returns 0 on success, 1 when no
// token was acquired (the diagnosis is printed), 2 on bad flags.
func run(ctx context.Context, args []string, opts *credential.Options, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dbtoken", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "myserver.postgres.database.azure.com", "the server's host name")
	user := fs.String("user", "my-app-identity", "the PostgreSQL role of the identity (its name on the server)")
	dbname := fs.String("dbname", "postgres", "the database")
	conns := fs.Int("connections", 3, "how many new pool connections to simulate; each asks for the password")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || *conns < 1 {
		fmt.Fprintln(stderr, "dbtoken: takes no arguments, and --connections must be at least 1")
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	cred, err := credential.New(opts)
	if err != nil {
		return fail(stderr, err)
	}
	defer cred.Close()

	// What BeforeConnect does for each new connection of the pool.
	password := func(ctx context.Context) (string, time.Time, error) {
		tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{postgresScope}})
		return tok.Token, tok.ExpiresOn, err
	}
	distinct := map[string]bool{}
	var expires time.Time
	start := time.Now()
	for range *conns {
		pw, exp, err := password(ctx)
		if err != nil {
			return fail(stderr, err)
		}
		distinct[pw], expires = true, exp
	}
	took := time.Since(start)

	var tok string
	for pw := range distinct {
		tok = pw
	}
	who := string(cred.Selection().Kind)
	if c, err := tokeninfo.Parse(tok); err == nil {
		who += ", aud " + strings.Join(c.Audience, " ") + ", idtyp " + c.IdentityType
	}
	fmt.Fprintf(stdout, "identity     %s\n", who)
	fmt.Fprintf(stdout, "scope        %s\n", postgresScope)
	fmt.Fprintf(stdout, "dsn          host=%s port=5432 dbname=%s user=%s sslmode=require password=REDACTED\n", *host, *dbname, *user)
	fmt.Fprintf(stdout, "expires      %s (in %s)\n", expires.UTC().Format(time.RFC3339), time.Until(expires).Round(time.Second))
	fmt.Fprintf(stdout, "pool         %d connection(s) asked for the password: %d distinct token(s), %s in all\n", *conns, len(distinct), took.Round(time.Microsecond))
	return 0
}

// fail prints the diagnosis: the stable code, what happened and the fix.
func fail(stderr io.Writer, err error) int {
	var d *autherrors.Diagnostic
	if !errors.As(err, &d) {
		d = autherrors.Classify(err)
	}
	fmt.Fprintln(stderr, d.Error())
	return 1
}
