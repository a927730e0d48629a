package main

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/autoidentity/autoidentity/detect"
)

// writeReport writes detect's human report, made for a CI log: the
// decision first, then the evidence, then what to fix (refused,
// incomplete, errors, warnings) and what was skipped. It reads only r's
// exported fields, which hold no secret.
func writeReport(w io.Writer, r *detect.Result) error {
	var b strings.Builder
	b.Grow(512)
	d := r.Diagnostic()
	none := d != nil
	if none {
		// The code credential.New returns for the same environment.
		b.WriteString("autoidentity: no non-interactive identity selected [" + string(d.Code) + "]\n")
	} else {
		b.WriteString("autoidentity: selected " + kindSource(r.Kind, r.Source) + "\n")
	}
	writeSelection(&b, r)
	writeProblems(&b, r)
	if none && len(r.LocalTools) > 0 {
		b.WriteString("hint: " + strings.Join(r.LocalTools, ", ") + " on PATH: on a developer machine, --allow-developer-tools (credential.Options.AllowDeveloperTools) uses the person signed in to them, for local development only\n")
	}
	if none && r.Probe == nil && r.CI == "" {
		b.WriteString("hint: on an Azure VM, scale set or AKS node whose firmware does not show Azure, probe IMDS (autoidentity detect --probe; credential.Options.ProbeIMDS) to use its managed identity\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSelection writes the indented facts of the selection and the
// evidence line.
func writeSelection(b *strings.Builder, r *detect.Result) {
	field(b, "tenant ID", r.TenantID)
	if r.ClientID != "" {
		label := "client ID"
		if r.Kind == detect.ManagedIdentity {
			label = "client ID (user-assigned)"
			if r.Source == detect.AzureML && !slices.Contains(r.Evidence, "AZURE_CLIENT_ID") {
				label = "client ID (DEFAULT_IDENTITY_CLIENT_ID)"
			}
		}
		field(b, label, r.ClientID)
	}
	// A user-assigned managed identity named by Options.ManagedIdentityID.
	field(b, "object ID (user-assigned)", r.ObjectID)
	field(b, "resource ID (user-assigned)", r.ResourceID)
	field(b, "endpoint", r.Endpoint)
	field(b, "certificate", r.CertificatePath)
	if r.SendCertificateChain {
		field(b, "send certificate chain", "yes")
	}
	if c := r.Certificate; c != nil {
		field(b, "certificate subject", c.Subject)
		field(b, "thumbprint (SHA-1)", c.ThumbprintSHA1)
		field(b, "thumbprint (SHA-256)", c.ThumbprintSHA256)
		if !c.NotAfter.IsZero() {
			field(b, "certificate not after", c.NotAfter.UTC().Format(time.RFC3339))
		}
	}
	field(b, "token file", r.TokenFile)
	if t := r.FederatedToken; t != nil {
		field(b, "token issuer", t.Issuer)
		field(b, "token subject", t.Subject)
		field(b, "token audience", strings.Join(t.Audience, ", "))
		if !t.Expiry.IsZero() {
			field(b, "token expires", t.Expiry.UTC().Format(time.RFC3339))
		}
	}
	field(b, "OIDC request URL", r.OIDCRequestURL)
	field(b, "service connection", r.ServiceConnectionID)
	field(b, "authority host", r.AuthorityHost)
	field(b, "allowed tenants", strings.Join(r.AdditionallyAllowedTenants, ";"))
	field(b, "developer tools", strings.Join(r.DeveloperTools, ", "))
	if p := r.Probe; p != nil {
		s := "no answer from " + p.Endpoint + ": " + p.Error
		if p.OK {
			s = "HTTP " + strconv.Itoa(p.Status) + " from " + p.Endpoint + " in " + p.Latency.Round(time.Microsecond).String()
			if p.Detail != "" {
				s += " (" + p.Detail + ")"
			}
		}
		field(b, "IMDS probe", s)
	}
	if len(r.Evidence) > 0 {
		b.WriteString("evidence: " + strings.Join(r.Evidence, ", ") + "\n")
	}
}

// writeProblems writes what was refused, incomplete, malformed, warned
// about and skipped, each section only when it has entries.
func writeProblems(b *strings.Builder, r *detect.Result) {
	if len(r.Refused) > 0 {
		b.WriteString("refused:\n")
		for _, x := range r.Refused {
			b.WriteString("  - " + kindSource(x.Kind, x.Source) + " [" + string(x.Code) + "]: " + x.Reason + "\n")
			if len(x.Variables) > 0 {
				b.WriteString("    variables: " + strings.Join(x.Variables, ", ") + "\n")
			}
			if x.Remedy != "" {
				b.WriteString("    fix: " + x.Remedy + "\n")
			}
		}
	}
	if len(r.Incomplete) > 0 {
		b.WriteString("incomplete:\n")
		for _, x := range r.Incomplete {
			b.WriteString("  - " + kindSource(x.Kind, x.Source) + ":")
			if len(x.Missing) > 0 {
				b.WriteString(" missing " + strings.Join(x.Missing, ", ") + ";")
			}
			if len(x.Invalid) > 0 {
				b.WriteString(" malformed " + strings.Join(x.Invalid, ", ") + ";")
			}
			if len(x.Present) > 0 {
				b.WriteString(" present " + strings.Join(x.Present, ", ") + ";")
			}
			b.WriteString("\n    " + x.Reason + "\n")
		}
	}
	if len(r.Errors) > 0 {
		b.WriteString("errors:\n")
		for _, e := range r.Errors {
			b.WriteString("  - " + e.Variable + " [" + string(e.Code) + "]: " + e.Message + "\n")
			if e.Remedy != "" {
				b.WriteString("    fix: " + e.Remedy + "\n")
			}
		}
	}
	if len(r.Warnings) > 0 {
		b.WriteString("warnings:\n")
		for _, w := range r.Warnings {
			b.WriteString("  - " + w + "\n")
		}
	}
	if len(r.Skipped) > 0 {
		b.WriteString("skipped:\n")
		for _, x := range r.Skipped {
			b.WriteString("  - " + kindSource(x.Kind, x.Source) + ": " + x.Reason + "\n")
		}
	}
}

// field writes an indented "label: value" line, or nothing for "".
func field(b *strings.Builder, label, value string) {
	if value == "" {
		return
	}
	b.WriteString("  " + label + ": " + value + "\n")
}

// kindSource is "kind (source)", or "kind" when there is no source.
func kindSource(k detect.Kind, s detect.Source) string {
	if s == "" {
		return string(k)
	}
	return string(k) + " (" + string(s) + ")"
}
