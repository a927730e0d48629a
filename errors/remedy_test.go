package autherrors_test

import (
	"strings"
	"testing"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// TestFederatedRemedyIsPasteable checks that the az command in a federation
// remedy can be pasted: placeholders are not JSON-escaped (\u003c) and no
// shell substitution hides inside single quotes.
func TestFederatedRemedyIsPasteable(t *testing.T) {
	t.Parallel()
	const text = "AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:default:batch'. Please note that the matching is done using a case-sensitive comparison."
	env := envFrom(onAKS)
	env.ClientID = "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b"
	d := autherrors.Parse(text).For(env)
	if d.Code != autherrors.ErrFederatedIdentityMismatch {
		t.Fatalf("code = %s", d.Code)
	}
	for _, bad := range []string{`\u003c`, `\u003e`, `'$(`, `"$(`} {
		if strings.Contains(d.Remedy, bad) {
			t.Errorf("remedy contains %q:\n%s", bad, d.Remedy)
		}
	}
	for _, want := range []string{`"subject":"system:serviceaccount:default:batch"`, `"issuer":"<issuer>"`, "oidcIssuerProfile.issuerUrl", "--id 9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b"} {
		if !strings.Contains(d.Remedy, want) {
			t.Errorf("remedy lacks %q:\n%s", want, d.Remedy)
		}
	}
}

// TestWorkloadMismatchNamesTheIssuer: the remedy for a federated credential
// mismatch names the issuer of the token the program presented.
func TestWorkloadMismatchNamesTheIssuer(t *testing.T) {
	t.Parallel()
	const iss = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/"
	env := &autherrors.Environment{ClientID: "9a3c1f6e-2b7d-4e8a-9f10-5c6d7e8f9a0b", KubernetesNamespace: "ns", KubernetesServiceAccount: "sa", TokenIssuer: iss}
	r := autherrors.New(autherrors.ErrFederatedIdentityMismatch, "", "", nil).For(env).Remedy
	if !strings.Contains(r, `"issuer":"`+iss+`"`) || strings.Contains(r, "<issuer>") {
		t.Errorf("remedy %q does not name the token's issuer", r)
	}
}
