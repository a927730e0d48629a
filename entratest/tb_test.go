package entratest_test

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/autoidentity/autoidentity/entratest"
)

// *testing.T, *testing.B and *testing.F are what users pass as an
// entratest.TB.
var _ entratest.TB = testing.TB(nil)

// refusals is an entratest.TB for tests that provoke loopback violations on
// purpose: it records them instead of failing t.
type refusals struct {
	*testing.T
	mu   sync.Mutex
	msgs []string
}

func (r *refusals) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// named reports whether the first violations reported name want, in order.
func (r *refusals) named(want ...string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.msgs) < len(want) {
		return false
	}
	for i, h := range want {
		if !strings.Contains(r.msgs[i], fmt.Sprintf("%q", h)) {
			return false
		}
	}
	return true
}

func (r *refusals) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

// tokenURL is the default tenant's v2 token endpoint, as Entra spells it.
func tokenURL(srv *entratest.Server) string {
	return srv.AuthorityHost() + entratest.DefaultTenantID + "/oauth2/v2.0/token"
}

// tokenRequests counts what reached the Entra token endpoint.
func tokenRequests(srv *entratest.Server) int { return srv.EndpointRequests(entratest.TokenEndpoint) }

// passwordGrants counts password (ROPC) grants, successful or not.
func passwordGrants(srv *entratest.Server) int {
	return srv.Count(func(r entratest.Request) bool { return r.GrantType == "password" })
}

// TestNoTestingDependency: entratest takes a TB, not testing.TB, so that
// autoidentity emulate, which links it, does not link the testing package.
func TestNoTestingDependency(t *testing.T) {
	t.Parallel()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	if slices.Contains(strings.Fields(string(out)), "testing") {
		t.Error("entratest depends on the testing package; take an entratest.TB instead of a testing.TB")
	}
}
