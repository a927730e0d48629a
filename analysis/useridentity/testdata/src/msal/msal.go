// Package msal calls MSAL Go's user flows.
package msal

import (
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

func publicClient(ctx any) {
	pc, _ := public.New("client")
	pc.AcquireTokenByUsernamePassword(ctx, nil, "user", "pass") // want `^public\.Client\.AcquireTokenByUsernamePassword signs in as a person with a password .*; use credential\.New`
	pc.AcquireTokenInteractive(ctx, nil)                        // want `public\.Client\.AcquireTokenInteractive opens a browser`
	pc.AcquireTokenByDeviceCode(ctx, nil)                       // want `public\.Client\.AcquireTokenByDeviceCode waits for a person`
	pc.AcquireTokenSilent(ctx, nil)
	(&pc).AcquireTokenInteractive(ctx, nil) // want `public\.Client\.AcquireTokenInteractive opens`
}

func confidentialClient(ctx any) {
	cred, _ := confidential.NewCredFromSecret("secret")
	cc, _ := confidential.New("authority", "client", cred)
	cc.AcquireTokenByCredential(ctx, nil)
	cc.AcquireTokenByUsernamePassword(ctx, nil, "user", "pass") // want `confidential\.Client\.AcquireTokenByUsernamePassword signs in as a person with a password`
	cc.AcquireTokenOnBehalfOf(ctx, "assertion", nil)            // want `confidential\.Client\.AcquireTokenOnBehalfOf exchanges a signed-in person's token`
}

// embedded promotes public.Client's methods.
type embedded struct{ public.Client }

func (e embedded) run(ctx any) {
	e.AcquireTokenInteractive(ctx, nil) // want `public\.Client\.AcquireTokenInteractive opens`
}

// accessToken returns a user's access token: a Fact.
func accessToken(ctx any, pc public.Client) (string, error) { // want accessToken:`returns a user credential from public\.Client\.AcquireTokenByUsernamePassword`
	res, err := pc.AcquireTokenByUsernamePassword(ctx, nil, "user", "pass") // want `public\.Client\.AcquireTokenByUsernamePassword`
	return res.AccessToken, err
}
