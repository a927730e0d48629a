package detect

import (
	"net/url"
	"strconv"
	"unicode/utf8"

	autherrors "github.com/autoidentity/autoidentity/errors"
)

// maxQuoted is how many bytes of a value a message quotes: enough to
// recognise a URL, a name or a typo, never a flood of log lines.
const maxQuoted = 80

// maxPath is how many bytes of a file path a message quotes: real paths
// (temporary directories, Kubernetes projected volumes) run past maxQuoted
// and are only useful whole; PATH_MAX is 4096.
const maxPath = 1024

// maxSecret bounds a secret's length. A client secret is about 40
// characters and a CI request token (a JWT) a few KB; 16 KiB of anything is
// a file's contents pasted whole, not a credential, and would only be sent
// to Entra ID to be refused.
const maxSecret = 16 << 10

// maxHost is the longest DNS host name (RFC 1035).
const maxHost = 253

// clip returns v, or its first maxQuoted bytes followed by "… (N bytes)".
func clip(v string) string { return clipN(v, maxQuoted) }

// clipPath is clip for file paths, which may be up to maxPath bytes.
func clipPath(v string) string { return clipN(v, maxPath) }

func clipN(v string, n int) string {
	if len(v) <= n {
		return v
	}
	return v[:cut(v, n)] + "… (" + strconv.Itoa(len(v)) + " bytes)"
}

// quote returns v quoted as strconv.Quote does, at most maxQuoted bytes of
// it, followed by "… (N bytes)" when it is longer.
func quote(v string) string { return quoteN(v, maxQuoted) }

// quotePath is quote for file paths, which may be up to maxPath bytes.
func quotePath(v string) string { return quoteN(v, maxPath) }

func quoteN(v string, n int) string {
	if len(v) <= n {
		return strconv.Quote(v)
	}
	return strconv.Quote(v[:cut(v, n)]) + "… (" + strconv.Itoa(len(v)) + " bytes)"
}

// cut is where a long v is cut: at most n bytes, at a character boundary.
func cut(v string, n int) int {
	for n > 0 && !utf8.RuneStart(v[n]) {
		n--
	}
	return n
}

// checkSecret rejects a secret longer than maxSecret, naming the variable
// and its length, never the value.
func (d *detector) checkSecret(id varID) bool {
	n := len(d.get(id))
	if n <= maxSecret {
		return true
	}
	d.r.Errors = append(d.r.Errors, ConfigError{Variable: varNames[id], Code: autherrors.ErrInvalidConfiguration,
		Message: varNames[id] + " is " + strconv.Itoa(n) + " bytes long, more than the " + strconv.Itoa(maxSecret) +
			" a credential can be (a client secret is about 40 characters, a CI request token a few KB)",
		Remedy: "set " + varNames[id] + " to the credential's value alone; a file's contents or several values pasted together are not one"})
	return false
}

// checkRequestURL validates a CI OIDC request URL (ACTIONS_ID_TOKEN_REQUEST_URL,
// SYSTEM_OIDCREQUESTURI). The request carries the job's bearer token, so
// the URL must be https, loopback included: GitHub and Azure DevOps hand out
// only https URLs, and so does the entratest emulator.
func (d *detector) checkRequestURL(id varID) bool {
	v := d.get(id)
	u, err := url.Parse(v)
	switch {
	case err != nil || u.Host == "" || u.Scheme == "":
		d.configError(varNames[id], varNames[id]+" is not a URL ("+shape(v)+"); the CI runner sets it: do not set or override it yourself")
		return false
	case u.Scheme != "https":
		d.configError(varNames[id], varNames[id]+" must be an https URL (it is "+quote(u.Scheme)+"); the request carries the job's bearer token, which must not travel in clear text: do not set or override it yourself")
		return false
	case len(u.Hostname()) > maxHost:
		d.configError(varNames[id], varNames[id]+"'s host is "+strconv.Itoa(len(u.Hostname()))+" bytes long; a host name has at most "+strconv.Itoa(maxHost)+": do not set or override it yourself")
		return false
	}
	return true
}
