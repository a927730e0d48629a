package detect_test

import (
	"io/fs"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/autoidentity/autoidentity/detect"
)

// TestFirmwareSelectsIMDS: the firmware of an Azure VM selects the IMDS
// managed identity, unconfirmed, when nothing else is configured, and only
// then: configured identities win, a CI runner (an Azure VM whose IMDS
// serves the job nothing) does not use it, and a probe that got no answer
// rules it out.
func TestFirmwareSelectsIMDS(t *testing.T) {
	t.Parallel()
	vm := fstest.MapFS{"sys/class/dmi/id/chassis_asset_tag": {Data: []byte("7783-7084-3265-9085-8269-3286-77\n")}}
	sp := detect.MapEnv{"AZURE_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "AZURE_CLIENT_ID": "00001111-aaaa-2222-bbbb-3333cccc4444", "AZURE_CLIENT_SECRET": "s3cr3t-value-for-the-test"}
	for _, tc := range []struct {
		name        string
		env         detect.MapEnv
		opts        detect.Options
		fs          fstest.MapFS
		kind        detect.Kind
		unconfirmed bool
	}{
		{name: "azure vm", env: detect.MapEnv{}, fs: vm, kind: detect.ManagedIdentity, unconfirmed: true},
		{name: "azure vm, user-assigned", env: detect.MapEnv{"AZURE_CLIENT_ID": "00001111-aaaa-2222-bbbb-3333cccc4444"}, fs: vm, kind: detect.ManagedIdentity, unconfirmed: true},
		{name: "aks node pod", env: detect.MapEnv{"KUBERNETES_SERVICE_HOST": "10.0.0.1"}, fs: vm, kind: detect.ManagedIdentity, unconfirmed: true},
		{name: "service principal wins", env: sp, fs: vm, kind: detect.ServicePrincipalSecret},
		{name: "github runner", env: detect.MapEnv{"GITHUB_ACTIONS": "true"}, fs: vm, kind: detect.None},
		{name: "off azure", env: detect.MapEnv{}, fs: fstest.MapFS{}, kind: detect.None},
		{name: "assumed", env: detect.MapEnv{}, fs: fstest.MapFS{}, opts: detect.Options{AssumeAzureVM: true}, kind: detect.ManagedIdentity, unconfirmed: true},
		{name: "probe got no answer", env: detect.MapEnv{}, fs: vm, opts: detect.Options{Probe: &detect.Probe{Endpoint: detect.IMDSEndpoint, Error: "no answer within 1s"}}, kind: detect.None},
		{name: "probe answered", env: detect.MapEnv{}, fs: fstest.MapFS{}, opts: detect.Options{Probe: &detect.Probe{Endpoint: detect.IMDSEndpoint, OK: true, Status: 400}}, kind: detect.ManagedIdentity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := tc.opts
			r := detect.Detect(tc.env, detect.WithGOOS(detect.WithFS(&opts, detect.IOFS(tc.fs)), "linux"))
			if r.Kind != tc.kind || r.Unconfirmed != tc.unconfirmed {
				t.Fatalf("selected %s (unconfirmed %v), want %s (unconfirmed %v)", r, r.Unconfirmed, tc.kind, tc.unconfirmed)
			}
			if !r.Unconfirmed {
				return
			}
			if r.Source != detect.IMDS {
				t.Errorf("source %s, want imds", r.Source)
			}
			warnings := strings.Join(r.Warnings, "\n")
			if !strings.Contains(warnings, "not confirmed yet") {
				t.Errorf("warnings do not say the identity is unconfirmed: %s", warnings)
			}
			if tc.env["KUBERNETES_SERVICE_HOST"] != "" && !strings.Contains(warnings, "kubelet identity") {
				t.Errorf("a pod is not told the token is the node's: %s", warnings)
			}
		})
	}
}

// TestLocalToolsHint: with nothing configured on a developer machine, the
// no-identity diagnostic names the developer tool found on PATH and the
// opt-in; on a CI runner, or with the tool absent, it does not.
func TestLocalToolsHint(t *testing.T) {
	t.Parallel()
	bin := fstest.MapFS{"usr/bin/az": {Data: []byte("#!/bin/sh\n"), Mode: 0o755}, "usr/bin/notes.txt": {Data: []byte("x"), Mode: 0o644}}
	for _, tc := range []struct {
		name string
		env  detect.MapEnv
		want bool
	}{
		{"developer machine", detect.MapEnv{"PATH": "/usr/local/bin:/usr/bin"}, true},
		{"ci runner", detect.MapEnv{"PATH": "/usr/bin", "GITHUB_ACTIONS": "true"}, false},
		{"no tool", detect.MapEnv{"PATH": "/usr/local/bin"}, false},
		{"no PATH", detect.MapEnv{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := detect.Detect(tc.env, detect.WithGOOS(detect.WithFS(nil, detect.IOFS(bin)), "linux"))
			d := r.Diagnostic()
			if d == nil {
				t.Fatalf("selected %s", r)
			}
			got := strings.Contains(d.Remedy, "AllowDeveloperTools")
			if got != tc.want || (got && !strings.Contains(d.Remedy, "az")) {
				t.Errorf("remedy %q: names the opt-in = %v, want %v", d.Remedy, got, tc.want)
			}
		})
	}
}

// countingFS counts the reads of one file, by any route.
type countingFS struct {
	fstest.MapFS
	name  string
	opens *atomic.Int32
}

func (c countingFS) count(name string) {
	if name == c.name {
		c.opens.Add(1)
	}
}

func (c countingFS) Open(name string) (fs.File, error) { c.count(name); return c.MapFS.Open(name) }

func (c countingFS) ReadFile(name string) ([]byte, error) {
	c.count(name)
	return c.MapFS.ReadFile(name)
}

func (c countingFS) Stat(name string) (fs.FileInfo, error) { c.count(name); return c.MapFS.Stat(name) }

// TestFirmwareReadOnlyWhenItCanMatter: with a service principal
// configured, the firmware could only select IMDS beneath it, so New does
// not read it; with nothing configured it does, and evidence it cannot
// read is a warning naming the way to use IMDS anyway.
func TestFirmwareReadOnlyWhenItCanMatter(t *testing.T) {
	t.Parallel()
	const tag = "sys/class/dmi/id/chassis_asset_tag"
	sp := detect.MapEnv{"AZURE_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "AZURE_CLIENT_ID": "00001111-aaaa-2222-bbbb-3333cccc4444", "AZURE_CLIENT_SECRET": "s3cr3t-value-for-the-test"}
	var opens atomic.Int32
	fsys := countingFS{MapFS: fstest.MapFS{tag: {Data: []byte("7783-7084-3265-9085-8269-3286-77\n")}}, name: tag, opens: &opens}
	opts := detect.WithGOOS(detect.WithFS(nil, detect.IOFS(fsys)), "linux")
	if r := detect.Detect(sp, opts); r.Kind != detect.ServicePrincipalSecret || opens.Load() != 0 {
		t.Fatalf("service principal: selected %s, firmware opened %d times, want 0", r, opens.Load())
	}
	if r := detect.Detect(detect.MapEnv{}, opts); r.Kind != detect.ManagedIdentity || opens.Load() == 0 {
		t.Fatalf("nothing configured: selected %s, firmware opened %d times", r, opens.Load())
	}

	dir := fstest.MapFS{tag: {Mode: fs.ModeDir}}
	r := detect.Detect(detect.MapEnv{}, detect.WithGOOS(detect.WithFS(nil, detect.IOFS(dir)), "linux"))
	if r.Kind != detect.None || !strings.Contains(strings.Join(r.Warnings, "\n"), "could not be read") {
		t.Fatalf("unreadable firmware: selected %s, warnings %q", r, r.Warnings)
	}
}
