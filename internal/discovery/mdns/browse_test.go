package mdns

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"slices"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/miekg/dns"

	"sitekeeper/internal/discovery/netif"
)

// Records as avahi sends them (lab-notes §3.3): PTR in the answer, SRV,
// TXT, A and a link-local AAAA in the additional section.

const (
	axisInstance = `AXIS\ M3045-V\ -\ ACCC8E123456._axis-video._tcp.local.`
	axisHost     = "axis-accc8e123456.local."
	printerInst  = `HP\ LaserJet\ Pro\ M404dn._ipp._tcp.local.`
	printerHost  = "hp-printer.local."
)

func hdr(name string, t uint16, ttl uint32) dns.RR_Header {
	return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: ttl}
}

func ptr(service, instance string) *dns.PTR {
	return &dns.PTR{Hdr: hdr(service, dns.TypePTR, 10), Ptr: instance}
}

func srv(instance, target string, port uint16) *dns.SRV {
	return &dns.SRV{Hdr: hdr(instance, dns.TypeSRV, 10), Target: target, Port: port}
}

func txt(instance string, strs ...string) *dns.TXT {
	return &dns.TXT{Hdr: hdr(instance, dns.TypeTXT, 10), Txt: strs}
}

func a(host, addr string) *dns.A {
	return &dns.A{Hdr: hdr(host, dns.TypeA, 10), A: net.ParseIP(addr)}
}

func aaaa(host, addr string) *dns.AAAA {
	return &dns.AAAA{Hdr: hdr(host, dns.TypeAAAA, 10), AAAA: net.ParseIP(addr)}
}

func response(answer []dns.RR, extra ...dns.RR) *dns.Msg {
	m := &dns.Msg{Answer: answer, Extra: extra}
	m.Response = true
	m.Authoritative = true
	return m
}

func axisAnswer() *dns.Msg {
	return response([]dns.RR{ptr("_axis-video._tcp.local.", axisInstance)},
		srv(axisInstance, axisHost, 80),
		txt(axisInstance, "macaddress=ACCC8E123456"),
		a(axisHost, "198.18.200.10"),
		aaaa(axisHost, "fe80::aecc:8eff:fe12:3456"))
}

func printerAnswer() *dns.Msg {
	return response([]dns.RR{ptr("_ipp._tcp.local.", printerInst)},
		srv(printerInst, printerHost, 631),
		txt(printerInst, "txtvers=1", "ty=HP LaserJet Pro M404dn", "usb_MFG=HP", "usb_MDL=LaserJet Pro M404dn"),
		a(printerHost, "198.18.200.11"))
}

func metaAnswer(types ...string) *dns.Msg {
	var rrs []dns.RR
	for _, t := range types {
		rrs = append(rrs, ptr(metaQuery, t+".local."))
	}
	return response(rrs)
}

// fakeConn is an in-memory socket. Each query written is handed to
// respond, whose answers are queued for reading, as a LAN would.
type fakeConn struct {
	respond  func(q *dns.Msg) []*dns.Msg
	writeErr error
	in       chan []byte
	closed   chan struct{}
	once     sync.Once

	mu      sync.Mutex
	queries []*dns.Msg
}

func newFakeConn(respond func(q *dns.Msg) []*dns.Msg) *fakeConn {
	return &fakeConn{respond: respond, in: make(chan []byte, 1024), closed: make(chan struct{})}
}

func (c *fakeConn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	select {
	case p := <-c.in:
		return copy(b, p), netip.MustParseAddrPort("198.18.0.254:5353"), nil
	case <-c.closed:
		return 0, netip.AddrPort{}, net.ErrClosed
	}
}

func (c *fakeConn) WriteToUDPAddrPort(b []byte, to netip.AddrPort) (int, error) {
	if c.writeErr != nil {
		return 0, c.writeErr
	}
	if to != mdnsGroup {
		return 0, fmt.Errorf("query sent to %v; want %v", to, mdnsGroup)
	}
	q := new(dns.Msg)
	if err := q.Unpack(b); err != nil {
		return 0, fmt.Errorf("unpacking our own query: %w", err)
	}
	c.mu.Lock()
	c.queries = append(c.queries, q)
	c.mu.Unlock()
	if c.respond != nil {
		for _, m := range c.respond(q) {
			c.push(m)
		}
	}
	return len(b), nil
}

func (c *fakeConn) push(m *dns.Msg) {
	b, err := m.Pack()
	if err != nil {
		panic(err)
	}
	select {
	case c.in <- b:
	default: // a full buffer drops, as a socket does
	}
}

func (c *fakeConn) SetReadDeadline(time.Time) error { return nil }
func (c *fakeConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

// questions returns every question sent, as "TYPE name".
func (c *fakeConn) questions() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var qs []string
	for _, m := range c.queries {
		for _, q := range m.Question {
			qs = append(qs, dns.TypeToString[q.Qtype]+" "+q.Name)
		}
	}
	return qs
}

// asks reports whether q holds a question of type t for name.
func asks(q *dns.Msg, t uint16, name string) bool {
	return slices.ContainsFunc(q.Question, func(x dns.Question) bool {
		return x.Qtype == t && dns.CanonicalName(x.Name) == dns.CanonicalName(name)
	})
}

// browseFake runs a browse over fake links and returns its results.
func browseFake(t *testing.T, ctx context.Context, cfg Config, conns map[string]*fakeConn) ([]Result, Stats, error) {
	t.Helper()
	var links []link
	for _, name := range slices.Sorted(maps.Keys(conns)) {
		links = append(links, link{name: name, conn: conns[name]})
	}
	return browseLinks(ctx, cfg, links)
}

func browseLinks(ctx context.Context, cfg Config, links []link) ([]Result, Stats, error) {
	var results []Result
	st, err := run(ctx, cfg, links, Stats{}, func(r Result) { results = append(results, r) })
	return results, st, err
}

func TestBrowseOneAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newFakeConn(func(q *dns.Msg) []*dns.Msg {
			if asks(q, dns.TypePTR, "_axis-video._tcp.local.") {
				return []*dns.Msg{axisAnswer()}
			}
			return nil
		})
		start := time.Now()
		got, st, err := browseFake(t, t.Context(), Config{}, map[string]*fakeConn{"eth0": c})
		if err != nil {
			t.Fatalf("Browse = %v", err)
		}
		if d := time.Since(start); d != DefaultWait {
			t.Errorf("Browse took %v; want DefaultWait %v", d, DefaultWait)
		}
		want := Result{
			Instance: "AXIS M3045-V - ACCC8E123456", Service: "_axis-video._tcp", Host: axisHost,
			Addrs: []netip.Addr{netip.MustParseAddr("198.18.200.10")}, Port: 80,
			TXT: map[string]string{"macaddress": "ACCC8E123456"}, Interface: "eth0",
			MAC: "ac:cc:8e:12:34:56", Manufacturer: "Axis", Model: "M3045-V",
		}
		// The query is asked twice (second round), the answer merged once.
		if len(got) != 1 || !equalResult(got[0], want) {
			t.Fatalf("Browse results = %+v; want one %+v", got, want)
		}
		if st.Results != 1 || !slices.Equal(st.Interfaces, []string{"eth0"}) {
			t.Errorf("Stats = %+v; want 1 result on eth0", st)
		}
		qs := c.questions()
		for _, s := range append(slices.Clone(DefaultServices), "_services._dns-sd._udp") {
			if n := count(qs, "PTR "+s+".local."); n != 2 {
				t.Errorf("PTR %s asked %d times; want 2 (two rounds)", s, n)
			}
		}
	})
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func equalResult(a, b Result) bool {
	return a.Instance == b.Instance && a.Service == b.Service && a.Host == b.Host &&
		slices.Equal(a.Addrs, b.Addrs) && a.Port == b.Port && maps.Equal(a.TXT, b.TXT) &&
		a.Interface == b.Interface && a.MAC == b.MAC && a.Manufacturer == b.Manufacturer &&
		a.Model == b.Model && a.Update == b.Update
}

// TestBrowseResolves: a responder that answers only what is asked, one
// record type per message, is resolved with SRV/TXT then A questions.
func TestBrowseResolves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newFakeConn(func(q *dns.Msg) []*dns.Msg {
			var out []*dns.Msg
			if asks(q, dns.TypePTR, "_ipp._tcp.local.") {
				out = append(out, response([]dns.RR{ptr("_ipp._tcp.local.", printerInst)}))
			}
			if asks(q, dns.TypeSRV, printerInst) {
				out = append(out, response([]dns.RR{srv(printerInst, printerHost, 631)}))
			}
			if asks(q, dns.TypeTXT, printerInst) {
				out = append(out, response([]dns.RR{txt(printerInst, "usb_MFG=HP", "usb_MDL=LaserJet Pro M404dn")}))
			}
			if asks(q, dns.TypeA, printerHost) {
				out = append(out, response([]dns.RR{a(printerHost, "198.18.200.11")}))
			}
			return out
		})
		got, _, err := browseFake(t, t.Context(), Config{Services: []string{"_ipp._tcp"}, Wait: time.Second}, map[string]*fakeConn{"eth1": c})
		if err != nil {
			t.Fatalf("Browse = %v", err)
		}
		if len(got) != 1 || got[0].Host != printerHost || got[0].Port != 631 ||
			!slices.Equal(got[0].Addrs, []netip.Addr{netip.MustParseAddr("198.18.200.11")}) ||
			got[0].Manufacturer != "HP" || got[0].Model != "LaserJet Pro M404dn" || got[0].Interface != "eth1" {
			t.Fatalf("Browse results = %+v; want the resolved printer", got)
		}
		qs := c.questions()
		for _, q := range []string{"SRV " + printerInst, "TXT " + printerInst, "A " + printerHost} {
			if n := count(qs, q); n != 1 {
				t.Errorf("%s asked %d times; want 1", q, n)
			}
		}
	})
}

// TestBrowseMulticastFallback: a TXT record too big for a one-shot reply
// (avahi drops it) is asked once more from the port-5353 listener.
func TestBrowseMulticastFallback(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		full := printerAnswer()
		oneShot := newFakeConn(func(q *dns.Msg) []*dns.Msg {
			if asks(q, dns.TypePTR, "_ipp._tcp.local.") {
				m := full.Copy()
				m.Extra = slices.DeleteFunc(m.Extra, func(rr dns.RR) bool { return rr.Header().Rrtype == dns.TypeTXT })
				return []*dns.Msg{m}
			}
			return nil
		})
		mc := newFakeConn(func(q *dns.Msg) []*dns.Msg {
			if q.Id == 0 && asks(q, dns.TypeTXT, printerInst) {
				return []*dns.Msg{response(nil, full.Extra...)}
			}
			return nil
		})
		got, st, err := browseLinks(t.Context(), Config{Services: []string{"_ipp._tcp"}},
			[]link{{name: "eth0", conn: oneShot, mc: mc}, {name: "wlan0", conn: newFakeConn(nil), mcErr: syscall.EADDRINUSE}})
		if err != nil {
			t.Fatalf("Browse = %v", err)
		}
		if len(got) != 1 || got[0].TXT["usb_mdl"] != "LaserJet Pro M404dn" {
			t.Fatalf("Browse results = %+v; want the printer with its TXT", got)
		}
		if n := count(oneShot.questions(), "TXT "+printerInst); n != maxAsks {
			t.Errorf("one-shot TXT asked %d times; want %d", n, maxAsks)
		}
		if qs := mc.questions(); !slices.Equal(qs, []string{"SRV " + printerInst, "TXT " + printerInst}) {
			t.Errorf("multicast questions = %q; want SRV and TXT once", qs)
		}
		if st.NoListener["wlan0"] == "" || len(st.NoListener) != 1 {
			t.Errorf("Stats.NoListener = %v; want wlan0's error", st.NoListener)
		}
	})
}

// TestBrowseUpdate: a second address arriving later reports the instance
// again with Update set and both addresses; repeats report nothing.
func TestBrowseUpdate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newFakeConn(func(q *dns.Msg) []*dns.Msg {
			if asks(q, dns.TypePTR, "_axis-video._tcp.local.") {
				return []*dns.Msg{axisAnswer()}
			}
			return nil
		})
		go func() {
			time.Sleep(500 * time.Millisecond)
			c.push(response(nil, a(axisHost, "198.18.200.10"))) // nothing new
			c.push(response(nil, aaaa(axisHost, "2001:db8::10")))
		}()
		got, st, err := browseFake(t, t.Context(), Config{Services: []string{"_axis-video._tcp"}}, map[string]*fakeConn{"eth0": c})
		if err != nil {
			t.Fatalf("Browse = %v", err)
		}
		if len(got) != 2 || got[0].Update || !got[1].Update {
			t.Fatalf("Browse results = %+v; want a report and one update", got)
		}
		want := []netip.Addr{netip.MustParseAddr("198.18.200.10"), netip.MustParseAddr("2001:db8::10")}
		if !slices.Equal(got[1].Addrs, want) {
			t.Errorf("update Addrs = %v; want %v", got[1].Addrs, want)
		}
		if st.Results != 1 {
			t.Errorf("Stats.Results = %d; want 1", st.Results)
		}
	})
}

// TestBrowseMeta: types listed in answer to the meta-query are browsed
// too, at most maxExtraTypes of them, and listed in Stats.Services.
func TestBrowseMeta(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		extra := []string{"_axis-video._tcp", "_sleep-proxy._udp"}
		for i := range 40 {
			extra = append(extra, fmt.Sprintf("_x%d._tcp", i))
		}
		const inst = `Bridge._sleep-proxy._udp.local.`
		c := newFakeConn(func(q *dns.Msg) []*dns.Msg {
			var out []*dns.Msg
			if asks(q, dns.TypePTR, metaQuery) {
				out = append(out, metaAnswer(extra...))
			}
			if asks(q, dns.TypePTR, "_sleep-proxy._udp.local.") {
				out = append(out, response([]dns.RR{ptr("_sleep-proxy._udp.local.", inst)},
					srv(inst, "bridge.local.", 5353), txt(inst, ""), a("bridge.local.", "198.18.200.12")))
			}
			return out
		})
		got, st, err := browseFake(t, t.Context(), Config{Services: []string{"_axis-video._tcp"}}, map[string]*fakeConn{"eth0": c})
		if err != nil {
			t.Fatalf("Browse = %v", err)
		}
		if len(got) != 1 || got[0].Service != "_sleep-proxy._udp" || got[0].TXT != nil {
			t.Errorf("Browse results = %+v; want the _sleep-proxy._udp instance with no TXT pairs", got)
		}
		if len(st.Services) != len(extra) || !slices.Contains(st.Services, "_sleep-proxy._udp") {
			t.Errorf("Stats.Services = %v; want all %d types", st.Services, len(extra))
		}
		browsed := map[string]bool{}
		for _, q := range c.questions() {
			browsed[q] = true
		}
		// Beside the meta-query and _axis-video, 32 of the 41 new types.
		if n := len(browsed) - 2; n != maxExtraTypes {
			t.Errorf("%d extra types queried; want %d", n, maxExtraTypes)
		}
	})
}

// TestBrowseIncomplete: an instance whose SRV never comes is reported at
// the end with what is known; goodbyes, queries and garbage are ignored.
func TestBrowseIncomplete(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const gone = `Gone._rtsp._tcp.local.`
		c := newFakeConn(func(q *dns.Msg) []*dns.Msg {
			if !asks(q, dns.TypePTR, "_rtsp._tcp.local.") {
				return nil
			}
			bye := ptr("_rtsp._tcp.local.", gone)
			bye.Hdr.Ttl = 0
			query := new(dns.Msg)
			query.SetQuestion("_rtsp._tcp.local.", dns.TypePTR)
			query.Answer = []dns.RR{ptr("_rtsp._tcp.local.", `Query._rtsp._tcp.local.`)}
			return []*dns.Msg{response([]dns.RR{ptr("_rtsp._tcp.local.", `Mute._rtsp._tcp.local.`), bye}), query}
		})
		c.in <- []byte{0xde, 0xad}
		got, st, err := browseFake(t, t.Context(), Config{Services: []string{"_rtsp._tcp"}}, map[string]*fakeConn{"eth0": c})
		if err != nil {
			t.Fatalf("Browse = %v", err)
		}
		if len(got) != 1 || got[0].Instance != "Mute" || got[0].Host != "" || got[0].Addrs != nil {
			t.Errorf("Browse results = %+v; want Mute alone, without host", got)
		}
		if st.Malformed != 1 {
			t.Errorf("Stats.Malformed = %d; want 1", st.Malformed)
		}
		if n := count(c.questions(), "SRV "+`Mute._rtsp._tcp.local.`); n != maxAsks {
			t.Errorf("SRV asked %d times; want %d", n, maxAsks)
		}
	})
}

// TestBrowseSendError: an interface whose sends fail is skipped; when all
// fail, Browse returns ErrNoInterfaces at once.
func TestBrowseSendError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		bad := newFakeConn(nil)
		bad.writeErr = syscall.ENETUNREACH
		good := newFakeConn(func(q *dns.Msg) []*dns.Msg {
			if asks(q, dns.TypePTR, "_axis-video._tcp.local.") {
				return []*dns.Msg{axisAnswer()}
			}
			return nil
		})
		got, st, err := browseFake(t, t.Context(), Config{}, map[string]*fakeConn{"vpn0": bad, "eth0": good})
		if err != nil {
			t.Fatalf("Browse = %v", err)
		}
		if len(got) != 1 || got[0].Interface != "eth0" {
			t.Errorf("Browse results = %+v; want the camera on eth0", got)
		}
		if !slices.Equal(st.Interfaces, []string{"eth0"}) || st.Skipped["vpn0"] == "" {
			t.Errorf("Stats = %+v; want eth0 browsed and vpn0 skipped", st)
		}

		bad2 := newFakeConn(nil)
		bad2.writeErr = syscall.ENETUNREACH
		start := time.Now()
		_, st, err = browseFake(t, t.Context(), Config{}, map[string]*fakeConn{"vpn0": bad2})
		if !errors.Is(err, ErrNoInterfaces) || time.Since(start) != 0 {
			t.Errorf("Browse with every send failing = %v after %v; want ErrNoInterfaces at once", err, time.Since(start))
		}
		if st.Skipped["vpn0"] == "" {
			t.Errorf("Stats.Skipped = %v; want vpn0's send error", st.Skipped)
		}
	})
}

func TestBrowseCanceled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
		defer cancel()
		c := newFakeConn(nil)
		_, _, err := browseFake(t, ctx, Config{Wait: time.Hour}, map[string]*fakeConn{"eth0": c})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Browse = %v; want context.DeadlineExceeded", err)
		}
	})
}

// TestOpenLinksSkips checks interface selection without opening a socket:
// every interface offered is unusable.
func TestOpenLinksSkips(t *testing.T) {
	ifs := []net.Interface{
		{Index: 1, Name: "lo", Flags: net.FlagUp | net.FlagLoopback | net.FlagMulticast},
		{Index: 1 << 30, Name: "down0", Flags: net.FlagMulticast},
		{Index: 1 << 30, Name: "wg0", Flags: net.FlagUp | net.FlagPointToPoint},
	}
	links, skipped, err := openLinks(ifs)
	if err != nil || len(links) != 0 {
		t.Fatalf("openLinks = %d links, %v; want none, nil", len(links), err)
	}
	want := map[string]string{"lo": netif.ErrLoopback.Error(), "down0": netif.ErrDown.Error(), "wg0": netif.ErrNoMulticast.Error()}
	if !maps.Equal(skipped, want) {
		t.Errorf("openLinks skipped %v; want %v", skipped, want)
	}
}
