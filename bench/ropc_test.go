package bench

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/claims"
)

// BenchmarkROPC is an environment that holds only AZURE_USERNAME and
// AZURE_PASSWORD (with the tenant and client ID), for a user with MFA (the
// password grant fails with AADSTS50076) and one without (it succeeds, and
// the program runs as that person). It reports the password grants that
// reached the emulator (on a program's first call, and per op after it) and
// the user tokens handed to the program. autoidentity's op is New, which
// refuses the environment (user-identity-refused) without sending anything;
// DefaultAzureCredential's op is a GetToken on one credential after its
// first call, as a long-running program calls it (MSAL caches the no-MFA
// user's token, so only its first call sends the password; the MFA user's
// grant fails and is sent again on every call).
// There is no third column: the plain credential, UsernamePasswordCredential,
// is the password flow itself.
func BenchmarkROPC(b *testing.B) {
	for _, user := range []struct{ name, username string }{{"mfa", entratest.MFAUsername}, {"no-mfa", entratest.DefaultUsername}} {
		b.Run("user="+user.name+"/impl="+implAuto, func(b *testing.B) {
			srv := startServer(b, nil)
			env := srv.UsernamePasswordEnv(user.username)
			var err error
			for b.Loop() {
				if _, err = newAuto(env, srv.ClientOptions()); !errors.Is(err, autherrors.ErrUserIdentityRefused) {
					b.Fatalf("New = %v, want user-identity-refused", err)
				}
			}
			b.ReportMetric(0, "password-grants/first-call") // New failed: there is no call
			b.ReportMetric(float64(srv.Count(isPasswordGrant))/float64(b.N), "password-grants/op")
			b.ReportMetric(0, "user-tokens/op")
			logROPC(b, "ropc-auto-"+user.name, "autoidentity", err)
		})
		b.Run("user="+user.name+"/impl="+implDAC, func(b *testing.B) {
			srv := startServer(b, nil)
			setProcessEnv(b, srv.UsernamePasswordEnv(user.username))
			c, err := newDAC(srv.ClientOptions())
			if err != nil {
				b.Fatal(err)
			}
			userTokens := 0
			ctx := context.Background()
			_, _ = c.GetToken(ctx, armOpts) // a program's first call
			first := srv.Count(isPasswordGrant)
			for b.Loop() {
				tok, gerr := c.GetToken(ctx, armOpts)
				err = gerr
				if gerr != nil {
					continue
				}
				if cl, perr := claims.Parse(tok.Token); perr == nil && cl.IdentityType == "user" {
					userTokens++
				}
			}
			if user.name == "mfa" && err == nil {
				b.Fatal("the MFA user's password grant succeeded")
			}
			b.ReportMetric(float64(first), "password-grants/first-call")
			b.ReportMetric(float64(srv.Count(isPasswordGrant)-first)/float64(b.N), "password-grants/op")
			b.ReportMetric(float64(userTokens)/float64(b.N), "user-tokens/op")
			logROPC(b, "ropc-dac-"+user.name, "DefaultAzureCredential", err)
		})
	}
}

// logROPC logs err's text once, after checking it holds no password.
// isPasswordGrant matches the password (ROPC) grants in the emulator's log.
func isPasswordGrant(r entratest.Request) bool { return r.GrantType == "password" }

func logROPC(b *testing.B, key, who string, err error) {
	b.Helper()
	if err == nil {
		return
	}
	if strings.Contains(err.Error(), entratest.DefaultPassword) {
		b.Fatalf("%s's error contains the password", who)
	}
	logOnce(b, key, "%s error:\n%v", who, err)
}
