//go:build linux

package lab

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"regexp"
	"strings"
)

var (
	reSerial   = regexp.MustCompile(`(<(?:[\w.-]+:)?SerialNumber>)([^<]*)(<)`)
	reHardware = regexp.MustCompile(`(<(?:[\w.-]+:)?HardwareId>)([^<]*)(<)`)
	reHwAddr   = regexp.MustCompile(`(<(?:[\w.-]+:)?HwAddress>)([^<]*)(<)`)
	reIPv4Addr = regexp.MustCompile(`(<(?:[\w.-]+:)?Address>)(\d+\.\d+\.\d+\.\d+)(<)`)
	reURLHost  = regexp.MustCompile(`http://\d+\.\d+\.\d+\.\d+`)
)

// deviceReplies returns d's answer to each action: its vendor's captures
// with what must be unique per device rewritten.
func deviceReplies(d Device) (map[string][]byte, error) {
	base := vendorBase(d.Vendor.file)
	replies := make(map[string][]byte, len(soapActions))
	for _, action := range soapActions {
		data, err := soapFiles.ReadFile("vendors/" + base + "-" + action + ".xml")
		if errors.Is(err, fs.ErrNotExist) {
			data, err = soapFiles.ReadFile("vendors/" + base + "-" + action + "-Fault-ActionFailed.xml")
		}
		if err != nil {
			return nil, fmt.Errorf("lab: %s %s: %w", d.Vendor.Name, action, err)
		}
		replies[action] = rewrite(data, d)
	}
	return replies, nil
}

// vendorBase is the fixture prefix of a vendor's GetScopes file name.
func vendorBase(scopesFile string) string {
	return strings.TrimSuffix(scopesFile, "-GetScopes.xml")
}

// DeviceSerial returns the serial number device d reports: the MAC in
// upper-case hex for Axis (as real Axis units do), otherwise the capture's
// serial with its last six characters replaced by the device index.
func DeviceSerial(d Device) string {
	if d.Vendor == nil {
		return ""
	}
	if d.Vendor.Name == "Axis" {
		return fmt.Sprintf("%X", []byte(d.MAC))
	}
	orig := vendorSerials[vendorBase(d.Vendor.file)]
	if len(orig) > 6 {
		orig = orig[:len(orig)-6]
	}
	return fmt.Sprintf("%s%06d", orig, d.Index)
}

// vendorSerials are the serial numbers in the GetDeviceInformation captures.
var vendorSerials = map[string]string{
	"axis":      "00408CFAB754",
	"hikvision": "DS-2CD2012-I20150201CCWR501088621",
	"pelco":     "J250117",
	"trendnet":  "TV-IP320PI20161206AAWR863642784",
}

func rewrite(data []byte, d Device) []byte {
	s := string(data)
	mac := d.MAC.String()
	s = replaceText(s, reSerial, -1, func(string) string { return DeviceSerial(d) })
	s = replaceText(s, reHardware, -1, func(old string) string {
		if _, err := net.ParseMAC(old); err == nil {
			return mac // Pelco's HardwareId is its MAC
		}
		return old
	})
	s = replaceText(s, reHwAddr, -1, func(old string) string { return macLike(old, d.MAC) })
	// The first IPv4 address of the first interface is the device's LAN
	// address; later ones (link-local, a second DHCP lease) are left alone.
	s = replaceText(s, reIPv4Addr, 1, func(string) string { return d.Addr.String() })
	s = reURLHost.ReplaceAllLiteralString(s, "http://"+d.Addr.String())
	return []byte(s)
}

// replaceText replaces the text of the first n (all if n < 0) elements re
// matches with fn(old text).
func replaceText(s string, re *regexp.Regexp, n int, fn func(string) string) string {
	done := 0
	return re.ReplaceAllStringFunc(s, func(m string) string {
		if n >= 0 && done >= n {
			return m
		}
		done++
		sub := re.FindStringSubmatch(m)
		return sub[1] + fn(sub[2]) + sub[3]
	})
}

// macLike formats mac in the style of the captured text old: Pelco sends
// 00047D0EB85C, Axis upper case with colons, the Hikvision family lower case.
func macLike(old string, mac net.HardwareAddr) string {
	switch {
	case !strings.Contains(old, ":"):
		return fmt.Sprintf("%X", []byte(mac))
	case old != strings.ToLower(old):
		return strings.ToUpper(mac.String())
	default:
		return mac.String()
	}
}
