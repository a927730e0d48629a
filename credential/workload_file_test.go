package credential

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// The workload identity token file is read by New (detect) and again,
// through the same cap, whenever azidentity asks for an assertion. These
// tests change the file after New.

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// replaceFile gives path new content in one rename, as the kubelet does.
func replaceFile(t *testing.T, path, content string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".rotating")
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// newWorkload builds a workload identity credential on srv's token file.
func newWorkload(t *testing.T, srv *entratest.Server, now func() time.Time) (*Credential, string) {
	t.Helper()
	env, err := srv.WorkloadIdentityEnv()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(&Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions(), now: now})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	if k := c.Selection().Kind; k != detect.WorkloadIdentity {
		t.Fatalf("kind = %s, want workload-identity", k)
	}
	return c, env["AZURE_FEDERATED_TOKEN_FILE"]
}

// getFresh asks for a scope no one asked for before, so the request goes
// past every cache to azidentity, and returns how long it took.
func getFresh(t *testing.T, c *Credential, srv *entratest.Server, step string) (time.Duration, error) {
	t.Helper()
	resource := entratest.UniqueResource(t.Name() + "-" + step)
	srv.AddResource(resource)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{resource + "/.default"}})
	return time.Since(start), err
}

// lastSubject is the federated token subject of the emulator's last token
// request.
func lastSubject(srv *entratest.Server) string {
	rs := srv.Requests()
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Endpoint == entratest.TokenEndpoint {
			return rs[i].Identity
		}
	}
	return ""
}

// TestWorkloadTokenFileRotation: a token read is reused for
// tokenFileReuse, as azidentity's WorkloadIdentityCredential does; after
// that the rotated file is read, whitespace trimmed.
func TestWorkloadTokenFileRotation(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	clock := &testClock{t: time.Now()}
	c, path := newWorkload(t, srv, clock.now)

	if _, err := getFresh(t, c, srv, "first"); err != nil {
		t.Fatalf("first GetToken: %v", err)
	}
	if got := lastSubject(srv); got != entratest.DefaultAKSSubject {
		t.Fatalf("first assertion's subject = %q, want %q", got, entratest.DefaultAKSSubject)
	}

	// The kubelet rotates the file; this token's subject has no federated
	// credential, so the emulator's log shows which file content was sent.
	const rotated = "system:serviceaccount:default:rotated"
	tok, err := srv.FederatedToken(entratest.AKSIssuer, rotated, entratest.FederatedAudience, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	replaceFile(t, path, tok+"\n")
	if _, err := getFresh(t, c, srv, "reused"); err != nil {
		t.Fatalf("GetToken within the reuse window: %v", err)
	}
	if got := lastSubject(srv); got != entratest.DefaultAKSSubject {
		t.Errorf("within the reuse window the subject was %q, want the token read before (%q)", got, entratest.DefaultAKSSubject)
	}

	clock.advance(tokenFileReuse + time.Second)
	_, err = getFresh(t, c, srv, "rotated")
	if got := lastSubject(srv); got != rotated {
		t.Errorf("after the reuse window the subject was %q, want the rotated file's %q", got, rotated)
	}
	if !errors.Is(err, autherrors.ErrFederatedIdentityMismatch) {
		t.Errorf("GetToken with the rotated token = %v, want %s", err, autherrors.ErrFederatedIdentityMismatch)
	}

	if err := srv.WriteServiceAccountToken(path, time.Hour); err != nil {
		t.Fatal(err)
	}
	clock.advance(tokenFileReuse + time.Second)
	if _, err := getFresh(t, c, srv, "restored"); err != nil {
		t.Fatalf("GetToken after the file was restored: %v", err)
	}
	if got := lastSubject(srv); got != entratest.DefaultAKSSubject {
		t.Errorf("after the restore the subject was %q, want %q", got, entratest.DefaultAKSSubject)
	}
}

// TestWorkloadTokenReuseStopsBeforeExp: a token is not reused past a
// minute before its own exp, however recently it was read.
func TestWorkloadTokenReuseStopsBeforeExp(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	clock := &testClock{t: time.Now()}
	c, path := newWorkload(t, srv, clock.now)
	if err := srv.WriteServiceAccountToken(path, 3*time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := getFresh(t, c, srv, "short"); err != nil {
		t.Fatalf("first GetToken: %v", err)
	}
	const rotated = "system:serviceaccount:default:rotated"
	tok, err := srv.FederatedToken(entratest.AKSIssuer, rotated, entratest.FederatedAudience, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	replaceFile(t, path, tok)
	clock.advance(2*time.Minute + time.Second) // within 10 minutes, within a minute of exp
	_, _ = getFresh(t, c, srv, "near-exp")
	if got := lastSubject(srv); got != rotated {
		t.Errorf("near the token's exp the subject was %q, want the file read again (%q)", got, rotated)
	}
}

// TestWorkloadTokenFileChangedAfterNew: a token file that became unusable
// after New fails GetToken at once, naming AZURE_FEDERATED_TOKEN_FILE and
// the reason, without a request; a failed read is not remembered.
func TestWorkloadTokenFileChangedAfterNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(t *testing.T, path string)
		want   string
	}{
		{"emptied", func(t *testing.T, path string) { replaceFile(t, path, "") }, " is empty"},
		{"whitespace only", func(t *testing.T, path string) { replaceFile(t, path, " \r\n\t") }, " is empty"},
		{"deleted", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}, " does not exist"},
		{"a directory", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, " is a directory, not a regular file"},
		{"over the cap", func(t *testing.T, path string) {
			replaceFile(t, path, string(bytes.Repeat([]byte("a"), detect.MaxTokenFileSize+1)))
		}, " is 65537 bytes, more than the 65536 a token file can be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := entratest.Start(t, nil)
			c, path := newWorkload(t, srv, nil)
			tt.change(t, path)
			took, err := getFresh(t, c, srv, "changed")
			if err == nil {
				t.Fatal("GetToken succeeded")
			}
			msg := err.Error()
			if want := "the file " + path + " named by AZURE_FEDERATED_TOKEN_FILE" + tt.want; !strings.Contains(msg, want) {
				t.Errorf("error = %q, want it to say %q", msg, want)
			}
			if !errors.Is(err, autherrors.ErrInvalidConfiguration) {
				t.Errorf("error = %v, want %s", err, autherrors.ErrInvalidConfiguration)
			}
			if took > 2*time.Second {
				t.Errorf("GetToken took %v to fail", took)
			}
			if n := srv.EndpointRequests(entratest.TokenEndpoint); n != 0 {
				t.Errorf("%d token requests were sent; want none", n)
			}
			// The file comes back: the next call reads it.
			_ = os.Remove(path)
			if err := srv.WriteServiceAccountToken(path, time.Hour); err != nil {
				t.Fatal(err)
			}
			if _, err := getFresh(t, c, srv, "restored"); err != nil {
				t.Errorf("GetToken after the file was restored: %v", err)
			}
		})
	}
}
