package entratest

import (
	"fmt"
	"strings"
	"sync/atomic"
)

var uniqueSeq atomic.Int64

// UniqueResource returns a resource (application ID URI) that no earlier
// call in this process returned, with name (typically t.Name()) in it for
// the logs: https://NAME-N.entratest.example. Register it with
// [Server.AddResource] before asking for a token.
//
// MSAL caches managed identity tokens process-wide, keyed by identity and
// resource, across credentials and servers; a test that counts requests or
// injects faults must ask for a resource no other test, and no earlier run
// of itself (go test -count=N repeats t.Name()), has asked for.
func UniqueResource(name string) string {
	label := strings.Trim(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(name)), "-")
	label = strings.Trim(label[:min(len(label), 40)], "-") // a DNS label is at most 63 bytes
	if label == "" {
		label = "resource"
	}
	return fmt.Sprintf("https://%s-%d.entratest.example", label, uniqueSeq.Add(1))
}
