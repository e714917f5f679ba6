// Package mdns finds devices that announce themselves with DNS-SD over
// multicast DNS (RFC 6762, RFC 6763): Axis cameras, IPP printers, HomeKit
// accessories, Linux hosts running avahi, and whatever else answers on the
// local link.
//
// Browse sends one-shot queries (RFC 6762 §5.1) from an ephemeral port on
// each interface and reads the unicast answers, so each answer is known to
// come from that interface's link, whatever the platform, and nothing
// depends on owning port 5353, which Bonjour, avahi or Windows' own
// responder may hold. A one-shot answer holds at most 512 bytes, though,
// and responders drop what does not fit (a printer's long TXT record): what
// is still missing is asked once more by an ordinary multicast query from a
// listener that shares port 5353 on the interface, where one can be opened.
// Messages are packed and parsed with github.com/miekg/dns.
package mdns

import (
	"context"
	"errors"
	"maps"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/miekg/dns"

	"sitekeeper/internal/discovery/netif"
)

// DefaultWait is how long Browse listens when Config.Wait is 0.
const DefaultWait = 3 * time.Second

// DefaultServices are the service types Browse asks for when
// Config.Services is nil; the meta-query adds whatever else is present.
var DefaultServices = []string{
	// Video: Axis cameras and encoders announce _axis-video; a few ONVIF
	// devices _onvif; cameras, encoders and recorders _rtsp.
	"_axis-video._tcp",
	"_onvif._tcp",
	"_rtsp._tcp",
	// Web interfaces: nearly every managed device, the only service many
	// controllers, I/O modules and switches announce.
	"_http._tcp",
	"_https._tcp",
	// Printers and scanners: IPP/AirPrint, LPD, raw port 9100, eSCL.
	"_ipp._tcp",
	"_ipps._tcp",
	"_printer._tcp",
	"_pdl-datastream._tcp",
	"_uscan._tcp",
	// HomeKit accessories: cameras, doorbells, locks, bridges (TXT ci= and md=).
	"_hap._tcp",
	// OT: OPC UA servers announced for local discovery (OPC 10000-12).
	"_opcua-tcp._tcp",
	// Computers and appliances (VMS servers, NAS used as recorders):
	// avahi's _workstation carries the MAC in its name, _device-info the
	// model; _smb and _ssh are Windows/Samba and Linux hosts.
	"_workstation._tcp",
	"_device-info._tcp",
	"_smb._tcp",
	"_ssh._tcp",
	// Displays and media players found in control rooms.
	"_airplay._tcp",
	"_googlecast._tcp",
}

const (
	// maxExtraTypes bounds the types learnt from the meta-query that are
	// browsed beyond Config.Services.
	maxExtraTypes = 32
	// maxEntries and maxNames bound what a hostile or very large network
	// can make one browse hold: instances, and stored SRV/TXT/address names.
	maxEntries = 4096
	maxNames   = 16384
	// maxAddrs bounds the addresses kept per host name.
	maxAddrs = 16
	// secondRound is when the service queries are sent again: one lost
	// multicast or answer must not hide a device (RFC 6762 §5.2 retries
	// after at least a second).
	secondRound = time.Second
	// tick is how often missing SRV, TXT or addresses are asked for and
	// types learnt from the meta-query are queried.
	tick = 250 * time.Millisecond
	// maxAsks is how often one missing record is asked for.
	maxAsks = 2
	// maxDatagram is the largest mDNS message (RFC 6762 §17 allows 9000;
	// a larger buffer costs nothing and keeps bigger ones whole).
	maxDatagram = 65535
	// maxReadErrors ends a reader after this many consecutive read errors
	// that are neither a close nor a deadline (Windows reports ICMP port
	// unreachable as WSAECONNRESET on the next read).
	maxReadErrors = 100
)

// Config chooses where, for how long and for what Browse asks.
type Config struct {
	// Interfaces to browse on; nil means every usable one (up, multicast,
	// not loopback, with an IPv4 address).
	Interfaces []net.Interface
	// Wait is how long to listen; 0 means DefaultWait.
	Wait time.Duration
	// Services are the service types to browse ("_ipp._tcp"); nil means
	// DefaultServices.
	Services []string
}

// Result is one service instance found.
type Result struct {
	// Instance is the instance name ("AXIS M3045-V - ACCC8E123456"). It is
	// not an identity: responders rename on conflicts ("... #2").
	Instance string
	// Service is the service type ("_axis-video._tcp").
	Service string
	// Host is the SRV target ("axis-accc8e123456.local."); the services of
	// one device share it.
	Host string
	// Addrs are Host's addresses from A and AAAA records, never the
	// packet's source (a reflector forwards other segments' answers).
	// IPv6 link-local addresses are left out: without a zone they are
	// unusable, and reflected ones belong to another link.
	Addrs []netip.Addr
	Port  int
	// TXT is the TXT record, keys lower-cased (ParseTXT).
	TXT map[string]string
	// Interface is the interface the instance was first heard on.
	Interface string
	// MAC ("aa:bb:cc:dd:ee:ff"), Manufacturer and Model are derived from
	// TXT and, for a few types, the instance name; empty when unknown.
	MAC, Manufacturer, Model string
	// Update is false the first time an instance is reported, true when
	// it is reported again because addresses were added.
	Update bool
}

// Stats says what a browse did; it explains an empty or partial result.
type Stats struct {
	// Interfaces are the interfaces browsed.
	Interfaces []string
	// Skipped are the interfaces not browsed, and why.
	Skipped map[string]string
	// Services are the service types responders listed in answer to the
	// meta-query, sorted.
	Services []string
	// Results counts distinct instances reported.
	Results int
	// NoListener lists the browsed interfaces where port 5353 could not
	// be shared, and why: records too big for a one-shot reply (a
	// printer's long TXT) are missed there.
	NoListener map[string]string
	// Received counts the messages read; Malformed those that did not
	// parse and were skipped.
	Received, Malformed int
}

// packetConn is a socket (netif.PacketConn). Reads happen on one goroutine,
// writes on another.
type packetConn = netif.PacketConn

// link is one browsed interface's sockets.
type link struct {
	name string
	// conn sends one-shot queries from an ephemeral port and reads the
	// unicast answers.
	conn packetConn
	// mc, when not nil, is the port-5353 listener (listen5353), for
	// answers too big for a one-shot reply; mcErr says why it is nil.
	mc    packetConn
	mcErr error
	dead  bool // a send failed; the interface moved to Stats.Skipped
}

// mdnsGroup is where queries go.
var mdnsGroup = netip.AddrPortFrom(netip.AddrFrom4([4]byte{224, 0, 0, 251}), 5353)

// Browse asks for cfg.Services and the meta-query on every chosen
// interface, calls onFound for each service instance as soon as its SRV
// record, TXT record and an address are known, and returns when cfg.Wait
// has passed (nil error) or ctx ends (ctx's error). Instances still
// incomplete when the wait is over are reported then with what is known
// (perhaps no address). Types the meta-query reveals beyond cfg.Services
// are browsed too, at most 32 of them.
//
// Each (instance, service) is one Result. It is reported again, with
// Update set and the whole merged Result, only when new addresses of its
// host arrive. onFound is called on Browse's goroutine, one call at a
// time, and every call has returned when Browse does; it should return
// quickly, since answers queue meanwhile.
//
// An interface that cannot be used (down, loopback, no multicast, no IPv4,
// a socket that cannot be opened, a first query that cannot be sent: a VPN
// adapter) is left out and listed in Stats.Skipped; when none can be used,
// Browse returns ErrNoInterfaces. An interface where port 5353 cannot be
// shared is browsed without the multicast retry and listed in
// Stats.NoListener. Browse opens every socket (both of each interface) on
// the calling goroutine before it starts any other,
// so a caller may run it on an OS thread locked into another network
// namespace (internal/lab's InScanner). When Browse returns, every socket
// is closed and every goroutine it started has exited.
func Browse(ctx context.Context, cfg Config, onFound func(Result)) (Stats, error) {
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	links, skipped, err := openLinks(cfg.Interfaces)
	stats := Stats{Skipped: skipped}
	if err != nil {
		return stats, err
	}
	if len(links) == 0 {
		return stats, ErrNoInterfaces
	}
	return run(ctx, cfg, links, stats, onFound)
}

// packet is one datagram read and parsed by a reader.
type packet struct {
	link int
	msg  *dns.Msg // nil when malformed
}

// run browses on links until the wait is over or ctx ends. It owns the
// links and closes them.
func run(ctx context.Context, cfg Config, links []link, stats Stats, onFound func(Result)) (Stats, error) {
	wait := cfg.Wait
	if wait <= 0 {
		wait = DefaultWait
	}
	services := cfg.Services
	if services == nil {
		services = DefaultServices
	}
	b := newBrowser(links, stats, onFound)
	for _, s := range services {
		if t, ok := serviceType(fqdn(s)); ok {
			b.addType(t)
		}
	}

	end := time.Now().Add(wait)
	browseCtx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	closeAll := sync.OnceFunc(func() {
		for _, l := range links {
			_ = l.conn.Close() // nothing to do about a failed close
			if l.mc != nil {
				_ = l.mc.Close()
			}
		}
	})
	// Closing the sockets is what ends the readers' blocking reads.
	stopClose := context.AfterFunc(browseCtx, closeAll)
	defer stopClose()

	packets := make(chan packet, 256)
	var wg sync.WaitGroup
	for i, l := range links {
		wg.Go(func() { readLoop(browseCtx, i, l.conn, end.Add(time.Second), packets) })
		if l.mc != nil {
			wg.Go(func() { readLoop(browseCtx, i, l.mc, end.Add(time.Second), packets) })
		}
	}

	b.queryTypes(true)
	if b.alive() == 0 {
		cancel()
	}
	second := time.NewTimer(secondRound)
	defer second.Stop()
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
loop:
	for {
		select {
		case <-browseCtx.Done():
			break loop
		case p := <-packets:
			b.handle(p)
		case <-second.C:
			if time.Until(end) > tick {
				b.queryTypes(true)
			}
		case <-ticker.C:
			b.queryTypes(false)
			b.resolve()
		}
	}
	closeAll()
	wg.Wait()

	st := b.finish()
	if b.alive() == 0 {
		return st, ErrNoInterfaces
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	for _, e := range b.order {
		if !e.reported {
			b.report(e)
		}
	}
	st.Results = b.stats.Results
	return st, nil
}

// readLoop reads and parses datagrams from c into out. It exits when c is
// closed (the browse ended), its deadline passes, ctx ends while a packet
// waits to be handed over, or after maxReadErrors errors in a row.
func readLoop(ctx context.Context, i int, c packetConn, deadline time.Time, out chan<- packet) {
	_ = c.SetReadDeadline(deadline) // a safety net only: Close ends the read too
	buf := make([]byte, maxDatagram)
	consecutive := 0
	for {
		n, _, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) || errors.Is(err, os.ErrDeadlineExceeded) {
				return
			}
			if consecutive++; consecutive >= maxReadErrors {
				return
			}
			continue
		}
		consecutive = 0
		p := packet{link: i, msg: new(dns.Msg)}
		if err := p.msg.Unpack(buf[:n]); err != nil {
			p.msg = nil
		}
		select {
		case out <- p:
		case <-ctx.Done():
			return
		}
	}
}

// finish returns the stats with the interfaces that stayed usable and the
// types seen through the meta-query.
func (b *browser) finish() Stats {
	st := b.stats
	st.Interfaces = nil
	for _, l := range b.links {
		if l.dead {
			continue
		}
		st.Interfaces = append(st.Interfaces, l.name)
		if l.mc == nil && l.mcErr != nil {
			if st.NoListener == nil {
				st.NoListener = map[string]string{}
			}
			st.NoListener[l.name] = l.mcErr.Error()
		}
	}
	st.Services = slices.Sorted(maps.Keys(b.metaTypes))
	return st
}
