package detect

import (
	"errors"

	autherrors "github.com/autoidentity/autoidentity/errors"
	"github.com/autoidentity/autoidentity/internal/certs"
)

// certificate loads the file AZURE_CLIENT_CERTIFICATE_PATH names, records its
// public facts (subject, thumbprints, expiry) and returns "" when it can be
// used, or why not. A certificate that cannot be loaded, or that has
// expired, is a configuration error naming the variable and the fix; one
// that expires within 30 days is a warning.
func (d *detector) certificate() string {
	data, problem := d.readFile(vCertPath)
	if problem != "" {
		return problem
	}
	b, err := certs.Load(data, d.get(vCertPassword))
	if err == nil {
		d.cert = b
		info, warnings, cerr := b.Describe(d.opts.now())
		d.r.Certificate = &CertificateInfo{Subject: info.Subject, ThumbprintSHA1: info.ThumbprintSHA1,
			ThumbprintSHA256: info.ThumbprintSHA256, NotAfter: info.NotAfter}
		for _, w := range warnings {
			d.warn(w)
		}
		err = cerr
	}
	if err == nil {
		return ""
	}
	d.cert = nil
	ce := ConfigError{Variable: varNames[vCertPath], Code: autherrors.ErrCertificateInvalid, Message: err.Error()}
	if c := (*certs.Error)(nil); errors.As(err, &c) {
		ce.Message = varNames[vCertPath] + " (" + quotePath(d.get(vCertPath)) + "): " + c.Problem
		if c.Err != nil {
			ce.Message += ": " + c.Err.Error()
		}
		ce.Remedy = c.Fix
	}
	d.r.Errors = append(d.r.Errors, ce)
	return "a usable certificate in " + varNames[vCertPath] + " (see errors)"
}
