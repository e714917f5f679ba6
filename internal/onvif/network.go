package onvif

import (
	"net/netip"
	"strconv"

	"sitekeeper/internal/inventory"
)

// NetworkInterface is one entry of GetNetworkInterfaces. Devices with several
// ports (recorders, encoders) list them all; every one is kept.
type NetworkInterface struct {
	Token   string // the interface's ONVIF token attribute
	Name    string // Info/Name, e.g. "eth0"
	Enabled bool
	// MAC is normalised to lower case aa:bb:cc:dd:ee:ff, "" if HwAddress is
	// missing or not a 48-bit MAC. HwAddress keeps the text as sent (Pelco
	// sends 00047D0EB85C).
	MAC       string
	HwAddress string
	MTU       int
	IPv4DHCP  bool
	IPv4      []Address
	IPv6      []Address
}

// Address is a configured interface address and where it came from.
type Address struct {
	Prefix netip.Prefix
	// Origin is the ONVIF element it was read from: "Manual", "FromDHCP",
	// "LinkLocal" or "FromRA".
	Origin string
}

// parseNetworkInterfaces parses a GetNetworkInterfacesResponse envelope.
func parseNetworkInterfaces(body []byte, headerCharset string) ([]NetworkInterface, error) {
	r, err := parseResponse(body, headerCharset, "GetNetworkInterfacesResponse")
	if err != nil {
		return nil, err
	}
	var out []NetworkInterface
	for _, n := range r.all(nsDevice, "NetworkInterfaces") {
		ni := NetworkInterface{
			Enabled:   n.child(nsSchema, "Enabled").value() == "true",
			Name:      n.path(nsSchema, "Info", "Name").value(),
			HwAddress: n.path(nsSchema, "Info", "HwAddress").value(),
		}
		ni.Token = n.attr("token")
		ni.MAC, _ = inventory.ParseMAC(ni.HwAddress) // Pelco sends bare hex
		ni.MTU, _ = strconv.Atoi(n.path(nsSchema, "Info", "MTU").value())
		v4 := n.path(nsSchema, "IPv4", "Config")
		ni.IPv4DHCP = v4.child(nsSchema, "DHCP").value() == "true"
		ni.IPv4 = addresses(v4, true)
		ni.IPv6 = addresses(n.path(nsSchema, "IPv6", "Config"), false)
		out = append(out, ni)
	}
	return out, nil
}

// addresses collects the PrefixedIPv4/IPv6Address entries of a Config,
// dropping duplicates, unparsable ones, and loopback or unspecified addresses:
// Pelco reports 127.0.0.1/8 as its IPv4 link-local address, which no scanner
// can reach.
func addresses(cfg *node, v4 bool) []Address {
	if cfg == nil {
		return nil
	}
	var out []Address
	seen := map[netip.Prefix]bool{}
	for _, origin := range []string{"Manual", "FromDHCP", "LinkLocal", "FromRA"} {
		for _, a := range cfg.all(nsSchema, origin) {
			ip, err := netip.ParseAddr(a.child(nsSchema, "Address").value())
			if err != nil || ip.Is4() != v4 || ip.IsLoopback() || ip.IsUnspecified() {
				continue
			}
			bits, err := strconv.Atoi(a.child(nsSchema, "PrefixLength").value())
			if err != nil || bits < 0 || bits > ip.BitLen() {
				bits = ip.BitLen()
			}
			p := netip.PrefixFrom(ip.WithZone(""), bits)
			if seen[p] {
				continue
			}
			seen[p] = true
			out = append(out, Address{Prefix: p, Origin: origin})
		}
	}
	return out
}

// attr returns the value of the unqualified attribute name. Attributes are
// not kept in the tree, so only the token attribute read here is recorded.
func (n *node) attr(name string) string {
	if n == nil {
		return ""
	}
	return n.attrs[name]
}
