package netif

import (
	"net"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags net.Flags
		want  error
	}{
		{"ethernet", net.FlagUp | net.FlagBroadcast | net.FlagMulticast, nil},
		{"down", net.FlagBroadcast | net.FlagMulticast, ErrDown},
		{"loopback", net.FlagUp | net.FlagLoopback | net.FlagMulticast, ErrLoopback},
		{"wireguard", net.FlagUp | net.FlagPointToPoint, ErrNoMulticast},
		{"openvpn tun", net.FlagUp | net.FlagPointToPoint | net.FlagMulticast, nil},
	} {
		if got := Check(tc.flags); got != tc.want {
			t.Errorf("%s: Check(%v) = %v; want %v", tc.name, tc.flags, got, tc.want)
		}
	}
}

func ipnet(t *testing.T, s string) net.Addr {
	ip, n, err := net.ParseCIDR(s)
	if err != nil {
		t.Fatal(err)
	}
	n.IP = ip
	return n
}

func TestIPv4(t *testing.T) {
	for _, tc := range []struct {
		name  string
		addrs []string
		want  string
		err   error
	}{
		{"ipv4", []string{"fe80::1/64", "192.168.1.5/24"}, "192.168.1.5", nil},
		{"prefers routable", []string{"169.254.3.4/16", "10.0.0.2/8"}, "10.0.0.2", nil},
		{"apipa only", []string{"169.254.3.4/16"}, "169.254.3.4", nil},
		{"ipv6 only", []string{"fe80::1/64", "2001:db8::1/64"}, "", ErrNoIPv4},
		{"none", nil, "", ErrNoIPv4},
	} {
		var addrs []net.Addr
		for _, a := range tc.addrs {
			addrs = append(addrs, ipnet(t, a))
		}
		got, err := IPv4(addrs)
		if err != tc.err || (err == nil && got.String() != tc.want) {
			t.Errorf("%s: IPv4 = %v, %v; want %s, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
	if got, err := IPv4([]net.Addr{&net.IPAddr{IP: net.IPv4(198, 18, 0, 1)}}); err != nil || got.String() != "198.18.0.1" {
		t.Errorf("IPv4(*net.IPAddr) = %v, %v", got, err)
	}
}

func TestLinkLocal6(t *testing.T) {
	got, err := LinkLocal6([]net.Addr{ipnet(t, "192.168.1.5/24"), ipnet(t, "2001:db8::1/64"), ipnet(t, "fe80::198:18:0:1/64")})
	if err != nil || got.String() != "fe80::198:18:0:1" {
		t.Errorf("LinkLocal6 = %v, %v", got, err)
	}
	if _, err := LinkLocal6([]net.Addr{ipnet(t, "192.168.1.5/24")}); err != ErrNoIPv6 {
		t.Errorf("LinkLocal6 without one = %v; want ErrNoIPv6", err)
	}
}
