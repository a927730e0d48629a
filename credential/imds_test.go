package credential

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	autherrors "github.com/autoidentity/autoidentity/errors"
)

// azureVMFirmware is a Linux Azure VM's firmware as detect reads it.
var azureVMFirmware = fstest.MapFS{"sys/class/dmi/id/chassis_asset_tag": {Data: []byte("7783-7084-3265-9085-8269-3286-77\n")}}

// TestAzureVMWithNothingConfigured is issue 15's end to end: on a machine
// whose firmware shows an Azure VM, with no variable set, New selects the
// IMDS managed identity without sending anything, and the first GetToken
// confirms it against the emulator's IMDS (behind the loopback rewrite of
// 169.254.169.254), whatever IMDS answers.
func TestAzureVMWithNothingConfigured(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the firmware evidence here is Linux's sysfs file")
	}
	for _, tc := range []struct {
		name    string
		fault   *entratest.Fault
		noMI    bool // IMDS has no system-assigned identity
		want    autherrors.Code
		minIMDS int // IMDS requests at least: the confirmation and the token's
	}{
		{name: "token", minIMDS: 2},
		{name: "identity not found", noMI: true, want: autherrors.ErrManagedIdentityNotFound, minIMDS: 2},
		// The confirmation takes the first 410; the token request gets the
		// second, and azidentity's IMDS retry policy asks again.
		{name: "410 while the VM starts, then a token", fault: &entratest.Fault{Endpoint: entratest.IMDS, Status: 410, Times: 2}, minIMDS: 3},
		{name: "silence", fault: &entratest.Fault{Endpoint: entratest.IMDS, Hang: true}, want: autherrors.ErrManagedIdentityUnavailable, minIMDS: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := entratest.Start(t, nil)
			setProcessEnv(t, nil)
			if tc.noMI {
				srv.SetSystemAssigned(entratest.IMDS, nil)
			}
			c, err := New(&Options{Env: detect.MapEnv{}, ClientOptions: srv.ClientOptions(), firmware: azureVMFirmware})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer c.Close()
			s := c.Selection()
			if s.Kind != detect.ManagedIdentity || s.Source != detect.IMDS {
				t.Fatalf("selected %s", s)
			}
			if !strings.Contains(strings.Join(s.Evidence, " "), "/sys/class/dmi/id/chassis_asset_tag") {
				t.Errorf("evidence %q does not name the file", s.Evidence)
			}
			if !strings.Contains(strings.Join(s.Warnings, " "), "not confirmed yet") {
				t.Errorf("warnings %q do not say the identity is unconfirmed", s.Warnings)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Fatalf("New sent %d requests, want none", n)
			}
			if tc.fault != nil {
				if err := srv.Inject(*tc.fault); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			start := time.Now()
			_, err = c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{msiScope(t, srv)}})
			took := time.Since(start)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("GetToken: %v", err)
			case tc.want != "" && !errors.Is(err, tc.want):
				t.Fatalf("GetToken = %v, want %s", err, tc.want)
			}
			// A hung request enters the emulator's log when the client
			// has given up and its handler returns.
			for end := time.Now().Add(5 * time.Second); srv.EndpointRequests(entratest.IMDS) < tc.minIMDS && time.Now().Before(end); {
				time.Sleep(10 * time.Millisecond)
			}
			if n := srv.EndpointRequests(entratest.IMDS); n < tc.minIMDS {
				t.Errorf("IMDS requests = %d, want at least %d", n, tc.minIMDS)
			}
			switch tc.want {
			case autherrors.ErrManagedIdentityNotFound:
				if !strings.Contains(err.Error(), "az vm identity assign") || !strings.Contains(err.Error(), "az vmss identity assign") {
					t.Errorf("remedy does not say how to assign an identity: %v", err)
				}
			case autherrors.ErrManagedIdentityUnavailable:
				if took > detect.DefaultProbeTimeout+5*time.Second {
					t.Errorf("silence took %v, want about the probe timeout (%v)", took, detect.DefaultProbeTimeout)
				}
				if n := srv.EndpointRequests(entratest.IMDS); n != 1 {
					t.Errorf("IMDS requests = %d, want only the confirmation", n)
				}
			}
		})
	}
}

// TestNoFirmwareNoRequest: without Azure evidence nothing changes: New
// fails with no-identity and sends nothing, and a firmware tag that is
// not Azure's (a local Hyper-V VM's) is no evidence.
func TestNoFirmwareNoRequest(t *testing.T) {
	srv := entratest.Start(t, nil)
	setProcessEnv(t, nil)
	for name, fsys := range map[string]fstest.MapFS{
		"no file":       {},
		"hyper-v":       {"sys/class/dmi/id/chassis_asset_tag": {Data: []byte("3842-5310-6173-9403-2137-1207-48\n")}, "sys/class/dmi/id/sys_vendor": {Data: []byte("Microsoft Corporation\n")}},
		"empty":         {"sys/class/dmi/id/chassis_asset_tag": {Data: []byte("\n")}},
		"a prefix only": {"sys/class/dmi/id/chassis_asset_tag": {Data: []byte("7783-7084-3265-9085-8269-3286\n")}},
	} {
		_, err := New(&Options{Env: detect.MapEnv{}, ClientOptions: srv.ClientOptions(), firmware: fsys})
		if !errors.Is(err, autherrors.ErrNoIdentity) {
			t.Errorf("%s: New = %v, want no-identity", name, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestAzureVMOnCIRunner: hosted CI runners are Azure VMs whose IMDS
// serves the job nothing; firmware evidence does not select IMDS there,
// and the no-identity diagnostic does not send the user to probe IMDS.
func TestAzureVMOnCIRunner(t *testing.T) {
	srv := entratest.Start(t, nil)
	setProcessEnv(t, nil)
	_, err := New(&Options{Env: detect.MapEnv{"GITHUB_ACTIONS": "true"}, ClientOptions: srv.ClientOptions(), firmware: azureVMFirmware})
	if !errors.Is(err, autherrors.ErrNoIdentity) {
		t.Fatalf("New = %v, want no-identity", err)
	}
	if strings.Contains(err.Error(), "ProbeIMDS") {
		t.Errorf("the CI runner is told to probe IMDS: %v", err)
	}
}

// TestProbeIMDS: Options.ProbeIMDS selects IMDS on a machine whose
// firmware hides Azure, without a request at New: the first GetToken
// confirms it, and its caller returns by its own deadline.
func TestProbeIMDS(t *testing.T) {
	srv := entratest.Start(t, nil)
	setProcessEnv(t, nil)
	if _, err := New(&Options{Env: detect.MapEnv{}, ClientOptions: srv.ClientOptions()}); !errors.Is(err, autherrors.ErrNoIdentity) {
		t.Fatalf("without ProbeIMDS New = %v, want no-identity", err)
	}
	c, err := New(&Options{Env: detect.MapEnv{}, ClientOptions: srv.ClientOptions(), ProbeIMDS: true})
	if err != nil {
		t.Fatalf("New with ProbeIMDS: %v", err)
	}
	defer c.Close()
	if s := c.Selection(); s.Kind != detect.ManagedIdentity || s.Source != detect.IMDS {
		t.Fatalf("selected %s, want managed-identity (imds)", s)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("New sent %d requests, want none", n)
	}
	// A caller never waits past its deadline for the confirmation: with a
	// hung IMDS and a 100 ms deadline GetToken returns by the deadline, as
	// a timeout (the cache detaches the request from its callers; the
	// confirmation itself ends at its 1 s bound).
	if err := srv.Inject(entratest.Fault{Endpoint: entratest.IMDS, Hang: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	start := time.Now()
	_, err = c.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{msiScope(t, srv)}})
	cancel()
	if !errors.Is(err, autherrors.ErrTimeout) || time.Since(start) > 2*time.Second {
		t.Fatalf("GetToken with a 100 ms deadline = %v after %v, want timeout by the deadline", err, time.Since(start))
	}
}
