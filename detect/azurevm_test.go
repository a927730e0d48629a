package detect_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/autoidentity/autoidentity/detect"
)

const (
	azureTag   = "7783-7084-3265-9085-8269-3286-77"
	hyperVTag  = "4431-2316-8137-6512-0811-2245-38" // a local Hyper-V VM's random tag
	assetPath  = "sys/class/dmi/id/chassis_asset_tag"
	linuxProof = "SMBIOS chassis asset tag " + azureTag + " in /sys/class/dmi/id/chassis_asset_tag (an Azure VM)"
	winProof   = "SMBIOS chassis asset tag " + azureTag + " in the firmware SMBIOS table read with GetSystemFirmwareTable('RSMB') (an Azure VM)"
)

// smbiosStruct is one SMBIOS structure: a 4-byte header (type, length of
// the formatted area, handle), the rest of the formatted area, then the
// string-set, each string NUL-terminated and the set ending with one more
// NUL (two NULs when there are none).
func smbiosStruct(typ byte, handle uint16, formatted []byte, strs ...string) []byte {
	b := []byte{typ, byte(4 + len(formatted)), byte(handle), byte(handle >> 8)}
	b = append(b, formatted...)
	for _, s := range strs {
		b = append(append(b, s...), 0)
	}
	if len(strs) == 0 {
		b = append(b, 0)
	}
	return append(b, 0)
}

// chassis is a type 3 structure (SMBIOS 2.7 layout, length 15h) whose Asset
// Tag Number (offset 08h) is string number asset.
func chassis(handle uint16, asset byte, strs ...string) []byte {
	// Manufacturer 1, Type 03h (desktop), Version 2, Serial 3, Asset Tag,
	// boot-up, power supply, thermal state 03h (safe), security 02h
	// (unknown), OEM-defined 0, height 0, power cords 0, contained
	// elements 0 of length 3.
	return smbiosStruct(3, handle, []byte{1, 3, 2, 3, asset, 3, 3, 3, 2, 0, 0, 0, 0, 0, 0, 0, 3}, strs...)
}

// rawSMBIOS is a RawSMBIOSData holding the structures: the 8-byte header
// GetSystemFirmwareTable returns (SMBIOS 3.1 here) and the table.
func rawSMBIOS(structs ...[]byte) []byte {
	t := bytes.Join(structs, nil)
	h := []byte{0, 3, 1, 0, 0, 0, 0, 0}
	binary.LittleEndian.PutUint32(h[4:], uint32(len(t)))
	return append(h, t...)
}

var (
	biosInfo  = smbiosStruct(0, 0, []byte{1, 2, 0, 0xe8, 3, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "American Megatrends Inc.", "Hyper-V UEFI Release v4.1", "04/06/2022")
	sysInfo   = smbiosStruct(1, 1, []byte{1, 2, 3, 4}, "Microsoft Corporation", "Virtual Machine", "Hyper-V UEFI Release v4.1", "0000-0016-5433-9925-0375-5730-76")
	endTable  = smbiosStruct(127, 0xfeff, nil)
	azureRaw  = rawSMBIOS(biosInfo, sysInfo, chassis(3, 4, "Microsoft Corporation", "Hyper-V UEFI Release v4.1", "0000-0016-5433-9925-0375-5730-76", azureTag), endTable)
	hyperVRaw = rawSMBIOS(biosInfo, sysInfo, chassis(3, 4, "Microsoft Corporation", "Hyper-V UEFI Release v4.1", "0000-0016-5433-9925-0375-5730-76", hyperVTag), endTable)
)

// sysfs reports every attribute's size as the page size, whatever it holds.
type sysfs struct{ fstest.MapFS }

func (s sysfs) Stat(name string) (fs.FileInfo, error) {
	st, err := s.MapFS.Stat(name)
	if err != nil {
		return nil, err
	}
	return pageSized{st}, nil
}

type pageSized struct{ fs.FileInfo }

func (pageSized) Size() int64 { return 4096 }

// denied refuses every file, as a 0400 attribute does to a user.
type denied struct{}

func (denied) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

func file(data string) fstest.MapFS {
	return fstest.MapFS{assetPath: {Data: []byte(data)}}
}

func smbios(raw []byte) func() ([]byte, error) {
	return func() ([]byte, error) { return bytes.Clone(raw), nil }
}

// TestAzureVM covers the evidence on each OS: the tag read from sysfs on
// Linux, from the SMBIOS table on Windows, and nothing elsewhere; every
// failure to read it is no evidence, with the reason kept.
func TestAzureVM(t *testing.T) {
	t.Parallel()
	errFirmware := errors.New("GetSystemFirmwareTable('RSMB'): Access is denied.")
	for _, tc := range []struct {
		name   string
		goos   string
		fsys   fs.FS
		smbios func() ([]byte, error)
		want   string
		reason error // errors.Is target; nil means no reason
		any    bool  // some reason, whatever it is
	}{
		{name: "Linux: Azure's tag", goos: "linux", fsys: file(azureTag + "\n"), want: linuxProof},
		{name: "Linux: the page size sysfs reports is not the tag's", goos: "linux", fsys: sysfs{file(azureTag + "\n")}, want: linuxProof},
		{name: "Linux: whitespace around the tag", goos: "linux", fsys: file(" \t" + azureTag + " \r\n\n"), want: linuxProof},
		{name: "Linux: no DMI in sysfs", goos: "linux", fsys: fstest.MapFS{}},
		{name: "Linux: no chassis_asset_tag", goos: "linux", fsys: fstest.MapFS{"sys/class/dmi/id/sys_vendor": {Data: []byte("QEMU\n")}}},
		{name: "Linux: local Hyper-V VM", goos: "linux", fsys: fstest.MapFS{
			"sys/class/dmi/id/sys_vendor":   {Data: []byte("Microsoft Corporation\n")},
			"sys/class/dmi/id/product_name": {Data: []byte("Virtual Machine\n")},
			assetPath:                       {Data: []byte(hyperVTag + "\n")}}},
		{name: "Linux: Hyper-V vendor and product without a tag", goos: "linux", fsys: fstest.MapFS{
			"sys/class/dmi/id/sys_vendor":   {Data: []byte("Microsoft Corporation\n")},
			"sys/class/dmi/id/product_name": {Data: []byte("Virtual Machine\n")}}},
		{name: "Linux: another cloud's tag", goos: "linux", fsys: file("OracleCloud.com\n")},
		{name: "Linux: empty tag", goos: "linux", fsys: file("\n")},
		{name: "Linux: Azure's tag with a suffix", goos: "linux", fsys: file(azureTag + "0\n")},
		{name: "Linux: Azure's tag in a longer line", goos: "linux", fsys: file("tag " + azureTag + "\n")},
		{name: "Linux: Azure's tag twice", goos: "linux", fsys: file(azureTag + "\n" + azureTag + "\n")},
		{name: "Linux: NUL after the tag", goos: "linux", fsys: file(azureTag + "\x00")},
		{name: "Linux: unreadable", goos: "linux", fsys: denied{}, reason: fs.ErrPermission},
		{name: "Linux: a directory", goos: "linux", fsys: fstest.MapFS{assetPath + "/x": {Data: []byte(azureTag)}}, any: true},
		{name: "Linux: a FIFO", goos: "linux", fsys: fstest.MapFS{assetPath: {Mode: fs.ModeNamedPipe}}, any: true},
		{name: "Linux: huge", goos: "linux", fsys: file(azureTag + strings.Repeat(" ", 64<<10)), any: true},
		{name: "Linux: the SMBIOS seam is not read", goos: "linux", fsys: fstest.MapFS{}, smbios: smbios(azureRaw)},

		{name: "Windows: Azure's tag", goos: "windows", smbios: smbios(azureRaw), want: winProof},
		{name: "Windows: local Hyper-V VM", goos: "windows", smbios: smbios(hyperVRaw)},
		{name: "Windows: no asset tag (string 0)", goos: "windows", smbios: smbios(rawSMBIOS(sysInfo, chassis(3, 0, "Microsoft Corporation"), endTable))},
		{name: "Windows: no chassis structure", goos: "windows", smbios: smbios(rawSMBIOS(biosInfo, sysInfo, endTable))},
		{name: "Windows: Azure's tag in the second enclosure", goos: "windows", smbios: smbios(rawSMBIOS(chassis(3, 1, "ASSET-0042"), chassis(4, 1, azureTag), endTable)), want: winProof},
		{name: "Windows: whitespace around the tag", goos: "windows", smbios: smbios(rawSMBIOS(chassis(3, 1, " "+azureTag+" "), endTable)), want: winProof},
		{name: "Windows: Azure's tag after End-of-Table", goos: "windows", smbios: smbios(rawSMBIOS(sysInfo, endTable, chassis(3, 1, azureTag)))},
		{name: "Windows: Azure's tag in a malformed table", goos: "windows", smbios: smbios(rawSMBIOS(chassis(3, 1, azureTag), chassis(4, 2, "x"))), reason: detect.ErrSMBIOS},
		{name: "Windows: truncated table", goos: "windows", smbios: smbios(azureRaw[:len(azureRaw)-10]), reason: detect.ErrSMBIOS},
		{name: "Windows: empty data", goos: "windows", smbios: smbios(nil), reason: detect.ErrSMBIOS},
		{name: "Windows: the firmware call fails", goos: "windows", smbios: func() ([]byte, error) { return nil, errFirmware }, reason: errFirmware},
		{name: "Windows: sysfs is not read", goos: "windows", fsys: file(azureTag), smbios: smbios(hyperVRaw)},

		{name: "macOS", goos: "darwin", fsys: file(azureTag), smbios: smbios(azureRaw)},
		{name: "FreeBSD", goos: "freebsd", fsys: file(azureTag), smbios: smbios(azureRaw)},
		{name: "unknown OS", goos: "plan9", fsys: file(azureTag), smbios: smbios(azureRaw)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var o *detect.Options
			if tc.fsys != nil {
				o = detect.WithFS(o, detect.IOFS(tc.fsys))
			} else {
				o = detect.WithFS(o, detect.IOFS(fstest.MapFS{}))
			}
			o = detect.WithGOOS(o, tc.goos)
			if tc.smbios != nil {
				o = detect.WithSMBIOS(o, tc.smbios)
			}
			if got := detect.AzureVMEvidence(o); got != tc.want {
				t.Errorf("AzureVMEvidence = %q, want %q", got, tc.want)
			}
			err := detect.AzureVMReason(o)
			switch {
			case tc.any && err == nil:
				t.Errorf("no reason, want one")
			case tc.any:
			case tc.reason == nil && err != nil:
				t.Errorf("reason %v, want none", err)
			case tc.reason != nil && !errors.Is(err, tc.reason):
				t.Errorf("reason %v, want %v", err, tc.reason)
			}
		})
	}
}

// TestAzureVMWindowsWithoutSeam: off Windows, goos "windows" without an
// SMBIOS seam has nothing to read, and says so, rather than failing.
func TestAzureVMWindowsWithoutSeam(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("this machine has the firmware table API")
	}
	o := detect.WithGOOS(detect.WithFS(nil, detect.IOFS(file(azureTag))), "windows")
	if got := detect.AzureVMEvidence(o); got != "" {
		t.Errorf("AzureVMEvidence = %q, want none", got)
	}
	if detect.AzureVMReason(o) == nil {
		t.Error("no reason, want one")
	}
}

// TestAzureVMRealFS reads this machine's real chassis_asset_tag through the
// OS file system: whatever the machine, the read finishes promptly and
// never panics; on an Azure VM (a GitHub-hosted runner is one) it finds the
// tag. sysfs reports the attribute's size as the page size, which the cap
// must allow.
func TestAzureVMRealFS(t *testing.T) {
	t.Parallel()
	done := make(chan string, 1)
	go func() { done <- detect.AzureVMEvidence(detect.WithGOOS(nil, "linux")) }()
	select {
	case got := <-done:
		if got != "" && got != linuxProof {
			t.Errorf("AzureVMEvidence = %q", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading the real chassis_asset_tag did not finish")
	}
}

// TestSMBIOSChassisAssetTags holds the parser to DSP0134's shape: every
// malformed table is an error (wrapping ErrSMBIOS), never a partial list.
func TestSMBIOSChassisAssetTags(t *testing.T) {
	t.Parallel()
	withLength := func(raw []byte, n uint32) []byte {
		raw = bytes.Clone(raw)
		binary.LittleEndian.PutUint32(raw[4:8], n)
		return raw
	}
	var many []string
	for i := range 255 {
		many = append(many, "s"+strings.Repeat("x", i%3))
	}
	many[254] = azureTag
	for _, tc := range []struct {
		name    string
		raw     []byte
		want    []string
		wantErr string
	}{
		{name: "Azure VM", raw: azureRaw, want: []string{azureTag}},
		{name: "local Hyper-V VM", raw: hyperVRaw, want: []string{hyperVTag}},
		{name: "empty table", raw: rawSMBIOS()},
		{name: "no End-of-Table", raw: rawSMBIOS(sysInfo, chassis(3, 1, azureTag)), want: []string{azureTag}},
		{name: "several enclosures", raw: rawSMBIOS(chassis(3, 1, "A-1"), chassis(4, 0, "none"), chassis(5, 2, "x", "B-2"), endTable), want: []string{"A-1", "B-2"}},
		{name: "End-of-Table stops the walk", raw: rawSMBIOS(chassis(3, 1, "A-1"), endTable, chassis(4, 1, azureTag)), want: []string{"A-1"}},
		{name: "nothing but garbage after End-of-Table", raw: rawSMBIOS(endTable, []byte{3, 0xff, 0xff}), want: nil},
		{name: "inactive structure skipped", raw: rawSMBIOS(smbiosStruct(126, 9, []byte{1, 3, 2, 3, 1}, azureTag), endTable)},
		{name: "type 3 too short for an asset tag", raw: rawSMBIOS(smbiosStruct(3, 3, []byte{1, 3, 2, 3}, "m", "v", "s"), endTable)},
		{name: "type 3 just long enough", raw: rawSMBIOS(smbiosStruct(3, 3, []byte{0, 3, 0, 0, 1}, azureTag), endTable), want: []string{azureTag}},
		{name: "string 255 of 255", raw: rawSMBIOS(chassis(3, 255, many...), endTable), want: []string{azureTag}},
		{name: "bytes after Length ignored", raw: append(bytes.Clone(azureRaw), 0xde, 0xad, 0xbe, 0xef), want: []string{azureTag}},
		{name: "Length short of the data ignores the rest", raw: withLength(append(rawSMBIOS(chassis(3, 1, "A-1")), chassis(4, 1, azureTag)...), uint32(len(chassis(3, 1, "A-1")))), want: []string{"A-1"}},

		{name: "no data", raw: nil, wantErr: "header is truncated (0 of 8 bytes)"},
		{name: "truncated header", raw: azureRaw[:7], wantErr: "header is truncated (7 of 8 bytes)"},
		{name: "Length beyond the buffer", raw: withLength(azureRaw, uint32(len(azureRaw)-7)), wantErr: "runs past the"},
		{name: "huge Length", raw: withLength(azureRaw, 0xffffffff), wantErr: "table length 4294967295 runs past"},
		{name: "data over the cap", raw: rawSMBIOS(bytes.Repeat(smbiosStruct(1, 1, nil), detect.MaxSMBIOSSize/6+1)), wantErr: "more than the 1048576"},
		{name: "truncated structure header", raw: rawSMBIOS(sysInfo, []byte{3, 0x15, 0}), wantErr: "structure header is truncated"},
		{name: "structure length under 4", raw: rawSMBIOS([]byte{3, 3, 0, 0, 0, 0}), wantErr: "length 3 is shorter than its header"},
		{name: "structure length 0", raw: rawSMBIOS([]byte{1, 0, 0, 0, 0, 0}), wantErr: "length 0 is shorter"},
		{name: "structure length beyond the table", raw: rawSMBIOS([]byte{3, 0x40, 3, 0, 1, 3, 2, 3, 4, 0, 0}), wantErr: "length 64 runs past the table"},
		{name: "formatted area fills the table", raw: rawSMBIOS([]byte{3, 9, 3, 0, 1, 3, 2, 3, 1}), wantErr: "lack the double-NUL terminator"},
		{name: "no double-NUL", raw: rawSMBIOS(chassis(3, 1, azureTag)[:len(chassis(3, 1, azureTag))-1]), wantErr: "lack the double-NUL terminator"},
		{name: "End-of-Table without its terminator", raw: rawSMBIOS([]byte{127, 4, 0xff, 0xfe, 0}), wantErr: "lack the double-NUL"},
		{name: "asset tag beyond the strings", raw: rawSMBIOS(chassis(3, 5, "a", "b", "c", "d"), endTable), wantErr: "string 5, which the structure does not have"},
		{name: "an empty string ends the set", raw: rawSMBIOS(chassis(3, 2, "a", "", "c"), endTable), wantErr: "string 2, which"},
		{name: "asset tag with no strings", raw: rawSMBIOS(chassis(3, 1), endTable), wantErr: "string 1, which"},
		{name: "asset tag 255 of 254", raw: rawSMBIOS(chassis(3, 255, many[:254]...), endTable), wantErr: "string 255, which"},
		{name: "a malformed structure after the tag", raw: rawSMBIOS(chassis(3, 1, azureTag), []byte{1, 2}), wantErr: "at byte "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := detect.SMBIOSChassisAssetTags(tc.raw)
			if tc.wantErr != "" {
				if err == nil || !errors.Is(err, detect.ErrSMBIOS) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q wrapping ErrSMBIOS", err, tc.wantErr)
				}
				if got != nil {
					t.Errorf("tags %q with an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("tags = %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzSMBIOS: no input panics the parser or the Windows path, an error
// always wraps ErrSMBIOS, and a tag is a string of the table (no NUL).
func FuzzSMBIOS(f *testing.F) {
	f.Add(azureRaw)
	f.Add(hyperVRaw)
	f.Add(rawSMBIOS())
	f.Add(rawSMBIOS(chassis(3, 1, "A-1"), chassis(4, 9, "x")))
	f.Add(rawSMBIOS(chassis(3, 1)))
	f.Add([]byte{0, 3, 1, 0, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0, 3, 1, 0, 6, 0, 0, 0, 3, 2, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		tags, err := detect.SMBIOSChassisAssetTags(raw)
		if err != nil {
			if !errors.Is(err, detect.ErrSMBIOS) || tags != nil {
				t.Fatalf("err %v with tags %q", err, tags)
			}
		}
		for _, tag := range tags {
			if tag == "" || strings.IndexByte(tag, 0) >= 0 || len(tag) > len(raw) {
				t.Fatalf("bad tag %q", tag)
			}
		}
		o := detect.WithSMBIOS(detect.WithGOOS(nil, "windows"), func() ([]byte, error) { return raw, nil })
		ev := detect.AzureVMEvidence(o)
		if ev != "" && ev != winProof {
			t.Fatalf("evidence %q", ev)
		}
		if ev == winProof && err != nil {
			t.Fatalf("evidence from a malformed table: %v", err)
		}
	})
}
