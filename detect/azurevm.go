package detect

import (
	"errors"
	"io/fs"
	"strings"
)

// Azure sets one fixed SMBIOS chassis asset tag (type 3, "Asset Tag Number")
// in every VM it runs, public cloud and Azure Stack alike: the decimal ASCII
// codes of "MSFT AZURE VM". A local Hyper-V VM has the same sys_vendor and
// product_name ("Microsoft Corporation", "Virtual Machine") but a random
// asset tag, so those two are no evidence; the tag is.
//
//   - cloud-init's Azure datasource detects Azure by it alone
//     (DataSourceAzure.ds_detect / is_platform_viable call
//     ChassisAssetTag.query_system, AZURE_CLOUD = this value, read from
//     /sys/class/dmi/id/chassis_asset_tag):
//     https://github.com/canonical/cloud-init/blob/main/cloudinit/sources/azure/identity.py
//     https://github.com/canonical/cloud-init/blob/main/cloudinit/sources/DataSourceAzure.py
//     https://github.com/canonical/cloud-init/blob/main/cloudinit/dmi.py
//     ("chassis-asset-tag" is sysfs "chassis_asset_tag").
//   - Microsoft's reason for it, "Azure identifies itself to guests by setting
//     a well known value in the chassis asset field of dmi data. This is done
//     both in Azure public cloud and in Azure Stack":
//     https://bugs.launchpad.net/cloud-init/+bug/1693939 (mirrored as
//     https://github.com/canonical/cloud-init/issues/2911).
//   - Microsoft's docs: "To verify if a VM is an Azure VM, check for Asset tag
//     value … 7783-7084-3265-9085-8269-3286-77":
//     https://learn.microsoft.com/azure/automation/troubleshoot/update-agent-issues-linux#dmidecode-check
//     (source: https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/automation/troubleshoot/update-agent-issues-linux.md)
//   - On Windows the same field is Win32_SystemEnclosure.SMBIOSAssetTag, and a
//     Hyper-V VM's ChassisAssetTag is "randomly generated" in the same
//     numeric format:
//     https://learn.microsoft.com/windows/win32/cimwin32prov/win32-systemenclosure
//     https://learn.microsoft.com/archive/blogs/jhoward/how-to-use-uniquely-identify-a-virtual-machine-in-hyper-v
//   - Linux exposes the field, world-readable (0444), as
//     /sys/class/dmi/id/chassis_asset_tag (drivers/firmware/dmi-id.c;
//     dmi_scan.c saves type 3 offset 8 as DMI_CHASSIS_ASSET_TAG):
//     https://github.com/torvalds/linux/blob/master/drivers/firmware/dmi-id.c
//
// The tag is evidence, not proof: the owner of a Hyper-V host can set any
// VM's ChassisAssetTag, Azure's included. It says where to look (IMDS); it
// never stands in for an answer from IMDS.
const azureChassisAssetTag = "7783-7084-3265-9085-8269-3286-77"

// dmiChassisAssetTag is where Linux exposes the SMBIOS chassis asset tag.
const dmiChassisAssetTag = "/sys/class/dmi/id/chassis_asset_tag"

// maxDMIAttrSize caps the read of a sysfs DMI attribute. The tag is 32
// bytes, but sysfs reports every attribute's size as the page size (4096 on
// x86-64, up to 64 KiB on arm64 kernels with 64K pages), and readCapped
// refuses a file whose reported size is over the cap, so the cap must be at
// least the page size. Only what the kernel returns is read (a few bytes).
const maxDMIAttrSize = 64 << 10

// azureVMEvidence looks for firmware evidence, without network access, that
// this machine is an Azure virtual machine (a VM, a scale set instance or an
// AKS node), and returns a one-line description of it naming where it was
// read ("" when none), with the reason there is no evidence: nil when
// there is nothing to read (no such file, an OS without a reader, a tag that
// is not Azure's), else why the evidence could not be read (permission
// denied, not a regular file, over the cap, a malformed SMBIOS table, a
// failed firmware call). It reads a file or calls the firmware table API;
// it never touches the network or starts a process.
func (d *detector) azureVMEvidence() (string, error) {
	switch d.opts.goos {
	case "linux":
		b, err := readCapped(d.opts.firmwareFS(), dmiChassisAssetTag, maxDMIAttrSize)
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(string(b)) != azureChassisAssetTag {
			return "", nil
		}
		return "SMBIOS chassis asset tag " + azureChassisAssetTag + " in " + dmiChassisAssetTag + " (an Azure VM)", nil
	case "windows":
		raw, err := d.opts.smbiosReader()()
		if err != nil {
			return "", err
		}
		tags, err := smbiosChassisAssetTags(raw)
		if err != nil {
			return "", err
		}
		for _, t := range tags {
			if strings.TrimSpace(t) == azureChassisAssetTag {
				return "SMBIOS chassis asset tag " + azureChassisAssetTag + " in the firmware SMBIOS table read with GetSystemFirmwareTable('RSMB') (an Azure VM)", nil
			}
		}
		return "", nil
	}
	return "", nil
}

// firmwareFS is the file system the Linux firmware files are read from.
func (o *Options) firmwareFS() fileSystem {
	if o.firmware != nil {
		return o.firmware
	}
	return o.fs
}

// smbiosReader returns the SMBIOS reader: the test seam if set, else the
// OS's (readSMBIOS, which outside Windows has nothing to read).
func (o *Options) smbiosReader() func() ([]byte, error) {
	if o.smbios != nil {
		return o.smbios
	}
	return readSMBIOS
}
