package detect

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// reportURL is how a report shows a URL the environment set: without user
// information, query values or fragment, which may carry credentials (a
// user:pass@ authority, a ?sig= signature). The query's keys stay, so the
// shape is still recognisable. A value that does not parse as a URL with a
// host is shown by its length only.
func reportURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(not a URL, " + strconv.Itoa(len(raw)) + " characters)"
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			u.RawQuery = "[REDACTED]"
		} else {
			keys := make([]string, 0, len(q))
			for k := range q {
				keys = append(keys, url.QueryEscape(k)+"=[REDACTED]")
			}
			slices.Sort(keys)
			u.RawQuery = strings.Join(keys, "&")
		}
	}
	u.ForceQuery = false
	return clipPath(u.String())
}
