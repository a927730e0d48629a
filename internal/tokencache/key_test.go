package tokencache

import (
	"hash/maphash"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

func TestSameScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b []string
		want bool
	}{
		{nil, nil, true},
		{nil, []string{}, true},
		{[]string{"a"}, []string{"a"}, true},
		{[]string{"a", "b", "c"}, []string{"c", "a", "b"}, true},
		{[]string{"a", "a", "b"}, []string{"a", "b", "a"}, true},
		{[]string{"a"}, []string{"b"}, false},
		{[]string{"a", "a", "b"}, []string{"a", "b", "b"}, false},
		{[]string{"a", "b"}, []string{"a"}, false},
		{[]string{""}, nil, false},
	}
	for _, tt := range tests {
		if got := sameScopes(tt.a, tt.b); got != tt.want {
			t.Errorf("sameScopes(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := sameScopes(tt.b, tt.a); got != tt.want {
			t.Errorf("sameScopes(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestHashIsOrderInsensitiveAndSeparatesKeys(t *testing.T) {
	t.Parallel()
	es := &entries{seed: maphash.MakeSeed()}
	h := func(o policy.TokenRequestOptions) uint64 { return es.hash(&o) }
	base := policy.TokenRequestOptions{Scopes: []string{"a", "b"}, TenantID: "t"}
	if h(base) != h(policy.TokenRequestOptions{Scopes: []string{"b", "a"}, TenantID: "t"}) {
		t.Fatal("reordered scopes hash differently")
	}
	if h(base) != h(policy.TokenRequestOptions{Scopes: base.Scopes, TenantID: "t", Claims: "x"}) {
		t.Fatal("claims changed the key hash")
	}
	for _, other := range []policy.TokenRequestOptions{
		{Scopes: []string{"a"}, TenantID: "t"},
		{Scopes: []string{"a", "b"}, TenantID: "u"},
		{Scopes: []string{"a", "b"}, TenantID: "t", EnableCAE: true},
		{Scopes: []string{"a", "a"}, TenantID: "t"},
	} {
		if h(base) == h(other) {
			t.Errorf("%+v hashes like %+v", other, base)
		}
	}
}
