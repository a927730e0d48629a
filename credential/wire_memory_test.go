package credential

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// wireHugeChild switches TestWireHugeResponse to the measuring side in the
// subprocess it starts, so no other test's allocations count.
const wireHugeChild = "AUTOIDENTITY_WIRE_HUGE_CHILD"

// TestWireHugeResponse: an App Service endpoint streams a 400 MiB response
// (generated on the fly, never held in memory), with status 200, 500 and
// 400. credential.New's GetToken fails fast, reading little more than
// MaxResponseBytes of it, whatever the status: azcore reads an error
// response (400 and above) whole in its bodyDownloadPolicy, below every
// policy, so only the transport's cap keeps that one bounded.
func TestWireHugeResponse(t *testing.T) {
	if os.Getenv(wireHugeChild) == "1" {
		for _, status := range []int{http.StatusOK, http.StatusInternalServerError, http.StatusBadRequest} {
			t.Run(strconv.Itoa(status), func(t *testing.T) { measureHugeResponse(t, status) })
		}
		return
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestWireHugeResponse$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), wireHugeChild+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the measuring subprocess failed: %v\n%s", err, out)
	}
	found := 0
	for _, line := range strings.Split(string(out), "\n") {
		if i := strings.Index(line, "huge response:"); i >= 0 {
			t.Log(line[i:])
			found++
		}
	}
	if found != 3 {
		t.Fatalf("the subprocess ran %d measurements, want 3:\n%s", found, out)
	}
}

// measureHugeResponse runs in the subprocess, one status at a time: the
// process environment it sets and the TotalAlloc it reads are process-wide.
func measureHugeResponse(t *testing.T, status int) {
	const size = 400 << 20
	const canary = "wire-canary-in-the-huge-body"
	var written, requests atomic.Int64
	chunk := bytes.Repeat([]byte("a"), 32<<10)
	copy(chunk, `{"access_token":"`+canary)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		w.WriteHeader(status)
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client hung up
			}
			written.Add(int64(len(chunk)))
		}
	}))
	defer srv.Close()
	env := map[string]string{"IDENTITY_ENDPOINT": srv.URL + "/msi/token", "IDENTITY_HEADER": "wire-test-header"}
	o := &Options{Env: setProcessEnv(t, env), ClientOptions: loopbackOptions(t)}
	// MSAL caches managed identity tokens process-wide: a resource of its own.
	scope := entratest.UniqueResource(t.Name()) + "/.default"

	var before, after goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&before)
	start := time.Now()
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer c.Close()
	_, err = c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{scope}})
	elapsed := time.Since(start)
	goruntime.ReadMemStats(&after)

	alloc := after.TotalAlloc - before.TotalAlloc
	const mib = 1 << 20
	t.Logf("huge response: status %d, %d MiB response refused in %v; allocated %.1f MiB in total (TotalAlloc delta), HeapInuse %.1f MiB after; the server got %.1f MiB out in %d request(s) before the client hung up",
		status, size/mib, elapsed.Round(time.Millisecond), float64(alloc)/mib, float64(after.HeapInuse)/mib, float64(written.Load())/mib, requests.Load())
	text := chainText(err)
	if err == nil || !strings.Contains(text, "MaxResponseBytes") || !strings.Contains(text, srv.Listener.Addr().String()) {
		t.Fatalf("GetToken error = %v, want one naming the cap and the host", err)
	}
	if !errors.Is(err, autherrors.ErrServiceUnavailable) {
		t.Errorf("code: %v, want %s", err, autherrors.ErrServiceUnavailable)
	}
	if strings.Contains(text, canary) {
		t.Error("the error quotes the response body")
	}
	if alloc > 64*mib {
		t.Errorf("GetToken allocated %d MiB for a refused response, want well under 64 MiB", alloc/mib)
	}
	if w := written.Load(); w > 64*mib {
		t.Errorf("the server sent %d MiB before the client hung up, want far less than %d", w/mib, size/mib)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("requests = %d, want 1 (no retry of a response over the cap)", n)
	}
	if elapsed > 30*time.Second {
		t.Errorf("took %v, want a fast failure", elapsed)
	}
}
