package claims

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	tok := jwt(`{"aud":"api://AzureADTokenExchange","iss":"https://token.actions.githubusercontent.com","sub":"repo:contoso/api:ref:refs/heads/main","exp":1748865900,"iat":1748779200,"nbf":1748779200}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppOnly measures the work done once per fetched token: Parse and
// AppOnly on a realistic 1,510-byte client-credentials token for Microsoft
// Graph (the sp-secret-graph-v1 fixture with an RS256-sized signature).
func BenchmarkAppOnly(b *testing.B) {
	raw, err := os.ReadFile("testdata/app/sp-secret-graph-v1.json")
	if err != nil {
		b.Fatal(err)
	}
	var payload bytes.Buffer
	if err := json.Compact(&payload, raw); err != nil {
		b.Fatal(err)
	}
	tok := enc(header) + "." + enc(payload.String()) + "." + strings.Repeat("S", 342) // 256-byte signature
	b.ReportAllocs()
	for b.Loop() {
		c, err := Parse(tok)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.AppOnly(); err != nil {
			b.Fatal(err)
		}
	}
}
