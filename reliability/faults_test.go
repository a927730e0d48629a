package reliability

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// faultCase is one row of the fault matrix: a fault injected on the
// endpoint under test and what the caller must see.
type faultCase struct {
	name     string
	fault    entratest.Fault // Endpoint is set per kind
	deadline time.Duration   // the caller's context deadline; default 10s
	token    bool            // a token is returned despite the fault
	codes    []autherrors.Code
	minTime  time.Duration // the call takes at least this long (Retry-After honoured)
	maxTime  time.Duration // and at most this long (bounded); default deadline + 100ms
	retried  bool          // the endpoint was asked more than once
	count    bool          // the number of requests is deterministic: show it
}

// callerDeadline is the deadline of fault cases that outlast the caller.
const callerDeadline = 250 * time.Millisecond

var faultCases = []faultCase{
	{name: "HTTP 500 twice", fault: entratest.Fault{Status: 500, Times: 2}, token: true, retried: true, count: true},
	{name: "HTTP 503 always", fault: entratest.Fault{Status: 503}, retried: true, count: true},
	{name: "HTTP 429 Retry-After 400ms once", fault: entratest.Fault{Status: 429, RetryAfter: 400 * time.Millisecond, Times: 1},
		token: true, minTime: 400 * time.Millisecond, retried: true, count: true},
	{name: "HTTP 429 Retry-After 10s always", fault: entratest.Fault{Status: 429, RetryAfter: 10 * time.Second},
		maxTime: 3 * time.Second, count: true},
	{name: "latency 1s past a 250ms deadline", fault: entratest.Fault{Latency: time.Second}, deadline: callerDeadline,
		codes: []autherrors.Code{autherrors.ErrTimeout}},
	{name: "hang past a 250ms deadline", fault: entratest.Fault{Hang: true}, deadline: callerDeadline,
		codes: []autherrors.Code{autherrors.ErrTimeout}},
	{name: "connection reset once", fault: entratest.Fault{Reset: true, Times: 1}, token: true, retried: true},
	{name: "connection reset always", fault: entratest.Fault{Reset: true}, retried: true,
		codes: []autherrors.Code{autherrors.ErrNetwork, autherrors.ErrManagedIdentityUnavailable}},
	{name: "truncated JSON once", fault: entratest.Fault{Truncate: true, Times: 1}, count: true},
	{name: "malformed JSON once", fault: entratest.Fault{MalformedJSON: true, Times: 1}, count: true},
	{name: "token expired on arrival once", fault: entratest.Fault{ExpiredToken: true, Times: 1}, count: true},
}

// matrix collects the outcome of every (kind, fault) for RELIABILITY.md.
var matrix = struct {
	sync.Mutex
	cells map[[2]string]string
}{cells: map[[2]string]string{}}

func record(row, col, outcome string) {
	matrix.Lock()
	defer matrix.Unlock()
	matrix.cells[[2]string{row, col}] = outcome
}

// faultKinds are the rows of the matrix: each kind with a fault on the
// endpoint that issues its access token, and the CI kinds again with the
// fault on their OIDC endpoint.
var faultKinds = append(append([]kind(nil), kinds...),
	kind{name: "github-actions-oidc (GitHub OIDC endpoint)", scenario: "github-actions-oidc", endpoint: entratest.GitHubOIDC},
	kind{name: "azure-pipelines-oidc (Pipelines OIDC endpoint)", scenario: "azure-pipelines-oidc", endpoint: entratest.AzurePipelinesOIDC, process: true},
)

func TestFaultMatrix(t *testing.T) {
	t.Run("parallel", func(t *testing.T) {
		for _, k := range faultKinds {
			if k.process {
				continue
			}
			for _, fc := range faultCases {
				t.Run(k.name+"/"+fc.name, func(t *testing.T) {
					t.Parallel()
					runFault(t, k, fc)
				})
			}
		}
	})
	// azidentity reads these kinds' configuration from the process
	// environment: one at a time.
	for _, k := range faultKinds {
		if !k.process {
			continue
		}
		for _, fc := range faultCases {
			t.Run(k.name+"/"+fc.name, func(t *testing.T) { runFault(t, k, fc) })
		}
	}
	checkGenerated(t, "fault-matrix", renderMatrix())
}

// runFault injects fc on k's endpoint, asserts the outcome, clears the fault
// and asserts the same credential recovers.
func runFault(t *testing.T, k kind, fc faultCase) {
	srv := entratest.Start(t, nil)
	env := envFor(t, srv, k)
	c := newCredential(t, env, srv.ClientOptions(), nil)
	scope := uniqueScope(t, srv)
	f := fc.fault
	f.Endpoint = k.endpoint
	if err := srv.Inject(f); err != nil {
		t.Fatal(err)
	}
	deadline := fc.deadline
	if deadline == 0 {
		deadline = 10 * time.Second
	}
	maxTime := fc.maxTime
	if maxTime == 0 {
		maxTime = deadline + 100*time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	start := time.Now()
	tok, err := c.GetToken(ctx, scopes(scope))
	took := time.Since(start)
	cancel()
	asked := srv.EndpointRequests(k.endpoint)
	strict := true // expectations that need a retry hold

	var outcome string
	if err == nil {
		outcome = "token"
		checkToken(t, tok, scope, entratest.DefaultTenantID)
		if !fc.token {
			t.Errorf("got a token; want an error")
		}
	} else {
		var d *autherrors.Diagnostic
		if !errors.As(err, &d) {
			t.Fatalf("error is not a *autherrors.Diagnostic: %T %v", err, err)
		}
		outcome = "`" + string(d.Code) + "`"
		if fc.fault.ExpiredToken && k.endpoint == k.tokenEndpoint() && errors.Is(err, autherrors.ErrClockSkew) {
			outcome += " (expired token refused)"
		}
		if fc.token && strict {
			t.Errorf("GetToken: %v; want a token", err)
		}
		if len(fc.codes) > 0 && !codeIn(err, fc.codes) {
			t.Errorf("GetToken: %v; want one of %v", err, fc.codes)
		}
		if fc.fault.ExpiredToken && k.endpoint == k.tokenEndpoint() && !errors.Is(err, autherrors.ErrClockSkew) {
			t.Errorf("GetToken: %v; want the expired token refused (%s: its exp claim has passed)", err, autherrors.ErrClockSkew)
		}
		if fc.fault.ExpiredToken && k.endpoint != k.tokenEndpoint() && !errors.Is(err, autherrors.ErrFederatedTokenExpired) {
			t.Errorf("GetToken: %v; want %s for an expired federated token", err, autherrors.ErrFederatedTokenExpired)
		}
	}
	if took < fc.minTime && strict {
		t.Errorf("GetToken returned after %v; the fault asked to wait %v", took, fc.minTime)
	}
	if took > maxTime {
		t.Errorf("GetToken returned after %v; want at most %v", took, maxTime)
	}
	if fc.retried && asked < 2 && strict {
		t.Errorf("%s was asked %d times; want a retry", k.endpoint, asked)
	}
	switch {
	case fc.deadline != 0:
		outcome += " at deadline"
	case fc.count:
		outcome += fmt.Sprintf(", %d req", asked)
	}

	// The fault clears: the same credential must recover.
	srv.ClearFaults()
	if fc.fault.Hang {
		outcome += "; " + afterHang(t, srv, c, scope)
		record(k.name, fc.name, outcome)
		return
	}
	// A caller whose deadline reaches past the next attempt the service
	// asked for (Retry-After) waits for it; the cache honours it.
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second+fc.fault.RetryAfter)
	defer cancel()
	start = time.Now()
	if tok, err = c.GetToken(ctx, scopes(scope)); err != nil {
		t.Errorf("after the fault cleared, GetToken: %v (after %v)", err, time.Since(start))
		outcome += "; **no recovery**"
	} else {
		checkToken(t, tok, scope, entratest.DefaultTenantID)
		outcome += "; recovers"
	}
	record(k.name, fc.name, outcome)
}

// afterHang describes what a credential whose request hung can still do
// once the endpoint answers again. The hung request keeps the scope's one
// shared fetch until the cache's 30 s fetch timeout (issue 13: a shared
// fetch is never cancelled by a newer caller, which starved callers), and
// for azidentity's confidential clients it also holds the client's mutex.
// Every caller still returns by its own deadline
// (TestHangNeverHoldsCallerPastDeadline). The cell text goes into the
// checked table, so a change in behaviour shows up as a diff.
func afterHang(t *testing.T, srv *entratest.Server, c interface {
	GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error)
}, scope string) string {
	try := func(s string) bool {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		tok, err := c.GetToken(ctx, scopes(s))
		if err != nil {
			if !errors.Is(err, autherrors.ErrTimeout) {
				t.Errorf("after a hang, GetToken: %v; want a token or %s", err, autherrors.ErrTimeout)
			}
			return false
		}
		checkToken(t, tok, s, entratest.DefaultTenantID)
		return true
	}
	same := try(scope)
	otherResource := strings.TrimSuffix(scope, "/.default") + "-other"
	srv.AddResource(otherResource)
	other := try(otherResource + "/.default")
	switch {
	case same && other:
		return "recovers"
	case other:
		return "other scopes recover; **same scope blocked until the 30 s fetch timeout (F1)**"
	default:
		return "**whole credential blocked until the 30 s fetch timeout (F1)**"
	}
}

// tokenEndpoint is the endpoint whose answer is the access token itself.
func (k kind) tokenEndpoint() entratest.Endpoint {
	if k.endpoint == entratest.AppService {
		return entratest.AppService
	}
	return entratest.TokenEndpoint
}

func codeIn(err error, codes []autherrors.Code) bool {
	for _, c := range codes {
		if errors.Is(err, c) {
			return true
		}
	}
	return false
}

// renderMatrix prints the matrix as a Markdown table, faults down, kinds
// across.
func renderMatrix() string {
	matrix.Lock()
	defer matrix.Unlock()
	var b strings.Builder
	b.WriteString("| fault | " + strings.Join(kindNames(faultKinds), " | ") + " |\n|---|")
	b.WriteString(strings.Repeat("---|", len(faultKinds)) + "\n")
	for _, fc := range faultCases {
		b.WriteString("| " + fc.name + " |")
		for _, k := range faultKinds {
			cell, ok := matrix.cells[[2]string{k.name, fc.name}]
			if !ok {
				cell = "(not run)"
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	var extra []string
	for key, v := range matrix.cells {
		if !knownFault(key[1]) {
			extra = append(extra, "| "+key[0]+" | "+key[1]+" | "+v+" |")
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		b.WriteString("\n| kind | fault | outcome |\n|---|---|---|\n" + strings.Join(extra, "\n") + "\n")
	}
	return b.String()
}

func knownFault(name string) bool {
	for _, fc := range faultCases {
		if fc.name == name {
			return true
		}
	}
	return false
}

func kindNames(ks []kind) []string {
	var out []string
	for _, k := range ks {
		out = append(out, k.name)
	}
	return out
}
