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
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"sitekeeper/internal/inventory"
)

// fakeConn is an in-memory socket: what the scan writes goes to respond,
// which schedules replies; nothing touches the network.
type fakeConn struct {
	local    netip.AddrPort
	in       chan fakeDatagram
	closed   chan struct{}
	close    func()
	writeErr error
	respond  func(c *fakeConn, msg Message)

	mu       sync.Mutex
	deadline time.Time
	writes   []Message
}

type fakeDatagram struct {
	from netip.AddrPort
	b    []byte
}

func newFakeConn(local string, respond func(*fakeConn, Message)) *fakeConn {
	c := &fakeConn{
		local:   netip.MustParseAddrPort(local),
		in:      make(chan fakeDatagram, 1024),
		closed:  make(chan struct{}),
		respond: respond,
	}
	c.close = sync.OnceFunc(func() { close(c.closed) })
	return c
}

func (c *fakeConn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	c.mu.Lock()
	d := c.deadline
	c.mu.Unlock()
	var timeout <-chan time.Time
	if !d.IsZero() {
		t := time.NewTimer(time.Until(d))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case dg := <-c.in:
		return copy(b, dg.b), dg.from, nil
	case <-c.closed:
		return 0, netip.AddrPort{}, net.ErrClosed
	case <-timeout:
		return 0, netip.AddrPort{}, os.ErrDeadlineExceeded
	}
}

func (c *fakeConn) WriteToUDPAddrPort(b []byte, to netip.AddrPort) (int, error) {
	select {
	case <-c.closed:
		return 0, net.ErrClosed
	default:
	}
	if c.writeErr != nil {
		return 0, c.writeErr
	}
	msg, err := Parse(b)
	if err != nil {
		panic(fmt.Sprintf("scanner sent a malformed datagram: %v", err))
	}
	c.mu.Lock()
	c.writes = append(c.writes, msg)
	c.mu.Unlock()
	if c.respond != nil {
		c.respond(c, msg)
	}
	return len(b), nil
}

func (c *fakeConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return nil
}

func (c *fakeConn) Close() error { c.close(); return nil }

func (c *fakeConn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// sent counts the messages of kind the scanner sent on c.
func (c *fakeConn) sent(kind Kind) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, m := range c.writes {
		if m.Kind == kind {
			n++
		}
	}
	return n
}

// deliver sends b to the scanner from from after delay, on its own
// goroutine (inside the test's synctest bubble), unless the conn closed.
func (c *fakeConn) deliver(from string, delay time.Duration, b []byte) {
	go func() {
		time.Sleep(delay)
		select {
		case c.in <- fakeDatagram{netip.MustParseAddrPort(from), b}:
		case <-c.closed:
		}
	}()
}

// probed reports whether msg is a Probe for type t.
func probed(msg Message, t Type) bool {
	return msg.Kind == KindProbe && len(msg.Matches) == 1 && slices.Equal(msg.Matches[0].Types, []QName{t.QName()})
}

// probeMatch is a ProbeMatches with a fresh MessageID.
func probeMatch(epr, types, scopes, xaddrs string) []byte {
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="%s" xmlns:a="%s" xmlns:d="%s" xmlns:dn="%s" xmlns:tds="%s">
<s:Header><a:MessageID>%s</a:MessageID><a:Action>%sProbeMatches</a:Action></s:Header>
<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>%s</a:Address></a:EndpointReference>
<d:Types>%s</d:Types><d:Scopes>%s</d:Scopes><d:XAddrs>%s</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>
</d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`,
		NSSOAP12, NSAddressing, NSDiscovery, NSONVIFNetwork, NSONVIFDevice, NewMessageID(), actionPrefix, epr, types, scopes, xaddrs)
}

// runFake runs a scan over fake links and returns what it reported.
func runFake(ctx context.Context, cfg Config, conns ...*fakeConn) ([]Result, Stats, error) {
	var links []link
	for i, c := range conns {
		links = append(links, link{name: fmt.Sprintf("eth%d", i), local: c.local, conn: c})
	}
	var got []Result
	stats, err := run(ctx, cfg.withDefaults(), links, nil, Stats{}, nil, func(r Result) { got = append(got, r) })
	return got, stats, err
}

const (
	hikEPR  = "urn:uuid:cea94000-fb96-11b3-8260-686dbc5cb15d"
	tapoEPR = "uuid:3fa1fe68-b915-4053-a3e1-c006c3afec0e"
	wsddEPR = "urn:uuid:11111111-2222-3333-4444-555555555555"
)

// TestScanFixtures runs a whole scan against captured replies: a
// Hikvision and a Tapo camera whose captures carry no MessageID (so
// deduplicated by endpoint), a wsdd host answering wsdp:Device twice without XAddrs (so
// resolved), and a garbage datagram.
func TestScanFixtures(t *testing.T) {
	hik := readFixture(t, "hikvision-ProbeMatch-nsfixed.xml")
	tapo := readFixture(t, "tplink-tapo-ProbeMatch-nsless.xml")
	wsddPM := readFixture(t, "wsdd-ProbeMatch.xml")
	wsddRM := readFixture(t, "wsdd-ResolveMatch.xml")
	synctest.Test(t, func(t *testing.T) {
		c := newFakeConn("198.18.0.1:50000", func(c *fakeConn, msg Message) {
			switch {
			case probed(msg, TypeNetworkVideoTransmitter), probed(msg, TypeONVIFDevice):
				c.deliver("198.18.1.10:3702", 30*time.Millisecond, hik)
				c.deliver("198.18.1.11:3702", 400*time.Millisecond, tapo)
			case probed(msg, TypeWSDPDevice):
				c.deliver("198.18.1.12:3702", 10*time.Millisecond, wsddPM)
				c.deliver("198.18.1.12:3702", 20*time.Millisecond, wsddPM)
				c.deliver("198.18.1.13:3702", 5*time.Millisecond, []byte("<not xml"))
			case msg.Kind == KindResolve && msg.Matches[0].EndpointRef == wsddEPR:
				c.deliver("198.18.1.12:3702", 50*time.Millisecond, wsddRM)
				c.deliver("198.18.1.12:3702", 60*time.Millisecond, wsddRM)
			}
		})
		start := time.Now()
		got, stats, err := runFake(t.Context(), Config{}, c)
		if err != nil {
			t.Fatalf("Scan = %v; want nil", err)
		}
		if d := time.Since(start); d != DefaultWait {
			t.Errorf("Scan took %v; want %v", d, DefaultWait)
		}
		if !c.isClosed() {
			t.Error("socket still open after Scan")
		}

		want := map[string]struct {
			class  inventory.Class
			xaddrs []string
			from   string
		}{
			hikEPR:  {inventory.ClassCamera, []string{"http://192.168.12.123/onvif/device_service"}, "198.18.1.10:3702"},
			tapoEPR: {inventory.ClassCamera, []string{"http://192.168.12.128:2020/onvif/device_service"}, "198.18.1.11:3702"},
			wsddEPR: {inventory.ClassComputer, []string{"http://198.18.1.11:5357/11111111-2222-3333-4444-555555555555"}, "198.18.1.12:3702"},
		}
		if len(got) != len(want) {
			t.Fatalf("%d results %v; want %d", len(got), eprs(got), len(want))
		}
		for _, r := range got {
			w, ok := want[r.Match.EndpointRef]
			if !ok {
				t.Errorf("unexpected result %s", r.Match.EndpointRef)
				continue
			}
			if r.Update || r.Class != w.class || r.From.String() != w.from || r.Interface != "eth0" || r.At.IsZero() {
				t.Errorf("%s: Update %v Class %q From %s Interface %q At %v; want false %q %s eth0 and a time",
					r.Match.EndpointRef, r.Update, r.Class, r.From, r.Interface, r.At, w.class, w.from)
			}
			if !slices.Equal(r.Match.XAddrs, w.xaddrs) {
				t.Errorf("%s: XAddrs = %q; want %q", r.Match.EndpointRef, r.Match.XAddrs, w.xaddrs)
			}
		}
		is := stats.Interfaces[0]
		if is.ProbesSent != 6 || is.ResolvesSent != 1 || is.Err != nil {
			t.Errorf("interface stats = %+v; want 6 probes, 1 resolve, no error", is)
		}
		if c.sent(KindResolve) != 1 {
			t.Errorf("%d Resolves sent; want 1", c.sent(KindResolve))
		}
		// Received: hik 4 + tapo 4 + wsdd ProbeMatch 4 + garbage 2 + wsdd
		// ResolveMatch 2. Duplicates (same MessageID): wsdd's 3 + 1.
		// Repeats (same endpoint, nothing new): hik 3, tapo 3.
		type counts struct{ Received, Duplicates, Repeats, Malformed, Ignored, Devices int }
		wantStats := counts{Received: 16, Duplicates: 4, Repeats: 6, Malformed: 2, Devices: 3}
		if got := (counts{stats.Received, stats.Duplicates, stats.Repeats, stats.Malformed, stats.Ignored, stats.Devices}); got != wantStats {
			t.Errorf("Stats counts = %+v; want %+v", got, wantStats)
		}
	})
}

func eprs(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s(update=%v)", r.Match.EndpointRef, r.Update))
	}
	return out
}

// TestScanMerge checks that a device answering two probes with different
// Types and XAddrs is one device: reported once, then updated once with
// the union.
func TestScanMerge(t *testing.T) {
	const epr = "urn:uuid:00000000-0000-0000-0000-000000000001"
	synctest.Test(t, func(t *testing.T) {
		c := newFakeConn("198.18.0.1:50000", func(c *fakeConn, msg Message) {
			switch {
			case probed(msg, TypeNetworkVideoTransmitter):
				c.deliver("198.18.1.10:3702", 10*time.Millisecond,
					probeMatch(epr, "dn:NetworkVideoTransmitter", "onvif://www.onvif.org/name/A", "http://198.18.1.10/onvif/device_service"))
			case probed(msg, TypeONVIFDevice):
				c.deliver("198.18.1.10:3702", 20*time.Millisecond,
					probeMatch(epr, "tds:Device", "onvif://www.onvif.org/name/A onvif://www.onvif.org/Profile/Streaming",
						"http://198.18.1.10/onvif/device_service http://[fe80::1]/onvif/device_service"))
			}
		})
		got, stats, err := runFake(t.Context(), Config{Wait: time.Second}, c)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Update || !got[1].Update {
			t.Fatalf("results %v; want one report and one update", eprs(got))
		}
		m := got[1].Match
		if want := []QName{TypeNetworkVideoTransmitter.QName(), TypeONVIFDevice.QName()}; !slices.Equal(m.Types, want) {
			t.Errorf("merged Types = %v; want %v", m.Types, want)
		}
		if want := []string{"dn:NetworkVideoTransmitter", "tds:Device"}; !slices.Equal(m.RawTypes, want) {
			t.Errorf("merged RawTypes = %q; want %q", m.RawTypes, want)
		}
		if len(m.Scopes) != 2 || len(m.XAddrs) != 2 {
			t.Errorf("merged Scopes %q XAddrs %q; want 2 of each", m.Scopes, m.XAddrs)
		}
		if len(got[0].Match.XAddrs) != 1 {
			t.Errorf("first report changed after the fact: XAddrs %q", got[0].Match.XAddrs)
		}
		if stats.Devices != 1 || stats.Repeats != 2 {
			t.Errorf("Stats = %+v; want 1 device, 2 repeats (the second round)", stats)
		}
	})
}

// TestScanUnresolved checks that a device without XAddrs whose Resolve
// goes unanswered is reported once, at the end of the wait.
func TestScanUnresolved(t *testing.T) {
	wsddPM := readFixture(t, "wsdd-ProbeMatch.xml")
	synctest.Test(t, func(t *testing.T) {
		c := newFakeConn("198.18.0.1:50000", func(c *fakeConn, msg Message) {
			if probed(msg, TypeWSDPDevice) {
				c.deliver("198.18.1.12:3702", 10*time.Millisecond, wsddPM)
			}
		})
		start := time.Now()
		var got []Result
		links := []link{{name: "eth0", local: c.local, conn: c}}
		_, err := run(t.Context(), Config{}.withDefaults(), links, nil, Stats{}, nil, func(r Result) {
			if d := time.Since(start); d != DefaultWait {
				t.Errorf("reported after %v; want at the end of the wait, %v", d, DefaultWait)
			}
			got = append(got, r)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Match.EndpointRef != wsddEPR || len(got[0].Match.XAddrs) != 0 || got[0].Update {
			t.Errorf("results %v; want %s once, without XAddrs", eprs(got), wsddEPR)
		}
		if n := c.sent(KindResolve); n != 1 {
			t.Errorf("%d Resolves sent; want 1", n)
		}
	})
}

// TestScanSendError checks a multi-homed host whose first interface
// fails to send (a VPN without a multicast route): it is recorded, and the
// second interface still finds its device.
func TestScanSendError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		bad := newFakeConn("10.8.0.2:50000", nil)
		bad.writeErr = syscall.ENETUNREACH
		good := newFakeConn("198.18.0.1:50001", func(c *fakeConn, msg Message) {
			if probed(msg, TypeNetworkVideoTransmitter) {
				c.deliver("198.18.1.10:3702", 10*time.Millisecond,
					probeMatch("urn:uuid:1", "dn:NetworkVideoTransmitter", "", "http://198.18.1.10/onvif/device_service"))
			}
		})
		got, stats, err := runFake(t.Context(), Config{}, bad, good)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Interface != "eth1" {
			t.Errorf("results %v; want one, on eth1", eprs(got))
		}
		b, g := stats.Interfaces[0], stats.Interfaces[1]
		if !errors.Is(b.Err, syscall.ENETUNREACH) || b.ProbesSent != 0 {
			t.Errorf("eth0 stats %+v; want ENETUNREACH and no probes", b)
		}
		if g.Err != nil || g.ProbesSent != 6 {
			t.Errorf("eth1 stats %+v; want 6 probes, no error", g)
		}
		if !bad.isClosed() || !good.isClosed() {
			t.Error("a socket is still open after Scan")
		}
	})
}

// TestScanCancel checks that cancelling ctx ends the scan at once, closes
// its sockets and reports nothing more.
func TestScanCancel(t *testing.T) {
	wsddPM := readFixture(t, "wsdd-ProbeMatch.xml")
	synctest.Test(t, func(t *testing.T) {
		c := newFakeConn("198.18.0.1:50000", func(c *fakeConn, msg Message) {
			if probed(msg, TypeWSDPDevice) {
				c.deliver("198.18.1.12:3702", 10*time.Millisecond, wsddPM)
			}
		})
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(300*time.Millisecond, cancel)
		start := time.Now()
		got, _, err := runFake(ctx, Config{Wait: time.Hour}, c)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Scan = %v; want context.Canceled", err)
		}
		if d := time.Since(start); d != 300*time.Millisecond {
			t.Errorf("Scan returned after %v; want 300ms", d)
		}
		if len(got) != 0 {
			t.Errorf("results %v after cancel; want none (the unresolved host is not reported)", eprs(got))
		}
		if !c.isClosed() {
			t.Error("socket still open after Scan")
		}
	})
}

func TestConfigDefaults(t *testing.T) {
	got := Config{}.withDefaults()
	if got.Wait != 2*time.Second || got.Repeats != 2 || !slices.Equal(got.Types, []Type{TypeNetworkVideoTransmitter, TypeONVIFDevice, TypeWSDPDevice}) {
		t.Errorf("Config{}.withDefaults() = %+v; want 2s, 2 repeats, NVT/tds/wsdp", got)
	}
}
