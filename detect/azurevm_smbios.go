package detect

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
)

// The SMBIOS table as Windows hands it out, parsed in pure Go so that every
// platform's tests cover it.
//
// GetSystemFirmwareTable('RSMB', 0, buf, size) fills buf with a
// RawSMBIOSData (https://learn.microsoft.com/windows/win32/api/sysinfoapi/nf-sysinfoapi-getsystemfirmwaretable,
// Remarks; source:
// https://github.com/MicrosoftDocs/sdk-api/blob/docs/sdk-api-src/content/sysinfoapi/nf-sysinfoapi-getsystemfirmwaretable.md):
//
//	struct RawSMBIOSData {
//	    BYTE  Used20CallingMethod;  // offset 0
//	    BYTE  SMBIOSMajorVersion;   // 1
//	    BYTE  SMBIOSMinorVersion;   // 2
//	    BYTE  DmiRevision;          // 3
//	    DWORD Length;               // 4, little-endian: bytes of SMBIOSTableData
//	    BYTE  SMBIOSTableData[];    // 8
//	};
//
// The same bytes are in the registry value
// HKLM\SYSTEM\CurrentControlSet\Services\mssmbios\Data\SMBiosData; detect
// reads the API, which needs no registry access.
//
// SMBIOSTableData is the structure table of the DMTF SMBIOS Reference
// Specification, DSP0134 (https://www.dmtf.org/standards/smbios;
// https://www.dmtf.org/sites/default/files/standards/documents/DSP0134_3.5.0.pdf),
// § 6.1 Structure standards:
//   - each structure is a formatted area, whose 4-byte header is Type (00h),
//     Length (01h, of the formatted area, header included) and Handle
//     (02h, WORD), then its string-set;
//   - a string field holds the 1-based number of a string in the set, 0 for
//     none; the strings are NUL-terminated and the set ends with one more
//     NUL (a structure without strings ends with two NULs);
//   - type 127 is End-of-Table.
//
// § 7.4 System Enclosure or Chassis (Type 3): 04h Manufacturer, 05h Type,
// 06h Version, 07h Serial Number, 08h Asset Tag Number (all strings but
// 05h); 08h exists since SMBIOS 2.0, so a type 3 shorter than 09h has none.
// Linux reads the same offset (drivers/firmware/dmi_scan.c:
// dmi_save_ident(dm, DMI_CHASSIS_ASSET_TAG, 8)).
//
// The parser is strict (house style 13): a table whose shape is wrong is an
// error, never "no tag", and no tag from it counts.

// maxSMBIOSSize caps the raw SMBIOS data: 1 MiB. A real table is a few KB
// (the SMBIOS 2.x entry point's 16-bit table length bounds a 2.x table to
// 64 KiB; 3.x tables are no bigger in practice).
const maxSMBIOSSize = 1 << 20

const (
	rawSMBIOSHeader = 8   // RawSMBIOSData before SMBIOSTableData
	smbiosHeader    = 4   // Type, Length, Handle
	smbiosChassis   = 3   // System Enclosure or Chassis
	smbiosEnd       = 127 // End-of-Table
	chassisAssetTag = 0x08
)

// errSMBIOS is the error of a malformed SMBIOS table; errors.Is finds it in
// every error smbiosChassisAssetTags returns.
var errSMBIOS = errors.New("malformed SMBIOS table")

// smbiosError is a malformed table: errSMBIOS with where and why.
func smbiosError(at int, why string) error {
	return &smbiosErr{at: at, why: why}
}

type smbiosErr struct {
	at  int
	why string
}

func (e *smbiosErr) Error() string {
	return errSMBIOS.Error() + " at byte " + strconv.Itoa(e.at) + ": " + e.why
}

func (e *smbiosErr) Unwrap() error { return errSMBIOS }

// smbiosChassisAssetTags returns the Asset Tag Number of every System
// Enclosure or Chassis (type 3) structure in raw, a RawSMBIOSData, in table
// order, skipping structures that have none (string number 0, or a
// formatted area too short to hold the field). It stops at End-of-Table or
// at the end of the table data; bytes after Length are ignored (a caller's
// buffer may be larger than the table). Any structure that does not fit,
// lacks its string-set terminator or names a string it does not have makes
// the whole table an error.
func smbiosChassisAssetTags(raw []byte) ([]string, error) {
	if len(raw) > maxSMBIOSSize {
		return nil, smbiosError(0, "the data is "+strconv.Itoa(len(raw))+" bytes, more than the "+strconv.Itoa(maxSMBIOSSize)+" an SMBIOS table can be")
	}
	if len(raw) < rawSMBIOSHeader {
		return nil, smbiosError(0, "the RawSMBIOSData header is truncated ("+strconv.Itoa(len(raw))+" of 8 bytes)")
	}
	n := binary.LittleEndian.Uint32(raw[4:8])
	if uint64(n) > uint64(len(raw)-rawSMBIOSHeader) {
		return nil, smbiosError(4, "the table length "+strconv.FormatUint(uint64(n), 10)+" runs past the "+strconv.Itoa(len(raw)-rawSMBIOSHeader)+" bytes of table data")
	}
	t := raw[rawSMBIOSHeader : rawSMBIOSHeader+int(n)]
	var tags []string
	for pos := 0; pos < len(t); {
		at := rawSMBIOSHeader + pos
		if len(t)-pos < smbiosHeader {
			return nil, smbiosError(at, "a structure header is truncated")
		}
		typ, length := t[pos], int(t[pos+1])
		if length < smbiosHeader {
			return nil, smbiosError(at, "a structure's length "+strconv.Itoa(length)+" is shorter than its header")
		}
		if length > len(t)-pos {
			return nil, smbiosError(at, "a structure's length "+strconv.Itoa(length)+" runs past the table")
		}
		strs := t[pos+length:]
		end := bytes.Index(strs, []byte{0, 0})
		if end < 0 {
			return nil, smbiosError(at, "a structure's strings lack the double-NUL terminator")
		}
		if typ == smbiosEnd {
			break
		}
		if typ == smbiosChassis && length > chassisAssetTag {
			tag, err := smbiosString(strs[:end], t[pos+chassisAssetTag])
			if err != nil {
				return nil, smbiosError(at, err.Error())
			}
			if tag != "" {
				tags = append(tags, tag)
			}
		}
		pos += length + end + 2
	}
	return tags, nil
}

// smbiosString returns string number i (1-based; 0 is none, "") of set, a
// string-set without its final terminator: "a\x00b" holds "a" and "b", ""
// holds none.
func smbiosString(set []byte, i byte) (string, error) {
	if i == 0 {
		return "", nil
	}
	if len(set) > 0 {
		k := byte(1)
		for s := range bytes.SplitSeq(set, []byte{0}) {
			if k == i {
				return string(s), nil
			}
			k++
			if k == 0 { // 255 strings seen: i is not among them
				break
			}
		}
	}
	return "", errors.New("the asset tag is string " + strconv.Itoa(int(i)) + ", which the structure does not have")
}
