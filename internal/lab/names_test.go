//go:build linux

package lab

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCheckPrefix(t *testing.T) {
	tests := []struct {
		prefix string
		ok     bool
	}{
		{"", false},
		{"skl", false},
		{"skl1", true},
		{"skt4194304", true},
		{"skt41943041", false},
		{"Skl1", false},
		{"1skl", false},
		{"sk-l", false},
		{"sk l1", false},
	}
	for _, tt := range tests {
		if err := checkPrefix(tt.prefix); (err == nil) != tt.ok {
			t.Errorf("checkPrefix(%q) = %v; want ok %v", tt.prefix, err, tt.ok)
		}
	}
}

func TestNamesFitIFNAMSIZ(t *testing.T) {
	const ifnamsiz = 16 // with the NUL
	long := strings.Repeat("a", 10)
	for _, name := range []string{siteNS(long), scannerNS(long), deviceNS(long, MaxDevices-1), devicePort(MaxDevices - 1), scannerPort} {
		if len(name) >= ifnamsiz {
			t.Errorf("%q: %d bytes; want under %d", name, len(name), ifnamsiz)
		}
	}
	if p := PIDPrefix(testFamily); checkPrefix(p) != nil {
		t.Errorf("PIDPrefix(%q) = %q, not a valid prefix", testFamily, p)
	}
}

func TestDeviceAddr(t *testing.T) {
	tests := []struct {
		i    int
		want string
	}{
		{0, "198.18.1.10"},
		{1, "198.18.1.11"},
		{199, "198.18.1.209"},
		{200, "198.18.2.10"},
		{MaxDevices - 1, "198.18.5.209"},
	}
	for _, tt := range tests {
		if got := deviceAddr(tt.i); got != netip.MustParseAddr(tt.want) {
			t.Errorf("deviceAddr(%d) = %s; want %s", tt.i, got, tt.want)
		}
	}
	lab := netip.MustParsePrefix("198.18.0.0/15")
	if !lab.Contains(deviceAddr(MaxDevices-1)) || !lab.Contains(scannerAddr) {
		t.Error("lab addresses outside 198.18.0.0/15")
	}
}

func TestUpRefusesBadConfig(t *testing.T) {
	// Up checks before it runs any command, so this needs no root.
	for _, cfg := range []Config{{Prefix: "", Devices: 1}, {Prefix: "ab", Devices: 1}, {Prefix: "skl1", Devices: -1}, {Prefix: "skl1", Devices: MaxDevices + 1}} {
		if _, err := Up(t.Context(), cfg); err == nil {
			t.Errorf("Up(%+v) = nil error", cfg)
		}
	}
}

func TestCleanupRefusesBadPrefix(t *testing.T) {
	// A short prefix could match namespaces that are not the lab's.
	for _, p := range []string{"", "s", "skl", "sk-1", "SKL1"} {
		if err := Cleanup(p); err == nil {
			t.Errorf("Cleanup(%q) = nil error", p)
		}
	}
	if err := CleanupStale("sk"); err == nil {
		t.Error(`CleanupStale("sk") = nil error`)
	}
}
