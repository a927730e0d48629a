// Package app calls package wrap's wrappers.
package app

import w "wrap"

func main() {
	var ctx any
	w.Config{}.Credential() // want `^wrap\.Config\.Credential returns a credential that signs in as a person: it uses azidentity\.NewInteractiveBrowserCredential, which opens a browser .*; use credential\.New`
	w.Token(ctx)            // want `wrap\.Token returns a credential that signs in as a person: it uses public\.Client\.AcquireTokenByUsernamePassword`
	f := w.Named            // want `wrap\.Named returns a credential`
	f()
	w.AppOnly()
}

// again wraps a wrapper: the Fact is transitive.
func again(ctx any) (string, error) { // want again:`returns a user credential from public\.Client\.AcquireTokenByUsernamePassword`
	return w.Token(ctx) // want `wrap\.Token returns`
}
