package wsd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"time"

	"sitekeeper/internal/discovery/netif"
	"sitekeeper/internal/inventory"
)

// Defaults for Config's zero fields.
const (
	DefaultWait    = 2 * time.Second
	DefaultRepeats = 2
)

// DefaultTypes are the probes a scan sends when Config.Types is empty: ONVIF
// video, any ONVIF device service (access control often answers only that)
// and Devices Profile (wsdd, Windows, WSD printers answer only that).
var DefaultTypes = []Type{TypeNetworkVideoTransmitter, TypeONVIFDevice, TypeWSDPDevice}

const (
	// probeSpacing separates the rounds of probes: SOAP-over-UDP repeats a
	// multicast after a short random delay, and a gap lets the first round's
	// replies drain before the second round doubles them.
	probeSpacing = 100 * time.Millisecond
	// readGrace is how long after the scan's end a reader's deadline lies: a
	// safety net, the socket is closed at the end anyway.
	readGrace = time.Second
	// seenCapacity remembers enough MessageIDs for 1000 devices answering
	// three probes twice; repeats arrive within a second, so FIFO is enough.
	seenCapacity = 8192
	// maxReadErrors ends a reader after this many consecutive read errors
	// that are neither a close nor a deadline (Windows reports ICMP port
	// unreachable as WSAECONNRESET on the next read).
	maxReadErrors = 100
)

// wsdGroup is WS-Discovery's IPv4 multicast group and port; wsdGroup6 its
// IPv6 link-local group, zoned per interface when sent to.
var (
	wsdGroup  = netip.AddrPortFrom(netip.AddrFrom4([4]byte{239, 255, 255, 250}), 3702)
	wsdGroup6 = netip.MustParseAddr("ff02::c")
)

// Config chooses where and how long a Scanner probes. The zero value probes
// every usable interface for DefaultWait with DefaultTypes, DefaultRepeats
// times.
type Config struct {
	// Interfaces are the names of the interfaces to probe; empty means
	// every usable one (up, multicast, not loopback, with an IPv4 address).
	Interfaces []string
	// Wait is how long the scan listens for replies, counted from the
	// first probe (DefaultWait when 0).
	Wait time.Duration
	// Repeats is how many times each probe is sent (DefaultRepeats when 0).
	Repeats int
	// Types are the probes, each sent in its own Probe (DefaultTypes when
	// empty).
	Types []Type
}

func (c Config) withDefaults() Config {
	if c.Wait <= 0 {
		c.Wait = DefaultWait
	}
	if c.Repeats <= 0 {
		c.Repeats = DefaultRepeats
	}
	if len(c.Types) == 0 {
		c.Types = DefaultTypes
	}
	return c
}

// Scanner probes the LAN for WS-Discovery devices over IPv4. A Scanner
// holds no state between scans; Scan may be called concurrently.
type Scanner struct {
	cfg Config
	// opened, when set (tests), is called with the interfaces' sockets
	// before the first probe.
	opened func([]InterfaceStats)
}

// NewScanner returns a Scanner with cfg.
func NewScanner(cfg Config) *Scanner {
	cfg.Interfaces = slices.Clone(cfg.Interfaces)
	cfg.Types = slices.Clone(cfg.Types)
	return &Scanner{cfg: cfg}
}

// Result is one device found by a scan.
type Result struct {
	// Match is what the device said about itself, merged over every reply
	// of the scan (Types, Scopes and XAddrs are unions, in order of arrival).
	Match Match
	// From is the source of the device's first reply. It may be a proxy or
	// NAT address; take the device's address from XAddrs.
	From netip.AddrPort
	// Interface is the name of the interface the first reply arrived on.
	Interface string
	// At is when the first reply arrived.
	At time.Time
	// Class and Scope are Match.Class() and Match.ScopeInfo().
	Class inventory.Class
	Scope ScopeInfo
	// Update is false the first time a device is reported. It is true when
	// a later reply added Types, Scopes or XAddrs to a device already
	// reported; Match then holds the whole merged description.
	Update bool
}

// Stats counts what a scan did; it explains an empty or partial result.
type Stats struct {
	// Interfaces are the interfaces probed, in the order of net.Interfaces.
	Interfaces []InterfaceStats
	// Skipped are the interfaces not probed, and why.
	Skipped []SkippedInterface
	// Received are the datagrams read on all interfaces.
	Received int
	// Duplicates are datagrams dropped as repeats of a message already
	// seen (same MessageID; wsdd sends every reply twice).
	Duplicates int
	// Repeats are new replies from a device already known that added
	// nothing (a camera answers each probe type and each repeat).
	Repeats int
	// Malformed are datagrams Parse rejected; they are skipped.
	Malformed int
	// Ignored are well-formed datagrams that are no reply to us: Probes,
	// Byes, Faults, matches without an endpoint reference.
	Ignored int
	// Devices are the distinct endpoint references found.
	Devices int
	// Hellos and Byes are the announcements heard (devices joining and
	// leaving the network during the scan).
	Hellos, Byes int
	// AnnounceErr is why announcements could not be heard (port 3702 held
	// exclusively by another program); nil when they could. It wraps
	// ErrAnnouncePort and does not affect the Probes.
	AnnounceErr error
}

// InterfaceStats counts one probed interface's traffic.
type InterfaceStats struct {
	Name string
	// Local is the socket's address: the interface's IPv4 address and
	// the ephemeral port replies come back to.
	Local netip.AddrPort
	// ProbesSent and ResolvesSent count datagrams sent successfully.
	ProbesSent   int
	ResolvesSent int
	// Received are the datagrams read on the interface.
	Received int
	// Err is the first send error; probing on the interface stopped there
	// (its replies are still read). Nil when all went well.
	Err error
}

// SkippedInterface is an interface a scan did not probe.
type SkippedInterface struct {
	Name string
	// Err says why: one of netif's errors (ErrNotFound, ErrDown,
	// ErrLoopback, ErrNoMulticast, ErrNoIPv4), or the error of opening the
	// interface's socket.
	Err error
}

// ErrNoInterfaces is returned by Scan when no interface could be probed;
// Stats.Skipped says why for each.
var ErrNoInterfaces = errors.New("no usable network interface")

// Scan probes every chosen interface, calls onResult for each device as
// its replies arrive, and returns when Config.Wait has passed (nil error)
// or ctx ends (ctx's error). onResult is called from Scan's goroutine, one
// call at a time; it should return quickly, since replies queue meanwhile.
// A device is reported once with Update false as soon as it is known with
// XAddrs; one without XAddrs (wsdd) is resolved first and reported when
// the ResolveMatch arrives, or at the end of the wait without XAddrs.
//
// Scan is Open followed by Session.Run on the calling goroutine.
func (s *Scanner) Scan(ctx context.Context, onResult func(Result)) (Stats, error) {
	ss, err := s.Open(ctx)
	if err != nil {
		return ss.Stats(), err
	}
	return ss.Run(ctx, onResult)
}

// Session is a scan whose sockets are open and which has sent nothing yet.
// Run it once.
type Session struct {
	cfg      Config
	links    []link
	announce []*announceConn
	stats    Stats
	opened   func([]InterfaceStats)
}

// Open opens the sockets of a scan on the calling goroutine and starts
// nothing, so a caller may open them on an OS thread locked into another
// network namespace (internal/lab's InScanner) and Run the session on any
// goroutine. Without a usable interface it returns ErrNoInterfaces and a
// session whose Stats say why; that session needs no Close.
func (s *Scanner) Open(ctx context.Context) (*Session, error) {
	if err := ctx.Err(); err != nil {
		return &Session{}, err
	}
	cfg := s.cfg.withDefaults()
	links, skipped, err := openLinks(cfg.Interfaces)
	ss := &Session{cfg: cfg, links: links, stats: Stats{Skipped: skipped}, opened: s.opened}
	if err != nil {
		return ss, err
	}
	if len(links) == 0 {
		return ss, ErrNoInterfaces
	}
	ss.announce, ss.stats.AnnounceErr = openAnnounce(links)
	return ss, nil
}

// Stats returns what Open found: the interfaces skipped and why.
func (ss *Session) Stats() Stats { return ss.stats }

// Run probes and collects as Scan describes. When Run returns, every
// socket is closed and every goroutine it started has exited.
func (ss *Session) Run(ctx context.Context, onResult func(Result)) (Stats, error) {
	if len(ss.links) == 0 {
		return ss.stats, ErrNoInterfaces
	}
	links, announce := ss.links, ss.announce
	ss.links, ss.announce = nil, nil
	return run(ctx, ss.cfg, links, announce, ss.stats, ss.opened, onResult)
}

// packetConn is a socket (netif.PacketConn). Reads happen on one goroutine,
// writes on another.
type packetConn = netif.PacketConn

// link is one probed interface's socket.
type link struct {
	name  string
	local netip.AddrPort
	group netip.AddrPort // where probes go: wsdGroup, or ff02::c zoned to the interface
	conn  packetConn
}

// packet is one datagram read, parsed by the reader.
type packet struct {
	link   int    // index in links, or -1 for the announcement sockets
	ifname string // the interface of an announcement, when known
	from   netip.AddrPort
	at     time.Time
	msg    Message
	err    error
}

// sendState is the prober's record for one link, written only by the
// prober goroutine and read after it exited.
type sendState struct {
	sent int
	err  error
}

// endpoint is one device's merged state during a scan.
type endpoint struct {
	res      Result
	reported bool
	// resolved4 and resolved6: a Resolve was sent (or could not be) over
	// that address family.
	resolved4, resolved6 bool
}

// scan is the collector's state, owned by Scan's goroutine.
type scan struct {
	links      []link
	stats      Stats
	resolveErr []error
	seen       *Seen
	endpoints  map[string]*endpoint
	order      []*endpoint
	onResult   func(Result)
}

// run probes on links and collects replies, and announcements from
// announce, until cfg.Wait passes or ctx ends. It owns the sockets and
// closes them.
func run(ctx context.Context, cfg Config, links []link, announce []*announceConn, stats Stats, opened func([]InterfaceStats), onResult func(Result)) (Stats, error) {
	s := &scan{
		links:      links,
		stats:      stats,
		resolveErr: make([]error, len(links)),
		seen:       NewSeen(seenCapacity),
		endpoints:  map[string]*endpoint{},
		onResult:   onResult,
	}
	for _, l := range links {
		s.stats.Interfaces = append(s.stats.Interfaces, InterfaceStats{Name: l.name, Local: l.local})
	}
	if opened != nil {
		opened(slices.Clone(s.stats.Interfaces))
	}

	end := time.Now().Add(cfg.Wait)
	scanCtx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	closeAll := sync.OnceFunc(func() {
		for _, l := range links {
			_ = l.conn.Close() // nothing to do about a failed close
		}
		for _, a := range announce {
			_ = a.Close()
		}
	})
	// Closing the sockets is what ends the readers' blocking reads.
	stopClose := context.AfterFunc(scanCtx, closeAll)
	defer stopClose()

	packets := make(chan packet, 256)
	readErrs := make([]int, len(links))
	sends := make([]sendState, len(links))
	var wg sync.WaitGroup
	for i := range links {
		wg.Go(func() { readLoop(scanCtx, i, links[i].conn, end.Add(readGrace), packets, &readErrs[i]) })
	}
	announceErrs := make([]int, len(announce))
	for i, a := range announce {
		wg.Go(func() { readLoop(scanCtx, -1, a, end.Add(readGrace), packets, &announceErrs[i]) })
	}
	wg.Go(func() { probe(scanCtx, cfg, links, sends) })

collect:
	for {
		select {
		case <-scanCtx.Done():
			break collect
		case p := <-packets:
			s.handle(p)
		}
	}
	closeAll()
	wg.Wait()

	for i := range s.stats.Interfaces {
		is := &s.stats.Interfaces[i]
		is.ProbesSent = sends[i].sent
		is.Err = cmpOr(sends[i].err, s.resolveErr[i])
	}
	s.stats.Devices = len(s.endpoints)
	if err := ctx.Err(); err != nil {
		return s.stats, err
	}
	// The wait is over: report the devices still waiting for XAddrs.
	for _, ep := range s.order {
		if !ep.reported {
			s.report(ep)
		}
	}
	return s.stats, nil
}

func cmpOr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// readLoop reads and parses datagrams from c into out. It exits when c is
// closed (the scan ended), its deadline passes, ctx ends while a packet
// waits to be handed over, or after maxReadErrors errors in a row.
func readLoop(ctx context.Context, i int, c packetConn, deadline time.Time, out chan<- packet, readErrs *int) {
	_ = c.SetReadDeadline(deadline) // a safety net only: Close ends the read too
	read := func(b []byte) (int, netip.AddrPort, string, error) {
		n, from, err := c.ReadFromUDPAddrPort(b)
		return n, from, "", err
	}
	if a, ok := c.(*announceConn); ok {
		read = a.readFrom
	}
	buf := make([]byte, MaxDatagram)
	consecutive := 0
	for {
		n, from, ifname, err := read(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) || errors.Is(err, os.ErrDeadlineExceeded) {
				return
			}
			*readErrs++
			if consecutive++; consecutive >= maxReadErrors {
				return
			}
			continue
		}
		consecutive = 0
		msg, err := Parse(buf[:n]) // Parse does not retain buf
		select {
		case out <- packet{link: i, ifname: ifname, from: from, at: time.Now(), msg: msg, err: err}:
		case <-ctx.Done():
			return
		}
	}
}

// probe sends every probe type on every link, cfg.Repeats rounds
// probeSpacing apart. A link whose send fails is recorded and left out of
// later rounds. It exits after the last round or when ctx ends.
func probe(ctx context.Context, cfg Config, links []link, sends []sendState) {
	timer := time.NewTimer(probeSpacing)
	defer timer.Stop()
	for round := range cfg.Repeats {
		if round > 0 {
			timer.Reset(probeSpacing)
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
		}
		for i, l := range links {
			for _, t := range cfg.Types {
				if sends[i].err != nil {
					break
				}
				// A fresh MessageID per send: a device that drops
				// retransmissions would otherwise not answer a repeat
				// whose first copy it answered into a lost reply.
				_, err := l.conn.WriteToUDPAddrPort(Probe([]Type{t}, NewMessageID()), l.group)
				if ctx.Err() != nil {
					return
				}
				if err != nil {
					sends[i].err = fmt.Errorf("probing on %s: %w", l.name, err)
					continue
				}
				sends[i].sent++
			}
		}
	}
}
