//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"sitekeeper/internal/discovery/wsd"
)

// WS-Discovery's multicast group and port.
var (
	wsdGroup = netip.AddrFrom4([4]byte{239, 255, 255, 250})
	wsdPort  = uint16(3702)
)

// DefaultMaxDelay is WS-Discovery's APP_MAX_DELAY: a device waits a random
// time up to this long before it answers a multicast Probe.
const DefaultMaxDelay = 500 * time.Millisecond

// maxPending bounds the replies one device has scheduled, so a flood of
// probes costs a fixed number of goroutines.
const maxPending = 64

// ResponderConfig sets how the simulated devices answer. The zero value
// answers at once and once.
type ResponderConfig struct {
	// MaxDelay bounds the random delay, uniform in [0, MaxDelay], before
	// each reply (DefaultMaxDelay for real-world timing; 0 for tests).
	MaxDelay time.Duration
	// Twice is the probability, 0 to 1, that a reply is sent twice (same
	// bytes and MessageID, as wsdd and some cameras do).
	Twice float64
	// IPv6 makes every device answer on ff02::c too, from its link-local
	// address (LinkLocal), as most cameras do; its ProbeMatch then lists an
	// IPv6 XAddr after the IPv4 one.
	IPv6 bool
	// IPv6Only are the indexes of devices that answer over IPv6 alone, like
	// a camera whose IPv4 address belongs to another subnet.
	IPv6Only []int
	// Silent are the indexes of devices that answer no Probe; they are
	// heard only when they announce themselves (Announce).
	Silent []int
}

// RealTiming is how real cameras answer: after up to DefaultMaxDelay, and
// now and then twice.
func RealTiming() ResponderConfig {
	return ResponderConfig{MaxDelay: DefaultMaxDelay, Twice: 0.2}
}

// ResponderStats counts what the responder saw and did.
type ResponderStats struct {
	// Probes are the Probes received, summed over all devices.
	Probes int64
	// Replies are the ProbeMatches sent, repeats included.
	Replies int64
	// Ignored are the well-formed messages not answered (other kinds,
	// probes for types the devices do not have).
	Ignored int64
	// Malformed are the datagrams wsd.Parse rejected.
	Malformed int64
	// Dropped are replies not sent: too many pending, or a send error.
	Dropped int64
}

// Responder is a set of simulated ONVIF devices answering WS-Discovery
// Probes, one UDP socket per device, each created inside the device's
// namespace. Create it with Listen, run it with Serve.
type Responder struct {
	cfg        ResponderConfig
	devices    []*simDevice
	instanceID uint64
	closeOnce  sync.Once

	probes, replies, ignored, malformed, dropped atomic.Int64
}

// simDevice is one device's socket and state.
type simDevice struct {
	Device
	conn     *net.UDPConn // IPv4; nil for an IPv6-only device
	conn6    *net.UDPConn // IPv6; nil unless ResponderConfig asks for it
	xaddrs   string
	pending  atomic.Int32
	sequence atomic.Uint64
}

// Listen creates every device's socket: bound to 0.0.0.0:3702 inside the
// device's namespace and joined to 239.255.255.250 on its eth0. When Listen
// returns, the devices receive Probes (queued until Serve reads them).
func (l *Lab) Listen(cfg ResponderConfig) (*Responder, error) {
	r := &Responder{cfg: cfg, instanceID: uint64(time.Now().Unix())}
	for i := range l.devices {
		d := &simDevice{Device: l.Device(i)}
		only6 := slices.Contains(cfg.IPv6Only, i)
		d.xaddrs = d.XAddr
		if cfg.IPv6 || only6 {
			d.xaddrs += " http://[" + d.LinkLocal.String() + "]" + DeviceServicePath
		}
		err := l.InDevice(i, func() error {
			var err error
			if !only6 {
				if d.conn, err = listenWSD(d.Addr); err != nil {
					return err
				}
			}
			if cfg.IPv6 || only6 {
				d.conn6, err = listenWSD6()
			}
			return err
		})
		r.devices = append(r.devices, d)
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("lab %s: device %d: %w", l.prefix, i, err)
		}
	}
	return r, nil
}

// listenWSD6 opens the IPv6 WS-Discovery socket of the namespace the
// calling thread is in, joined to ff02::c on eth0.
func listenWSD6() (*net.UDPConn, error) {
	eth0, err := net.InterfaceByName("eth0")
	if err != nil {
		return nil, err
	}
	c, err := net.ListenMulticastUDP("udp6", eth0, &net.UDPAddr{IP: net.ParseIP("ff02::c"), Port: int(wsdPort)})
	if err != nil {
		return nil, fmt.Errorf("joining [ff02::c]:%d on eth0: %w", wsdPort, err)
	}
	return c, nil
}

// listenWSD opens the WS-Discovery socket of the namespace the calling
// thread is in, joining the group on the interface that has addr.
func listenWSD(addr netip.Addr) (*net.UDPConn, error) {
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.IPv4Unspecified(), wsdPort)))
	if err != nil {
		return nil, err
	}
	rc, err := c.SyscallConn()
	if err != nil {
		c.Close()
		return nil, err
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptIPMreqn(int(fd), unix.IPPROTO_IP, unix.IP_ADD_MEMBERSHIP,
			&unix.IPMreqn{Multiaddr: wsdGroup.As4(), Address: addr.As4()})
	})
	if err = errors.Join(err, serr); err != nil {
		c.Close()
		return nil, fmt.Errorf("joining %s on %s: %w", wsdGroup, addr, err)
	}
	return c, nil
}

// Serve answers Probes until ctx ends, then closes every socket, waits for
// its goroutines (one reader per device, one per pending reply) and returns
// ctx's error.
func (r *Responder) Serve(ctx context.Context) error {
	stop := context.AfterFunc(ctx, r.Close) // unblocks the reads
	defer stop()
	var wg sync.WaitGroup
	for _, d := range r.devices {
		for _, c := range []*net.UDPConn{d.conn, d.conn6} {
			if c != nil {
				wg.Go(func() { r.serve(ctx, d, c, &wg) })
			}
		}
	}
	<-ctx.Done()
	wg.Wait()
	return ctx.Err()
}

// Close closes every socket; Serve calls it when its context ends. Call it
// yourself only when Serve never ran.
func (r *Responder) Close() {
	r.closeOnce.Do(func() {
		for _, d := range r.devices {
			for _, c := range []*net.UDPConn{d.conn, d.conn6} {
				if c != nil {
					c.Close()
				}
			}
		}
	})
}

// Stats returns the counts so far.
func (r *Responder) Stats() ResponderStats {
	return ResponderStats{
		Probes:    r.probes.Load(),
		Replies:   r.replies.Load(),
		Ignored:   r.ignored.Load(),
		Malformed: r.malformed.Load(),
		Dropped:   r.dropped.Load(),
	}
}

// serve reads d's socket c until it is closed; replies, sent from c, run
// on wg.
func (r *Responder) serve(ctx context.Context, d *simDevice, c *net.UDPConn, wg *sync.WaitGroup) {
	buf := make([]byte, wsd.MaxDatagram)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
				return
			}
			continue // a transient error (ICMP-induced ECONNREFUSED) on one read
		}
		msg, err := wsd.Parse(buf[:n])
		if err != nil {
			r.malformed.Add(1)
			continue
		}
		if msg.Kind != wsd.KindProbe || len(msg.Matches) != 1 {
			r.ignored.Add(1)
			continue
		}
		r.probes.Add(1)
		if !d.answers(msg.Matches[0]) || slices.Contains(r.cfg.Silent, d.Index) {
			r.ignored.Add(1)
			continue
		}
		if d.pending.Add(1) > maxPending {
			d.pending.Add(-1)
			r.dropped.Add(1)
			continue
		}
		reply := d.probeMatch(wsd.NewMessageID(), msg.Header.MessageID, r.instanceID, d.sequence.Add(1), d.xaddrs)
		copies := 1
		if r.cfg.Twice > 0 && rand.Float64() < r.cfg.Twice {
			copies = 2
		}
		var delay time.Duration
		if r.cfg.MaxDelay > 0 {
			delay = rand.N(r.cfg.MaxDelay + 1)
		}
		wg.Go(func() {
			defer d.pending.Add(-1)
			r.reply(ctx, c, reply, from, delay, copies)
		})
	}
}

// reply sends copies of reply to to after delay, unless ctx ends first.
func (r *Responder) reply(ctx context.Context, c *net.UDPConn, reply []byte, to netip.AddrPort, delay time.Duration, copies int) {
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
	for range copies {
		if _, err := c.WriteToUDPAddrPort(reply, to); err != nil {
			r.dropped.Add(1)
			continue
		}
		r.replies.Add(1)
	}
}

// Announce makes device i multicast a Hello (hello true) or a Bye over
// IPv4, as a camera does when it is plugged in or shut down.
func (r *Responder) Announce(i int, hello bool) error {
	if i < 0 || i >= len(r.devices) || r.devices[i].conn == nil {
		return fmt.Errorf("lab: device %d has no IPv4 WS-Discovery socket", i)
	}
	d := r.devices[i]
	msg := d.announcement(hello, wsd.NewMessageID(), r.instanceID, d.sequence.Add(1), d.xaddrs)
	if _, err := d.conn.WriteToUDPAddrPort(msg, netip.AddrPortFrom(wsdGroup, wsdPort)); err != nil {
		return fmt.Errorf("lab: device %d announcing: %w", i, err)
	}
	return nil
}
