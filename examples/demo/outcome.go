package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/tokeninfo"
)

// row is one labelled line of a step's block.
type row struct{ label, value string }

// outcome is what a step saw (rows, printed) and what it did not expect
// (problems, which fail the step and the demo).
type outcome struct {
	rows     []row
	problems []string
}

func (o *outcome) ok() bool { return len(o.problems) == 0 }

func (o *outcome) add(label, value string) { o.rows = append(o.rows, row{label, value}) }

func (o *outcome) fail(format string, args ...any) {
	o.problems = append(o.problems, fmt.Sprintf(format, args...))
}

// selection shows what detect selected and its key evidence, and checks
// the kind and source against the step's.
func (o *outcome) selection(sel *detect.Result, st step) {
	d := string(sel.Kind)
	if sel.Source != "" {
		d += " (" + string(sel.Source) + ")"
	}
	o.add("detected", d)
	o.add("evidence", strings.Join(sel.Evidence, ", "))
	switch sel.Kind {
	case detect.ServicePrincipalSecret:
		o.add("client ID", sel.ClientID)
	case detect.ServicePrincipalCertificate:
		if c := sel.Certificate; c != nil {
			o.add("certificate", c.Subject)
			o.add("thumbprint (SHA-1)", c.ThumbprintSHA1)
		}
	case detect.WorkloadIdentity:
		if t := sel.FederatedToken; t != nil {
			o.add("token file subject", t.Subject)
			o.add("token file issuer", t.Issuer)
		}
	case detect.GitHubActionsOIDC:
		o.add("OIDC request URL", sel.OIDCRequestURL)
	case detect.AzurePipelinesOIDC:
		o.add("service connection", sel.ServiceConnectionID)
	case detect.ManagedIdentity:
		o.add("endpoint", sel.Endpoint)
	}
	if sel.Kind != st.kind || sel.Source != st.source {
		o.fail("selected %s %s, want %s %s", sel.Kind, sel.Source, st.kind, st.source)
	}
}

// token shows an access token's public claims (never the token) and checks
// them.
func (o *outcome) token(tok string, expires time.Time, appID string) {
	c, err := tokeninfo.Parse(tok)
	if err != nil {
		o.fail("the access token's claims cannot be read: %v", err)
		return
	}
	roles := strings.Join(c.Roles, " ")
	if roles == "" {
		roles = "(none assigned)"
	}
	o.add("token", "acquired for "+armScope+", expires in "+time.Until(expires).Round(time.Minute).String())
	o.add("aud", strings.Join(c.Audience, " "))
	o.add("tid", c.TenantID)
	o.add("oid", c.ObjectID)
	o.add("appid", c.AppID)
	o.add("idtyp", c.IdentityType)
	o.add("roles", roles)
	for _, p := range checkToken(c, appID, time.Now()) {
		o.fail("%s", p)
	}
}

// diagnosis shows err's code, AADSTS code, summary and fix, and returns
// the *autherrors.Diagnostic (nil if err is not one, which is a problem).
func (o *outcome) diagnosis(err error) *autherrors.Diagnostic {
	var d *autherrors.Diagnostic
	if !errors.As(err, &d) {
		o.fail("the error is not a *autherrors.Diagnostic: %T", err)
		return nil
	}
	code := string(d.Code)
	if d.AADSTS != "" {
		code += " (" + d.AADSTS + ")"
	}
	o.add("diagnosis", code)
	o.add("summary", d.Summary)
	o.add("fix", d.Remedy)
	return d
}

// passwordGrants shows how many password grants reached the emulator; the
// answer must be 0.
func (o *outcome) passwordGrants(srv *entratest.Server) {
	n := srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" })
	o.add("password grants sent", strconv.Itoa(n))
	if n != 0 {
		o.fail("%d password grant(s) reached the emulator, want 0", n)
	}
}
