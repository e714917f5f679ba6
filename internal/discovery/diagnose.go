package discovery

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"sitekeeper/internal/discovery/netif"
	"sitekeeper/internal/discovery/wsd"
)

// Diagnosis explains, in plain words, a scan that found nothing or little:
// where it searched, where nothing answered, and the likely causes with
// what to do about each. The same text serves the command line and the
// window.
type Diagnosis struct {
	// Searched lists each adapter searched, as a person reads it:
	// "Ethernet (192.168.1.20): 14 answers".
	Searched []string
	// Silent are the adapters searched on which nothing answered.
	Silent []string
	// NotSearched lists the adapters not searched and why.
	NotSearched []string
	// Causes are the likely reasons, most likely first, each with what to
	// do. Empty when the scan looks healthy.
	Causes []string
}

// Host describes this computer's adapters for Diagnose; Interfaces and
// GOOS stand in for net.Interfaces and runtime.GOOS in tests.
type Host struct {
	GOOS       string
	Interfaces []HostInterface
}

// HostInterface is one adapter and its addresses.
type HostInterface struct {
	Name  string
	Flags net.Flags
	Addrs []netip.Prefix
}

// Diagnose explains stats. found is the number of devices the scan
// reported. It sends nothing.
func Diagnose(stats Stats, found int, host Host) Diagnosis {
	var d Diagnosis
	replies := map[string]int{}
	var names []string
	for _, is := range stats.WSD.Interfaces {
		if !slices.Contains(names, is.Name) {
			names = append(names, is.Name)
		}
		replies[is.Name] += is.Received
	}
	for _, n := range stats.MDNS.Interfaces {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for n, c := range stats.MDNS.Replies {
		replies[n] += c
	}
	for _, n := range names {
		label := n
		if a := v4Addrs(host, n); len(a) > 0 {
			label += " (" + strings.Join(a, ", ") + ")"
		}
		d.Searched = append(d.Searched, fmt.Sprintf("%s: %s", label, count(replies[n], "answer", "answers")))
		if replies[n] == 0 {
			d.Silent = append(d.Silent, label)
		}
	}
	for _, sk := range stats.WSD.Skipped {
		if errors.Is(sk.Err, netif.ErrLoopback) {
			continue // nobody expects devices there
		}
		d.NotSearched = append(d.NotSearched, sk.Name+": "+sk.Err.Error())
	}

	var causes []string
	add := func(s string) {
		if !slices.Contains(causes, s) {
			causes = append(causes, s)
		}
	}
	if len(names) == 0 {
		if slices.ContainsFunc(stats.WSD.Skipped, func(sk wsd.SkippedInterface) bool { return errors.Is(sk.Err, netif.ErrNotFound) }) {
			add("No adapter of this computer has that name: 'ipconfig' (Windows) or 'ip link' (Linux) lists them.")
		} else {
			add("This computer has no network connection to search on. Connect it to the site's network (a cable to the same switch as the cameras is best) and scan again.")
		}
		d.Causes = causes
		return d // nothing was searched: nothing else to say
	}
	for _, is := range stats.WSD.Interfaces {
		if is.Err != nil {
			add(fmt.Sprintf("Could not send the search on %s (%v). If a VPN is connected, disconnect it and scan again.", is.Name, is.Err))
		}
	}
	for _, n := range names {
		for _, a := range hostPrefixes(host, n) {
			if a.Addr().Is4() && a.Addr().IsLinkLocalUnicast() {
				add(fmt.Sprintf("%s has only an automatic address (%s): no DHCP server gave it one. Check the cable, or give the computer a fixed address in the cameras' range (for example 192.168.1.100 for cameras on 192.168.1.x).", n, a.Addr()))
			}
		}
		if isVPN(n) {
			add(fmt.Sprintf("%s looks like a VPN. Devices on the far side of a VPN do not answer a search; scan from a computer on the site's own network.", n))
		}
	}
	silent := len(names) > 0 && len(d.Silent) == len(names)
	if silent || found == 0 {
		if host.GOOS == "windows" {
			add("Windows Firewall may be blocking the answers. When Windows asks, allow SiteKeeper on private networks, and make sure this network is set to Private, not Public (Settings > Network & Internet).")
		} else {
			add("A firewall on this computer may be blocking the answers: allow incoming UDP replies to SiteKeeper (WS-Discovery uses port 3702, mDNS port 5353).")
		}
		add("The devices may be on another network segment (VLAN) or behind a router: a search reaches only this computer's own segment. Connect to the cameras' segment, or add the devices by hand or from a CSV file.")
		add("The devices may have discovery switched off (ONVIF discovery mode \"non-discoverable\", or Bonjour off); it can be turned back on in their web pages.")
	}
	d.Causes = causes
	return d
}

// Text is the whole diagnosis as sentences for a person: where the scan
// searched, then Advice.
func (d Diagnosis) Text() []string {
	var lines []string
	if len(d.Searched) > 0 {
		lines = append(lines, "Searched on "+strings.Join(d.Searched, "; ")+".")
	}
	return append(lines, d.Advice()...)
}

// Advice is the adapters not searched and the likely causes, as sentences;
// empty when the scan looks healthy.
func (d Diagnosis) Advice() []string {
	var lines []string
	for _, s := range d.NotSearched {
		lines = append(lines, "Did not search on "+s+".")
	}
	return append(lines, d.Causes...)
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// vpnPrefixes start the names of VPN and tunnel adapters: Linux tun/wg/ppp,
// macOS utun/ipsec, and the Windows adapters of common VPN clients.
var vpnPrefixes = []string{"tun", "tap", "wg", "ppp", "utun", "ipsec", "zt", "tailscale", "nordlynx", "proton",
	"openvpn", "wireguard", "fortinet", "forticlient", "cisco anyconnect", "globalprotect", "pangp", "juniper", "sonicwall", "zscaler"}

func isVPN(name string) bool {
	n := strings.ToLower(name)
	for _, p := range vpnPrefixes {
		if strings.HasPrefix(n, p) || strings.Contains(n, " "+p) {
			return true
		}
	}
	return strings.Contains(n, "vpn")
}

func hostPrefixes(h Host, name string) []netip.Prefix {
	for _, i := range h.Interfaces {
		if i.Name == name {
			return i.Addrs
		}
	}
	return nil
}

func v4Addrs(h Host, name string) []string {
	var out []string
	for _, p := range hostPrefixes(h, name) {
		if p.Addr().Is4() {
			out = append(out, p.Addr().String())
		}
	}
	return out
}

// ThisHost describes this computer's adapters, read where the caller runs
// (a caller in a lab namespace sees the lab's).
func ThisHost(goos string) Host {
	h := Host{GOOS: goos}
	ifs, err := net.Interfaces()
	if err != nil {
		return h
	}
	for _, ifi := range ifs {
		hi := HostInterface{Name: ifi.Name, Flags: ifi.Flags}
		addrs, _ := ifi.Addrs() // an adapter whose addresses cannot be read is listed without
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if addr, ok := netip.AddrFromSlice(n.IP); ok {
					ones, _ := n.Mask.Size()
					hi.Addrs = append(hi.Addrs, netip.PrefixFrom(addr.Unmap(), ones))
				}
			}
		}
		h.Interfaces = append(h.Interfaces, hi)
	}
	return h
}
