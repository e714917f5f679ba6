package discovery

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"strings"

	"sitekeeper/internal/inventory"
)

// Neighbors returns this computer's IPv4 neighbour (ARP) table: address →
// MAC, complete entries only. It fills the MAC of a device that answered
// but would not say it (a camera that wants a password, a printer heard
// over mDNS): having answered a link-local search, it is on this segment,
// so the table holds its own MAC, not a router's. It sends nothing; an
// unreadable table is an empty one.
func Neighbors() map[netip.Addr]string { return readNeighbors() }

// parseProcARP parses Linux's /proc/net/arp.
func parseProcARP(data []byte) map[netip.Addr]string {
	out := map[netip.Addr]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Scan() // header
	for sc.Scan() {
		// IP address  HW type  Flags  HW address  Mask  Device
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[2] == "0x0" { // 0x0: incomplete
			continue
		}
		addr, err := netip.ParseAddr(f[0])
		if err != nil {
			continue
		}
		if mac := usableMAC(f[3]); mac != "" {
			out[addr] = mac
		}
	}
	return out
}

// usableMAC normalises s, or returns "" for an address that names no
// device: all zeros, broadcast, multicast.
func usableMAC(s string) string {
	mac, err := inventory.ParseMAC(s)
	if err != nil || mac == "" || mac == "00:00:00:00:00:00" || mac == "ff:ff:ff:ff:ff:ff" {
		return ""
	}
	if b := mac[1]; strings.ContainsRune("13579bdf", rune(b)) { // group bit of the first octet
		return ""
	}
	return mac
}

// parseIPNetTable parses a MIB_IPNETTABLE: a DWORD count, then rows of
// MIB_IPNETROW {DWORD index; DWORD physAddrLen; BYTE physAddr[8];
// DWORD addr; DWORD type}, 24 bytes each. Type 2 is invalid.
func parseIPNetTable(b []byte) map[netip.Addr]string {
	const rowSize = 24
	out := map[netip.Addr]string{}
	if len(b) < 4 {
		return out
	}
	n := int(binary.LittleEndian.Uint32(b))
	b = b[4:]
	for i := 0; i < n && len(b) >= rowSize; i, b = i+1, b[rowSize:] {
		l := min(int(binary.LittleEndian.Uint32(b[4:])), 8)
		typ := binary.LittleEndian.Uint32(b[20:])
		if l != 6 || typ == 2 {
			continue
		}
		addr := netip.AddrFrom4([4]byte(b[16:20]))
		if mac := usableMAC(net.HardwareAddr(b[8:14]).String()); mac != "" {
			out[addr] = mac
		}
	}
	return out
}
