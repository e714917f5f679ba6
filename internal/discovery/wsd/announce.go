package wsd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// Devices announce themselves with a multicast Hello when they join the
// network (powered on, cable plugged in, address changed) and a Bye when
// they leave politely. Both go to the WS-Discovery group on port 3702, so
// hearing them means sharing that port: with wsdd on Linux, and on Windows
// with the Function Discovery service, which may hold it exclusively. The
// announcement socket is therefore best effort: a scan without it still
// finds every device that answers its Probes.

// ErrAnnouncePort wraps the error of binding port 3702 for announcements.
var ErrAnnouncePort = errors.New("cannot listen for device announcements on UDP port 3702")

// Announcement is a Hello or a Bye heard on the network.
type Announcement struct {
	// Kind is KindHello or KindBye.
	Kind Kind
	// Match is the announced endpoint; a Bye carries only its reference.
	Match     Match
	From      netip.AddrPort
	Interface string
	At        time.Time
}

// announceConn is the announcement socket of one address family: bound to
// port 3702 on every address with address reuse, joined to the group on
// each probed interface, reporting the interface a datagram arrived on.
type announceConn struct {
	c   *net.UDPConn
	p4  *ipv4.PacketConn
	p6  *ipv6.PacketConn
	ifs map[int]string // interface index -> name
}

// openAnnounce opens the announcement sockets for links' interfaces: one
// IPv4 and, when some link is IPv6, one IPv6. An error leaves none open.
func openAnnounce(links []link) ([]*announceConn, error) {
	var four, six []string
	for _, l := range links {
		if l.local.Addr().Is4() {
			four = append(four, l.name)
		} else {
			six = append(six, l.name)
		}
	}
	var out []*announceConn
	for _, fam := range []struct {
		network string
		names   []string
	}{{"udp4", four}, {"udp6", six}} {
		if len(fam.names) == 0 {
			continue
		}
		a, err := listenAnnounce(fam.network, fam.names)
		if err != nil {
			for _, o := range out {
				o.Close()
			}
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func listenAnnounce(network string, names []string) (*announceConn, error) {
	lc := net.ListenConfig{Control: reuseAddr}
	addr := "0.0.0.0:3702"
	if network == "udp6" {
		addr = "[::]:3702"
	}
	pc, err := lc.ListenPacket(context.Background(), network, addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAnnouncePort, err)
	}
	a := &announceConn{c: pc.(*net.UDPConn), ifs: map[int]string{}}
	var joined int
	var errs []error
	for _, name := range names {
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if network == "udp4" {
			if a.p4 == nil {
				a.p4 = ipv4.NewPacketConn(a.c)
			}
			err = a.p4.JoinGroup(ifi, &net.UDPAddr{IP: wsdGroup.Addr().AsSlice()})
		} else {
			if a.p6 == nil {
				a.p6 = ipv6.NewPacketConn(a.c)
			}
			err = a.p6.JoinGroup(ifi, &net.UDPAddr{IP: wsdGroup6.AsSlice()})
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("joining the WS-Discovery group on %s: %w", name, err))
			continue
		}
		a.ifs[ifi.Index] = name
		joined++
	}
	if joined == 0 {
		a.c.Close()
		return nil, fmt.Errorf("%w: %w", ErrAnnouncePort, errors.Join(errs...))
	}
	// Without the interface of each datagram a Hello cannot be placed.
	if a.p4 != nil {
		err = a.p4.SetControlMessage(ipv4.FlagInterface, true)
	} else {
		err = a.p6.SetControlMessage(ipv6.FlagInterface, true)
	}
	if err != nil {
		a.c.Close()
		return nil, fmt.Errorf("%w: %w", ErrAnnouncePort, err)
	}
	_ = a.c.SetReadBuffer(readBuffer) // the default buffer still works
	return a, nil
}

// readFrom reads one datagram and names the interface it arrived on ("" if
// the system did not say).
func (a *announceConn) readFrom(b []byte) (int, netip.AddrPort, string, error) {
	var (
		n     int
		src   net.Addr
		index int
		err   error
	)
	if a.p4 != nil {
		var cm *ipv4.ControlMessage
		n, cm, src, err = a.p4.ReadFrom(b)
		if cm != nil {
			index = cm.IfIndex
		}
	} else {
		var cm *ipv6.ControlMessage
		n, cm, src, err = a.p6.ReadFrom(b)
		if cm != nil {
			index = cm.IfIndex
		}
	}
	var from netip.AddrPort
	if u, ok := src.(*net.UDPAddr); ok {
		from = u.AddrPort()
	}
	return n, from, a.ifs[index], err
}

// The packetConn methods, so a scan can read it like a link.

func (a *announceConn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	n, from, _, err := a.readFrom(b)
	return n, from, err
}

func (a *announceConn) WriteToUDPAddrPort([]byte, netip.AddrPort) (int, error) {
	return 0, errors.New("the announcement socket does not send")
}

func (a *announceConn) SetReadDeadline(t time.Time) error { return a.c.SetReadDeadline(t) }
func (a *announceConn) Close() error                      { return a.c.Close() }
