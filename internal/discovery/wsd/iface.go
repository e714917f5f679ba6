package wsd

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"

	"golang.org/x/net/ipv4"
)

// readBuffer is each socket's SO_RCVBUF request: 250 devices answering
// at once overflowed the default 208 KiB in the lab. The kernel caps it at
// net.core.rmem_max (Linux) without an error.
const readBuffer = 4 << 20

// Why an interface is not probed; SkippedInterface.Err wraps one of them.
var (
	ErrInterfaceNotFound = errors.New("no such interface")
	ErrInterfaceDown     = errors.New("interface is down")
	ErrLoopback          = errors.New("loopback interface")
	ErrNoMulticast       = errors.New("interface does not support multicast")
	ErrNoIPv4            = errors.New("interface has no IPv4 address")
)

// openLinks opens one socket per usable interface among names (all when
// empty), and lists the others with the reason.
func openLinks(names []string) ([]link, []SkippedInterface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, nil, fmt.Errorf("listing network interfaces: %w", err)
	}
	var skipped []SkippedInterface
	if len(names) > 0 {
		for _, name := range names {
			if !slices.ContainsFunc(ifs, func(ifi net.Interface) bool { return ifi.Name == name }) {
				skipped = append(skipped, SkippedInterface{name, ErrInterfaceNotFound})
			}
		}
		ifs = slices.DeleteFunc(ifs, func(ifi net.Interface) bool { return !slices.Contains(names, ifi.Name) })
	}
	var links []link
	for _, ifi := range ifs {
		l, err := openLink(&ifi)
		if err != nil {
			skipped = append(skipped, SkippedInterface{ifi.Name, err})
			continue
		}
		links = append(links, l)
	}
	return links, skipped, nil
}

// openLink checks ifi and opens its socket: bound to its IPv4 address (so
// unicast replies come back to it), multicasting out of ifi with TTL 1.
func openLink(ifi *net.Interface) (link, error) {
	if err := checkFlags(ifi.Flags); err != nil {
		return link{}, err
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return link{}, fmt.Errorf("listing addresses: %w", err)
	}
	addr, err := pickIPv4(addrs)
	if err != nil {
		return link{}, err
	}
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, 0)))
	if err != nil {
		return link{}, fmt.Errorf("opening socket on %s: %w", addr, err)
	}
	if err := setup(c, ifi); err != nil {
		c.Close()
		return link{}, err
	}
	local := c.LocalAddr().(*net.UDPAddr).AddrPort()
	return link{name: ifi.Name, local: netip.AddrPortFrom(local.Addr().Unmap(), local.Port()), conn: c}, nil
}

// setup sets c's read buffer and multicast options for ifi.
func setup(c *net.UDPConn, ifi *net.Interface) error {
	if err := c.SetReadBuffer(readBuffer); err != nil {
		return fmt.Errorf("setting read buffer: %w", err)
	}
	p := ipv4.NewPacketConn(c)
	// IP_MULTICAST_IF: the route alone picks one interface of a multi-homed
	// host, and a namespace or host without a multicast route gets
	// ENETUNREACH (lab-notes §1).
	if err := p.SetMulticastInterface(ifi); err != nil {
		return fmt.Errorf("setting multicast interface: %w", err)
	}
	// WS-Discovery is link-local: TTL 1, as the spec requires.
	if err := p.SetMulticastTTL(1); err != nil {
		return fmt.Errorf("setting multicast TTL: %w", err)
	}
	return nil
}

// checkFlags says why an interface with flags cannot be probed, or nil.
func checkFlags(f net.Flags) error {
	switch {
	case f&net.FlagUp == 0:
		return ErrInterfaceDown
	case f&net.FlagLoopback != 0:
		return ErrLoopback
	case f&net.FlagMulticast == 0:
		return ErrNoMulticast
	}
	return nil
}

// pickIPv4 returns the IPv4 address to bind among an interface's
// addresses: the first that is not link-local, else the first link-local
// one (a laptop cabled straight to a camera, both on 169.254/16).
func pickIPv4(addrs []net.Addr) (netip.Addr, error) {
	var linkLocal netip.Addr
	for _, a := range addrs {
		var ip net.IP
		switch a := a.(type) {
		case *net.IPNet:
			ip = a.IP
		case *net.IPAddr:
			ip = a.IP
		}
		addr, ok := netip.AddrFromSlice(ip)
		if !ok || !addr.Unmap().Is4() {
			continue
		}
		addr = addr.Unmap()
		if addr.IsLinkLocalUnicast() {
			if !linkLocal.IsValid() {
				linkLocal = addr
			}
			continue
		}
		if addr.IsGlobalUnicast() || addr.IsPrivate() {
			return addr, nil
		}
	}
	if linkLocal.IsValid() {
		return linkLocal, nil
	}
	return netip.Addr{}, ErrNoIPv4
}
