package tokencache

import (
	"hash/maphash"
	"slices"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// hash returns the hash of a request's key: scopes (order-insensitive),
// tenant and CAE. Claims are not part of the key. It does not allocate.
func (es *entries) hash(o *policy.TokenRequestOptions) uint64 {
	var scopes uint64
	for _, s := range o.Scopes {
		// A sum is commutative, so the order of scopes does not matter.
		scopes += mix(maphash.String(es.seed, s))
	}
	h := maphash.String(es.seed, o.TenantID) ^ scopes
	if o.EnableCAE {
		h = ^h
	}
	return h
}

// mix spreads the bits of x (the splitmix64 finaliser), so that sums of
// hashes of different scope sets rarely collide.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// matches reports whether o asks for the same key as e.
func (e *entry) matches(o *policy.TokenRequestOptions) bool {
	return e.tenant == o.TenantID && e.cae == o.EnableCAE && sameScopes(e.scopes, o.Scopes)
}

// sameScopes reports whether a and b hold the same scopes with the same
// multiplicity, in any order. It does not allocate; it is quadratic only
// when the orders differ, and scope lists are short.
func sameScopes(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	if slices.Equal(a, b) {
		return true
	}
	for _, s := range a {
		if count(a, s) != count(b, s) {
			return false
		}
	}
	return true
}

func count(ss []string, s string) int {
	n := 0
	for _, x := range ss {
		if x == s {
			n++
		}
	}
	return n
}
