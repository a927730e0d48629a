package tokencache

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// lockedUpstream behaves as azidentity does: one lock held across each
// request, and a caller waiting for the lock does not watch its context.
type lockedUpstream struct {
	mu      sync.Mutex
	release chan struct{} // the first request hangs until it is closed
	once    sync.Once
}

func (u *lockedUpstream) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	hang := false
	u.once.Do(func() { hang = true })
	if hang {
		<-u.release
		return azcore.AccessToken{}, errors.New("hung request ended")
	}
	tok := "plain"
	if opts.Claims != "" {
		tok = "challenged"
	}
	return azcore.AccessToken{Token: tok, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// TestClaimsChallengeHonoursDeadline: a claims challenge made while an
// earlier request hangs upstream returns at the caller's deadline, not when
// upstream lets go (30 s with azidentity); the token it asked for still
// fills the cache once upstream answers.
func TestClaimsChallengeHonoursDeadline(t *testing.T) {
	t.Parallel()
	up := &lockedUpstream{release: make(chan struct{})}
	c, err := New(up, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Without the fix the challenge would wait for this release and then
	// succeed: the test fails instead of hanging.
	var releaseOnce sync.Once
	release := func() { releaseOnce.Do(func() { close(up.release) }) }
	timer := time.AfterFunc(2*time.Second, release)
	defer timer.Stop()
	defer release()

	first, cancelFirst := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancelFirst()
	if _, err := c.GetToken(first, scopeA); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("first GetToken = %v, want its deadline", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	challenge := scopeA
	challenge.Claims = `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`
	start := time.Now()
	_, err = c.GetToken(ctx, challenge)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("challenge = %v, want its deadline", err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Fatalf("challenge returned after %v, long past its 50ms deadline", waited)
	}

	// Once upstream lets go, the challenge's token fills the cache: the
	// next plain caller gets it, not a new "plain" token.
	release()
	deadline := time.Now().Add(10 * time.Second)
	for {
		e := c.entries.find(c.entries.hash(&scopeA), &scopeA)
		if st := e.state.Load(); st != nil {
			if st.tok.Token != "challenged" {
				t.Fatalf("cached %q, want the challenge's token", st.tok.Token)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the challenge's token never reached the cache")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCachedPathDoesNotAllocate: serving a cached token takes no
// allocation. A claims challenge's goroutine once captured GetToken's opts
// and moved it to the heap on every call.
func TestCachedPathDoesNotAllocate(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are not meaningful in -short runs")
	}
	up := CredentialFunc(func(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
		return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil
	})
	c, err := New(up, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if _, err := c.GetToken(ctx, scopeA); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(1000, func() { _, _ = c.GetToken(ctx, scopeA) }); n != 0 {
		t.Errorf("a cached GetToken allocates %v times, want 0", n)
	}
}
