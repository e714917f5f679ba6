package wsd

import (
	"fmt"
	"net"
	"net/netip"
	"slices"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"sitekeeper/internal/discovery/netif"
)

// readBuffer is each socket's SO_RCVBUF request: 250 devices answering
// at once overflowed the default 208 KiB in the lab. The kernel caps it at
// net.core.rmem_max (Linux) without an error.
const readBuffer = 4 << 20

// openLinks opens the sockets of every usable interface among names (all
// when empty): one for IPv4 and, where the interface has an IPv6
// link-local address, one for IPv6. An interface with neither is listed
// with the reason (its IPv4 one).
func openLinks(names []string) ([]link, []SkippedInterface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, nil, fmt.Errorf("listing network interfaces: %w", err)
	}
	var skipped []SkippedInterface
	if len(names) > 0 {
		for _, name := range names {
			if !slices.ContainsFunc(ifs, func(ifi net.Interface) bool { return ifi.Name == name }) {
				skipped = append(skipped, SkippedInterface{name, netif.ErrNotFound})
			}
		}
		ifs = slices.DeleteFunc(ifs, func(ifi net.Interface) bool { return !slices.Contains(names, ifi.Name) })
	}
	var links []link
	for _, ifi := range ifs {
		if err := netif.Check(ifi.Flags); err != nil {
			skipped = append(skipped, SkippedInterface{ifi.Name, err})
			continue
		}
		addrs, err := ifi.Addrs()
		if err != nil {
			skipped = append(skipped, SkippedInterface{ifi.Name, fmt.Errorf("listing addresses: %w", err)})
			continue
		}
		l4, err4 := openLink4(&ifi, addrs)
		if err4 == nil {
			links = append(links, l4)
		}
		// IPv6 is a bonus: a device whose IPv4 is misconfigured still
		// answers on its link-local address. Its failure is not reported
		// when IPv4 works (most sites have no IPv6 at all).
		l6, err6 := openLink6(&ifi, addrs)
		if err6 == nil {
			links = append(links, l6)
		}
		if err4 != nil && err6 != nil {
			skipped = append(skipped, SkippedInterface{ifi.Name, err4})
		}
	}
	return links, skipped, nil
}

// openLink4 opens ifi's IPv4 socket: bound to its IPv4 address (so unicast
// replies come back to it), multicasting out of ifi with TTL 1.
func openLink4(ifi *net.Interface, addrs []net.Addr) (link, error) {
	addr, err := netif.IPv4(addrs)
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
	return link{name: ifi.Name, local: netip.AddrPortFrom(local.Addr().Unmap(), local.Port()), group: wsdGroup, conn: c}, nil
}

// openLink6 opens ifi's IPv6 socket: bound to its link-local address,
// multicasting to ff02::c out of ifi with hop limit 1.
func openLink6(ifi *net.Interface, addrs []net.Addr) (link, error) {
	addr, err := netif.LinkLocal6(addrs)
	if err != nil {
		return link{}, err
	}
	addr = addr.WithZone(ifi.Name)
	c, err := net.ListenUDP("udp6", net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, 0)))
	if err != nil {
		return link{}, fmt.Errorf("opening socket on %s: %w", addr, err)
	}
	if err := setup6(c, ifi); err != nil {
		c.Close()
		return link{}, err
	}
	local := c.LocalAddr().(*net.UDPAddr).AddrPort()
	return link{name: ifi.Name, local: local, group: netip.AddrPortFrom(wsdGroup6.WithZone(ifi.Name), wsdGroup.Port()), conn: c}, nil
}

// setup6 is setup for an IPv6 socket.
func setup6(c *net.UDPConn, ifi *net.Interface) error {
	if err := c.SetReadBuffer(readBuffer); err != nil {
		return fmt.Errorf("setting read buffer: %w", err)
	}
	p := ipv6.NewPacketConn(c)
	if err := p.SetMulticastInterface(ifi); err != nil {
		return fmt.Errorf("setting multicast interface: %w", err)
	}
	if err := p.SetMulticastHopLimit(1); err != nil {
		return fmt.Errorf("setting multicast hop limit: %w", err)
	}
	return nil
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
