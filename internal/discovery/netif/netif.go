// Package netif is the one rule for which network interfaces a search uses
// and which address it binds on each, shared by every finder
// (WS-Discovery, mDNS), so that they search the same adapters and give the
// same reasons for leaving one out.
package netif

import (
	"errors"
	"net"
	"net/netip"
	"time"
)

// Why an interface is not searched. Finders report these in their stats;
// discovery.Diagnose words them for people.
var (
	ErrNotFound    = errors.New("no such interface")
	ErrDown        = errors.New("interface is down")
	ErrLoopback    = errors.New("loopback interface")
	ErrNoMulticast = errors.New("interface does not support multicast")
	ErrNoIPv4      = errors.New("interface has no IPv4 address")
	ErrNoIPv6      = errors.New("interface has no IPv6 link-local address")
)

// Check says why an interface with flags cannot be searched, or nil: it
// must be up, not loopback, and multicast-capable (WireGuard is not;
// OpenVPN's tun is, and is searched — Diagnose names it as a VPN).
func Check(f net.Flags) error {
	switch {
	case f&net.FlagUp == 0:
		return ErrDown
	case f&net.FlagLoopback != 0:
		return ErrLoopback
	case f&net.FlagMulticast == 0:
		return ErrNoMulticast
	}
	return nil
}

// IPv4 returns the IPv4 address to bind among an interface's addresses:
// the first routable one, else the first link-local one (a laptop cabled
// straight to a camera, both on 169.254/16).
func IPv4(addrs []net.Addr) (netip.Addr, error) {
	var linkLocal netip.Addr
	for _, a := range addrs {
		addr, ok := addrOf(a)
		if !ok || !addr.Is4() {
			continue
		}
		switch {
		case addr.IsLinkLocalUnicast():
			if !linkLocal.IsValid() {
				linkLocal = addr
			}
		case addr.IsGlobalUnicast():
			return addr, nil
		}
	}
	if linkLocal.IsValid() {
		return linkLocal, nil
	}
	return netip.Addr{}, ErrNoIPv4
}

// LinkLocal6 returns an interface's first IPv6 link-local address, without
// a zone.
func LinkLocal6(addrs []net.Addr) (netip.Addr, error) {
	for _, a := range addrs {
		if addr, ok := addrOf(a); ok && addr.Is6() && addr.IsLinkLocalUnicast() {
			return addr, nil
		}
	}
	return netip.Addr{}, ErrNoIPv6
}

func addrOf(a net.Addr) (netip.Addr, bool) {
	var ip net.IP
	switch a := a.(type) {
	case *net.IPNet:
		ip = a.IP
	case *net.IPAddr:
		ip = a.IP
	}
	addr, ok := netip.AddrFromSlice(ip)
	return addr.Unmap(), ok
}

// PacketConn is what a finder needs of a UDP socket: *net.UDPConn, or an
// in-memory fake in tests.
type PacketConn interface {
	ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error)
	WriteToUDPAddrPort(b []byte, addr netip.AddrPort) (int, error)
	SetReadDeadline(t time.Time) error
	Close() error
}
