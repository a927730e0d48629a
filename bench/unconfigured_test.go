package bench

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// logged prints each error text once per process, however many times -count
// and the benchmark framework rerun a benchmark.
var logged sync.Map

func logOnce(b *testing.B, key, format string, args ...any) {
	b.Helper()
	if _, dup := logged.LoadOrStore(key, true); !dup {
		b.Logf(format, args...)
	}
}

// BenchmarkNothingConfigured measures the time from a program's start to an
// actionable error on a machine with no identity: no Azure variable, no
// az/azd/pwsh on PATH, and an IMDS address where nothing answers (a loopback
// listener that accepts and stays silent, so DefaultAzureCredential's real
// 1 s probe timeout is what is measured). autoidentity's New fails at once;
// DefaultAzureCredential's New succeeds and every GetToken fails after the
// probe. EnvironmentCredential, the plain credential a program would use
// for environment variables, fails in its constructor. Each error text is
// logged once.
func BenchmarkNothingConfigured(b *testing.B) {
	imds := newSilentListener(b)
	co := azcore.ClientOptions{Transport: imdsTransport(b, imds.Addr())}
	setProcessEnv(b, nil)
	b.Setenv("PATH", b.TempDir()) // no az, azd or pwsh
	ctx := context.Background()

	b.Run("impl="+implAuto, func(b *testing.B) {
		var err error
		for b.Loop() {
			_, err = credential.New(&credential.Options{Env: detect.MapEnv{}, ClientOptions: co})
			if !errors.Is(err, autherrors.ErrNoIdentity) {
				b.Fatalf("New = %v, want no-identity", err)
			}
		}
		logOnce(b, "auto", "autoidentity error:\n%v", err)
	})
	b.Run("impl="+implDAC, func(b *testing.B) {
		before := imds.accepted.Load()
		var err error
		for b.Loop() {
			c, nerr := newDAC(co)
			if nerr != nil {
				b.Fatal(nerr)
			}
			if _, err = c.GetToken(ctx, armOpts); err == nil {
				b.Fatal("GetToken succeeded with nothing configured")
			}
		}
		if imds.accepted.Load() == before {
			b.Fatal("the IMDS probe never reached the silent listener: this did not measure the probe timeout")
		}
		logOnce(b, "dac", "DefaultAzureCredential error:\n%v", err)
	})
	b.Run("impl=EnvironmentCredential", func(b *testing.B) {
		var err error
		for b.Loop() {
			if _, err = azidentity.NewEnvironmentCredential(&azidentity.EnvironmentCredentialOptions{ClientOptions: co}); err == nil {
				b.Fatal("NewEnvironmentCredential succeeded with nothing configured")
			}
		}
		logOnce(b, "env", "EnvironmentCredential error:\n%v", err)
	})
}

// BenchmarkNothingConfiguredRepeat is the second and later GetToken on the
// same DefaultAzureCredential: its failures are not cached, so every call
// pays the probe again. autoidentity has no credential to call again (New
// failed), so only azidentity appears here.
func BenchmarkNothingConfiguredRepeat(b *testing.B) {
	imds := newSilentListener(b)
	co := azcore.ClientOptions{Transport: imdsTransport(b, imds.Addr())}
	setProcessEnv(b, nil)
	b.Setenv("PATH", b.TempDir())
	b.Run("impl="+implDAC, func(b *testing.B) {
		c, err := newDAC(co)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = c.GetToken(context.Background(), armOpts)
		for b.Loop() {
			if _, err := c.GetToken(context.Background(), armOpts); err == nil || !strings.Contains(err.Error(), "ManagedIdentityCredential") {
				b.Fatalf("GetToken = %v, want the chain's failure", err)
			}
		}
	})
}
