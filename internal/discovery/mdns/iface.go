package mdns

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/net/ipv4"

	"sitekeeper/internal/discovery/netif"
)

// readBuffer is each socket's SO_RCVBUF request, room for hundreds of
// answers arriving together; the kernel caps it without an error.
const readBuffer = 1 << 20

// ErrNoInterfaces is returned by Browse when no interface could be used;
// Stats.Skipped says why for each.
var ErrNoInterfaces = errors.New("no network interface to search for mDNS devices on")

// openLinks opens one socket per usable interface of ifs (every interface
// when nil) and returns the others with the reason, keyed by name.
func openLinks(ifs []net.Interface) ([]link, map[string]string, error) {
	if ifs == nil {
		var err error
		if ifs, err = net.Interfaces(); err != nil {
			return nil, nil, fmt.Errorf("listing network interfaces: %w", err)
		}
	}
	skipped := map[string]string{}
	var links []link
	for _, ifi := range ifs {
		l, err := openLink(&ifi)
		if err != nil {
			skipped[ifi.Name] = err.Error()
			continue
		}
		links = append(links, l)
	}
	return links, skipped, nil
}

// openLink checks ifi and opens its socket: bound to ifi's IPv4 address on
// an ephemeral port, multicasting out of ifi. Queries from a port other
// than 5353 are "one-shot" queries (RFC 6762 §5.1, §6.7): responders answer
// by unicast to that port, so the socket hears only answers to its own
// interface's queries and needs neither port 5353 nor a group membership.
func openLink(ifi *net.Interface) (link, error) {
	if err := netif.Check(ifi.Flags); err != nil {
		return link{}, err
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return link{}, fmt.Errorf("listing addresses: %w", err)
	}
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
	l := link{name: ifi.Name, conn: c}
	l.mc, l.mcErr = listen5353(ifi)
	return l, nil
}

// listen5353 opens ifi's listener: bound to port 5353 (shared with any
// other mDNS software), a member of the mDNS group on ifi only. Queries it
// sends are ordinary multicast queries, answered by multicast with the
// full records, which a one-shot reply (at most 512 bytes) may drop. It is
// optional: when the port cannot be shared, the error says why.
func listen5353(ifi *net.Interface) (packetConn, error) {
	c, err := net.ListenMulticastUDP("udp4", ifi, net.UDPAddrFromAddrPort(mdnsGroup))
	if err != nil {
		return nil, fmt.Errorf("listening on port 5353: %w", err)
	}
	if err := ownGroupsOnly(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("listening on port 5353: %w", err)
	}
	// ListenMulticastUDP turned loopback off and set IP_MULTICAST_IF.
	if err := ipv4.NewPacketConn(c).SetMulticastTTL(255); err != nil {
		c.Close()
		return nil, fmt.Errorf("listening on port 5353: setting multicast TTL: %w", err)
	}
	_ = c.SetReadBuffer(readBuffer)
	return c, nil
}

// setup sets c's read buffer and multicast options for ifi.
func setup(c *net.UDPConn, ifi *net.Interface) error {
	_ = c.SetReadBuffer(readBuffer) // a smaller buffer still works
	p := ipv4.NewPacketConn(c)
	// IP_MULTICAST_IF: on a multi-homed host the route alone picks one
	// interface, and without a multicast route sends fail (lab-notes §1).
	if err := p.SetMulticastInterface(ifi); err != nil {
		return fmt.Errorf("setting multicast interface: %w", err)
	}
	// RFC 6762 §11: mDNS packets are sent with IP TTL 255.
	if err := p.SetMulticastTTL(255); err != nil {
		return fmt.Errorf("setting multicast TTL: %w", err)
	}
	return nil
}
