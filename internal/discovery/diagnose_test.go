package discovery

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"sitekeeper/internal/discovery/netif"
	"sitekeeper/internal/discovery/wsd"
)

func host(goos string, ifs ...HostInterface) Host { return Host{GOOS: goos, Interfaces: ifs} }

func hostIf(name string, prefixes ...string) HostInterface {
	hi := HostInterface{Name: name}
	for _, p := range prefixes {
		hi.Addrs = append(hi.Addrs, netip.MustParsePrefix(p))
	}
	return hi
}

func wsdStats(ifs ...wsd.InterfaceStats) Stats { return Stats{WSD: wsd.Stats{Interfaces: ifs}} }

func hasCause(d Diagnosis, word string) bool {
	return slices.ContainsFunc(d.Causes, func(c string) bool { return strings.Contains(c, word) })
}

func TestDiagnose(t *testing.T) {
	ethernet := hostIf("Ethernet", "192.168.1.20/24", "fe80::1/64")

	t.Run("healthy scan explains nothing", func(t *testing.T) {
		d := Diagnose(wsdStats(wsd.InterfaceStats{Name: "Ethernet", Received: 40}), 12, host("windows", ethernet))
		if len(d.Causes) != 0 || len(d.Silent) != 0 {
			t.Errorf("Diagnose = %+v; want no causes", d)
		}
		if want := "Ethernet (192.168.1.20): 40 answers"; !slices.Equal(d.Searched, []string{want}) {
			t.Errorf("Searched = %q; want %q", d.Searched, want)
		}
	})

	t.Run("silence on Windows names the firewall first", func(t *testing.T) {
		d := Diagnose(wsdStats(wsd.InterfaceStats{Name: "Ethernet"}), 0, host("windows", ethernet))
		if len(d.Causes) < 2 || !strings.Contains(d.Causes[0], "Windows Firewall") || !hasCause(d, "VLAN") {
			t.Errorf("Causes = %q; want the Windows firewall first, then other segments", d.Causes)
		}
		if !slices.Equal(d.Silent, []string{"Ethernet (192.168.1.20)"}) {
			t.Errorf("Silent = %q", d.Silent)
		}
	})

	t.Run("silence elsewhere names the ports", func(t *testing.T) {
		d := Diagnose(wsdStats(wsd.InterfaceStats{Name: "eth0"}), 0, host("linux", hostIf("eth0", "10.0.0.5/24")))
		if !hasCause(d, "3702") || hasCause(d, "Windows") {
			t.Errorf("Causes = %q", d.Causes)
		}
	})

	t.Run("VPN and automatic address", func(t *testing.T) {
		st := wsdStats(wsd.InterfaceStats{Name: "Ethernet", Received: 3}, wsd.InterfaceStats{Name: "NordLynx"}, wsd.InterfaceStats{Name: "Ethernet 2"})
		d := Diagnose(st, 1, host("windows", ethernet, hostIf("NordLynx", "10.5.0.2/16"), hostIf("Ethernet 2", "169.254.10.20/16")))
		if !hasCause(d, "NordLynx looks like a VPN") || !hasCause(d, "169.254.10.20") {
			t.Errorf("Causes = %q; want the VPN and the automatic address named", d.Causes)
		}
		if hasCause(d, "Firewall") {
			t.Errorf("Causes = %q; one adapter answered, so the firewall is not the likely cause", d.Causes)
		}
	})

	t.Run("no adapter", func(t *testing.T) {
		st := Stats{WSD: wsd.Stats{Skipped: []wsd.SkippedInterface{{Name: "lo", Err: netif.ErrLoopback}, {Name: "Wi-Fi", Err: netif.ErrDown}}}}
		d := Diagnose(st, 0, host("windows"))
		if len(d.Causes) == 0 || !strings.Contains(d.Causes[0], "no network connection") {
			t.Errorf("Causes = %q", d.Causes)
		}
		if !slices.Equal(d.NotSearched, []string{"Wi-Fi: interface is down"}) {
			t.Errorf("NotSearched = %q; want Wi-Fi only (loopback is not worth saying)", d.NotSearched)
		}
	})

	t.Run("send failure", func(t *testing.T) {
		d := Diagnose(wsdStats(wsd.InterfaceStats{Name: "eth0", Err: errors.New("network is unreachable")}), 0, host("linux"))
		if !hasCause(d, "Could not send the search on eth0 (network is unreachable)") {
			t.Errorf("Causes = %q", d.Causes)
		}
	})

	t.Run("mDNS answers count", func(t *testing.T) {
		st := wsdStats(wsd.InterfaceStats{Name: "eth0"})
		st.MDNS = MDNSStats{Interfaces: []string{"eth0"}, Replies: map[string]int{"eth0": 2}}
		d := Diagnose(st, 2, host("linux"))
		if len(d.Silent) != 0 || len(d.Causes) != 0 {
			t.Errorf("Diagnose = %+v; mDNS answered on eth0", d)
		}
	})
}

func TestIsVPN(t *testing.T) {
	for name, want := range map[string]bool{
		"tun0": true, "wg0": true, "utun3": true, "NordLynx": true, "Local Area Connection 2 (TAP-Windows Adapter)": false,
		"Cisco AnyConnect Secure Mobility Client Connection": true, "ProtonVPN": true, "Ethernet": false, "eth0": false, "Wi-Fi": false, "enp3s0": false,
	} {
		if got := isVPN(name); got != want {
			t.Errorf("isVPN(%q) = %v; want %v", name, got, want)
		}
	}
}
