//go:build linux

package wsd_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/discovery/netif"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/lab"
)

// labFamily is the lab.PIDPrefix family of this package's lab namespaces.
const labFamily = "skw"

// upLab brings up a lab of n devices answering with cfg, removed when tb
// ends (see lab.UpForTest and lab.ServeForTest).
func upLab(tb testing.TB, n int, cfg lab.ResponderConfig) (*lab.Lab, *lab.Responder) {
	tb.Helper()
	l := lab.UpForTest(tb, labFamily, n)
	return l, lab.ServeForTest(tb, l, cfg)
}

// scanIn runs s.Scan inside the lab's scanner namespace: every socket the
// scan opens belongs to that namespace, never the default one.
func scanIn(ctx context.Context, l *lab.Lab, s *wsd.Scanner, onResult func(wsd.Result)) (wsd.Stats, error) {
	var stats wsd.Stats
	err := l.InScanner(func() error {
		var err error
		stats, err = s.Scan(ctx, onResult)
		return err
	})
	return stats, err
}

// checkAll fails t unless got holds exactly one first report per device of
// l, with its endpoint reference, XAddrs, source and interface.
func checkAll(t *testing.T, l *lab.Lab, got []wsd.Result) {
	t.Helper()
	first := map[string]wsd.Result{}
	for _, r := range got {
		if r.Update {
			continue
		}
		if _, dup := first[r.Match.EndpointRef]; dup {
			t.Errorf("device %s reported twice", r.Match.EndpointRef)
		}
		first[r.Match.EndpointRef] = r
	}
	if len(first) != l.Devices() {
		t.Errorf("%d devices found; want %d", len(first), l.Devices())
	}
	for i := range l.Devices() {
		d := l.Device(i)
		r, ok := first[d.EndpointRef]
		if !ok {
			t.Errorf("device %d (%s, %s) not found", i, d.Addr, d.EndpointRef)
			continue
		}
		if !slices.Equal(r.Match.XAddrs, []string{d.XAddr}) {
			t.Errorf("device %d: XAddrs = %q; want %q", i, r.Match.XAddrs, d.XAddr)
		}
		if want := netip.AddrPortFrom(d.Addr, 3702); r.From != want || r.Interface != "eth0" {
			t.Errorf("device %d: from %s on %q; want %s on eth0", i, r.From, r.Interface, want)
		}
		if r.Class != inventory.ClassCamera {
			t.Errorf("device %d: Class = %q; want camera", i, r.Class)
		}
	}
}

// checkInterfaces fails t unless the scan probed eth0 only, over IPv4 from
// the scanner's address and over IPv6 from its link-local one, and skipped
// lo as loopback.
func checkInterfaces(t *testing.T, l *lab.Lab, stats wsd.Stats) {
	t.Helper()
	want := []netip.Addr{l.ScannerAddr(), lab.LinkLocal(l.ScannerAddr()).WithZone("eth0")}
	if len(stats.Interfaces) != len(want) {
		t.Fatalf("probed %+v; want eth0 at %v", stats.Interfaces, want)
	}
	for i, is := range stats.Interfaces {
		if is.Name != "eth0" || is.Local.Addr() != want[i] {
			t.Errorf("probed %s at %s; want eth0 at %s", is.Name, is.Local.Addr(), want[i])
		}
		if is.ProbesSent != 6 || is.Err != nil {
			t.Errorf("eth0 at %s: %d probes sent, error %v; want 6, none", is.Local.Addr(), is.ProbesSent, is.Err)
		}
	}
	if len(stats.Skipped) != 1 || stats.Skipped[0].Name != "lo" || !errors.Is(stats.Skipped[0].Err, netif.ErrLoopback) {
		t.Errorf("skipped %+v; want lo (loopback)", stats.Skipped)
	}
}

// TestScanLabIPv6 has every device answer over IPv4 and IPv6, and two over
// IPv6 alone: each is found once, by its IPv4 address where it answers
// there, else by its link-local address on ff02::c.
func TestScanLabIPv6(t *testing.T) {
	const n = 8
	only6 := []int{3, 6}
	l, _ := upLab(t, n, lab.ResponderConfig{MaxDelay: 50 * time.Millisecond, IPv6: true, IPv6Only: only6})
	first := map[string]wsd.Result{}
	stats, err := scanIn(t.Context(), l, wsd.NewScanner(wsd.Config{Wait: time.Second}), func(r wsd.Result) {
		if _, dup := first[r.Match.EndpointRef]; dup && !r.Update {
			t.Errorf("device %s reported twice", r.Match.EndpointRef)
		}
		if !r.Update {
			first[r.Match.EndpointRef] = r
		}
	})
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	checkInterfaces(t, l, stats)
	if stats.Interfaces[1].Received == 0 {
		t.Errorf("nothing received over IPv6: %+v", stats.Interfaces)
	}
	for i := range n {
		d := l.Device(i)
		r, ok := first[d.EndpointRef]
		if !ok {
			t.Errorf("device %d not found", i)
			continue
		}
		want := netip.AddrPortFrom(d.Addr, 3702)
		if slices.Contains(only6, i) {
			want = netip.AddrPortFrom(d.LinkLocal.WithZone("eth0"), 3702)
		}
		if r.From != want {
			t.Errorf("device %d: from %s; want %s", i, r.From, want)
		}
		if len(r.Match.XAddrs) != 2 {
			t.Errorf("device %d: XAddrs %q; want its IPv4 and IPv6 ones", i, r.Match.XAddrs)
		}
	}
	if len(first) != n {
		t.Errorf("%d devices found; want %d", len(first), n)
	}
}

// TestScanLab50 scans 50 devices answering with real-world delays (up to
// 500 ms, half of them twice) from the scanner namespace, all interfaces.
func TestScanLab50(t *testing.T) {
	const n = 50
	l, resp := upLab(t, n, lab.ResponderConfig{MaxDelay: lab.DefaultMaxDelay, Twice: 0.5})
	var got []wsd.Result
	start := time.Now()
	stats, err := scanIn(t.Context(), l, wsd.NewScanner(wsd.Config{}), func(r wsd.Result) { got = append(got, r) })
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	t.Logf("Scan took %v; stats %+v; responder %+v", time.Since(start), stats, resp.Stats())
	checkAll(t, l, got)
	checkInterfaces(t, l, stats)
	for _, r := range got {
		if r.At.Sub(start) > wsd.DefaultWait {
			t.Errorf("device %s found after %v; want within the wait", r.Match.EndpointRef, r.At.Sub(start))
		}
	}
	// Each device answers 4 of the 6 probes (not wsdp:Device), some twice.
	if stats.Devices != n || stats.Repeats < 3*n || stats.Duplicates == 0 || stats.Malformed != 0 {
		t.Errorf("Stats = %+v; want %d devices, >= %d repeats, some duplicates, none malformed", stats, n, 3*n)
	}
}

// TestScanLabMalformed sends a garbage datagram from a device's namespace
// to the scanner's socket mid-scan: counted, skipped, nothing lost.
func TestScanLabMalformed(t *testing.T) {
	const n = 20
	l, _ := upLab(t, n, lab.ResponderConfig{MaxDelay: 200 * time.Millisecond})
	s := wsd.NewScanner(wsd.Config{})
	port := make(chan netip.AddrPort, 1)
	wsd.SetOpened(s, func(is []wsd.InterfaceStats) { port <- is[0].Local })
	injected := make(chan error, 1)
	go func() {
		to := <-port
		injected <- l.InDevice(0, func() error {
			c, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(to))
			if err != nil {
				return err
			}
			defer c.Close()
			_, err = c.Write([]byte("<s:Envelope><broken"))
			return err
		})
	}()
	var got []wsd.Result
	stats, err := scanIn(t.Context(), l, s, func(r wsd.Result) { got = append(got, r) })
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if err := <-injected; err != nil {
		t.Fatalf("sending garbage: %v", err)
	}
	checkAll(t, l, got)
	if stats.Malformed != 1 {
		t.Errorf("Stats.Malformed = %d; want 1 (stats %+v)", stats.Malformed, stats)
	}
}

// TestScanLabCancel cancels a long scan once the first device is found:
// Scan returns promptly with context.Canceled.
func TestScanLabCancel(t *testing.T) {
	l, _ := upLab(t, 20, lab.RealTiming())
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var cancelled time.Time
	_, err := scanIn(ctx, l, wsd.NewScanner(wsd.Config{Wait: time.Minute}), func(wsd.Result) {
		if cancelled.IsZero() {
			cancelled = time.Now()
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Scan = %v; want context.Canceled", err)
	}
	// Generous for a loaded CI machine; the point is "not a minute".
	if d := time.Since(cancelled); d > 5*time.Second {
		t.Errorf("Scan returned %v after cancel; want promptly", d)
	}
}

// BenchmarkScanLab250 times a scan of 250 devices answering with
// real-world delays (0-500 ms, some twice): until the first and the last
// device is found. Reported as the median over the b.N scans.
func BenchmarkScanLab250(b *testing.B) {
	const n = 250
	l, _ := upLab(b, n, lab.RealTiming())
	var firsts, lasts []time.Duration
	for b.Loop() {
		var first, last time.Duration
		found := 0
		start := time.Now()
		stats, err := scanIn(b.Context(), l, wsd.NewScanner(wsd.Config{}), func(r wsd.Result) {
			if r.Update {
				return
			}
			found++
			d := r.At.Sub(start)
			if found == 1 {
				first = d
			}
			last = max(last, d)
		})
		if err != nil {
			b.Fatalf("Scan = %v", err)
		}
		if found != n {
			b.Fatalf("found %d devices; want %d (stats %+v)", found, n, stats)
		}
		b.Logf("first %v, last %v; received %d, duplicates %d, repeats %d", first, last, stats.Received, stats.Duplicates, stats.Repeats)
		firsts, lasts = append(firsts, first), append(lasts, last)
	}
	b.ReportMetric(median(firsts), "ms-first")
	b.ReportMetric(median(lasts), "ms-last")
}

func median(ds []time.Duration) float64 {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return float64(ds[len(ds)/2].Microseconds()) / 1000
}

// TestScanLabAnnouncements has one device answer no Probe: it is found
// from the Hello it multicasts mid-scan; another's Bye is counted.
func TestScanLabAnnouncements(t *testing.T) {
	const n, silent = 4, 2
	l, resp := upLab(t, n, lab.ResponderConfig{Silent: []int{silent}})
	s := wsd.NewScanner(wsd.Config{Wait: time.Second})
	announced := make(chan error, 1)
	wsd.SetOpened(s, func([]wsd.InterfaceStats) {
		go func() { announced <- errors.Join(resp.Announce(silent, true), resp.Announce(1, false)) }()
	})
	first := map[string]wsd.Result{}
	stats, err := scanIn(t.Context(), l, s, func(r wsd.Result) {
		if !r.Update {
			first[r.Match.EndpointRef] = r
		}
	})
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if err := <-announced; err != nil {
		t.Fatal(err)
	}
	if stats.AnnounceErr != nil {
		t.Fatalf("AnnounceErr = %v", stats.AnnounceErr)
	}
	d := l.Device(silent)
	r, ok := first[d.EndpointRef]
	if !ok {
		t.Fatalf("the silent device was not found from its Hello; stats %+v", stats)
	}
	if r.From.Addr() != d.Addr || r.Interface != "eth0" || len(r.Match.XAddrs) == 0 {
		t.Errorf("announced device: from %s on %q, XAddrs %q; want %s on eth0 with XAddrs", r.From, r.Interface, r.Match.XAddrs, d.Addr)
	}
	if len(first) != n || stats.Hellos != 1 || stats.Byes != 1 {
		t.Errorf("%d devices, %d Hellos, %d Byes; want %d, 1, 1 (stats %+v)", len(first), stats.Hellos, stats.Byes, n, stats)
	}
}

// TestScanLabWSDD scans a site with two real wsdd hosts (Debian's wsdd, as
// Samba servers run it; one dual-stack, one IPv4 only) among simulated
// cameras. wsdd answers only the wsdp:Device Probe, without XAddrs: the
// scan must Resolve each endpoint and take http://ADDR:5357/UUID from the
// ResolveMatch. The first scan runs while wsdd's start-up Hellos (4 each,
// over up to 1.25 s, with XAddrs) may still arrive; the second, after
// them, finds the hosts by Probe and Resolve alone.
func TestScanLabWSDD(t *testing.T) {
	lab.SkipUnlessLab(t)
	lab.SkipUnlessWSDD(t)
	const n = 4
	l, _ := upLab(t, n, lab.ResponderConfig{MaxDelay: 100 * time.Millisecond})
	_, w1 := lab.WSDDForTest(t, l, lab.WSDDConfig{Name: "FILESRV"})
	_, w2 := lab.WSDDForTest(t, l, lab.WSDDConfig{Name: "NVR-PC", IPv4Only: true})
	// The XAddrs each may give: its ResolveMatch or Hello over IPv4, or
	// over IPv6 (a link-local address, without its zone).
	xaddrs := func(w *lab.WSDD) []string {
		v6 := fmt.Sprintf("http://[%s]:%d/%s", lab.LinkLocal(w.Host.Addr), lab.WSDDPort, w.UUID)
		if w == w2 {
			return []string{w.XAddr()}
		}
		return []string{w.XAddr(), v6}
	}

	for _, steady := range []bool{false, true} {
		first := map[string]wsd.Result{}
		merged := map[string]wsd.Result{}
		stats, err := scanIn(t.Context(), l, wsd.NewScanner(wsd.Config{}), func(r wsd.Result) {
			if !r.Update {
				first[r.Match.EndpointRef] = r
			}
			merged[r.Match.EndpointRef] = r
		})
		if err != nil {
			t.Fatalf("Scan = %v", err)
		}
		resolves := 0
		for _, is := range stats.Interfaces {
			resolves += is.ResolvesSent
		}
		t.Logf("steady %v: %d resolves, %d hellos; stats %+v", steady, resolves, stats.Hellos, stats)
		for _, w := range []*lab.WSDD{w1, w2} {
			r, ok := first[w.EndpointRef()]
			if !ok {
				t.Errorf("wsdd %s (%s) not found; its log: %q", w.Name, w.EndpointRef(), w.Log())
				continue
			}
			got := merged[w.EndpointRef()].Match.XAddrs
			t.Logf("wsdd %s: first from %s, XAddrs %q", w.Name, r.From, got)
			if len(got) == 0 || slices.ContainsFunc(got, func(x string) bool { return !slices.Contains(xaddrs(w), x) }) {
				t.Errorf("wsdd %s: XAddrs %q; want some of %q, nothing else", w.Name, got, xaddrs(w))
			}
			// It answers over both families; it is reported from its IPv4
			// address with the IPv4 XAddr identification needs, even when
			// its IPv6 answer came first.
			if r.From.Addr() != w.Host.Addr || !slices.Contains(r.Match.XAddrs, w.XAddr()) {
				t.Errorf("wsdd %s: first reported from %s with XAddrs %q; want %s with %s", w.Name, r.From, r.Match.XAddrs, w.Host.Addr, w.XAddr())
			}
			if r.Class != inventory.ClassComputer || r.Interface != "eth0" {
				t.Errorf("wsdd %s: class %q on %q; want computer on eth0", w.Name, r.Class, r.Interface)
			}
		}
		for i := range n {
			d := l.Device(i)
			if r, ok := first[d.EndpointRef]; !ok || r.Class != inventory.ClassCamera {
				t.Errorf("device %d (%s): found %v, class %q; want a camera", i, d.Addr, ok, r.Class)
			}
		}
		if len(first) != n+2 {
			t.Errorf("%d endpoints found; want %d devices and 2 wsdd hosts", len(first), n+2)
		}
		// One Resolve per host, or two when its IPv6 answer came first (the
		// IPv6 ResolveMatch names only the IPv6 address).
		if steady && (stats.Hellos != 0 || resolves < 2 || resolves > 4) {
			t.Errorf("second scan: %d Hellos, %d Resolves; want 0 and one or two per wsdd host", stats.Hellos, resolves)
		}
	}
	for _, w := range []*lab.WSDD{w1, w2} {
		if !slices.ContainsFunc(w.Log(), func(line string) bool { return strings.Contains(line, `"Resolve `) }) {
			t.Errorf("wsdd %s logged no Resolve; log %q", w.Name, w.Log())
		}
	}
}
