//go:build linux

package lab

import (
	"context"
	"errors"
	"net/netip"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/discovery/wsd"
)

// wantScopes is what each vendor's scopes say, read by wsd.ParseScopes.
var wantScopes = map[string]struct{ name, hardware string }{
	"Axis":      {"AXIS Q6045-E", "Q6045-E"},
	"Hikvision": {"HIKVISION DS-2CD2012-I", "DS-2CD2012-I"},
	"Pelco":     {"D6230L-J250117", "D6230L"},
	"TRENDnet":  {"TV-IP320PI", "TV-IP320PI"},
}

func TestLabProbe(t *testing.T) {
	const n = 20
	l := upLab(t, n)
	r := serveResponder(t, l, ResponderConfig{})
	c := scannerConn(t, l)

	id := sendProbe(t, c, wsd.TypeNetworkVideoTransmitter)
	got := readReplies(t, c, n, replyTimeout)

	byEPR := map[string]reply{}
	for _, rep := range got {
		if rep.msg.Kind != wsd.KindProbeMatches || len(rep.msg.Matches) != 1 {
			t.Fatalf("reply from %s: kind %v with %d matches; want one ProbeMatch", rep.from, rep.msg.Kind, len(rep.msg.Matches))
		}
		if rep.msg.Header.RelatesTo != id {
			t.Errorf("reply from %s: RelatesTo = %q; want %q", rep.from, rep.msg.Header.RelatesTo, id)
		}
		byEPR[rep.msg.Matches[0].EndpointRef] = rep
	}
	if len(byEPR) != n {
		t.Fatalf("%d replies with %d distinct EPRs; want %d (responder %+v)", len(got), len(byEPR), n, r.Stats())
	}
	for i := range n {
		d := l.Device(i)
		rep, ok := byEPR[d.EndpointRef]
		if !ok {
			t.Errorf("device %d (%s): no reply with EPR %s", i, d.Addr, d.EndpointRef)
			continue
		}
		m := rep.msg.Matches[0]
		if want := netip.AddrPortFrom(d.Addr, wsdPort); rep.from != want {
			t.Errorf("device %d: reply from %s; want %s", i, rep.from, want)
		}
		if !slices.Equal(m.XAddrs, []string{"http://" + l.DeviceAddr(i).String() + "/onvif/device_service"}) {
			t.Errorf("device %d: XAddrs = %q; want http://%s/onvif/device_service", i, m.XAddrs, l.DeviceAddr(i))
		}
		want := wantScopes[d.Vendor.Name]
		if info := m.ScopeInfo(); info.Name != want.name || info.Hardware != want.hardware {
			t.Errorf("device %d (%s): scopes name %q hardware %q; want %q %q", i, d.Vendor.Name, info.Name, info.Hardware, want.name, want.hardware)
		}
		if wantVendor := []string{"Axis", "Hikvision", "Pelco", "TRENDnet"}[i%4]; d.Vendor.Name != wantVendor {
			t.Errorf("device %d: vendor %s; want %s", i, d.Vendor.Name, wantVendor)
		}
	}
	if s := settledStats(r, n); s.Probes != n || s.Replies != n || s.Malformed != 0 || s.Dropped != 0 {
		t.Errorf("Stats = %+v; want %d probes and replies, nothing malformed or dropped", s, n)
	}
}

// TestLabProbeTypes checks which probes the simulated cameras answer: the
// ONVIF ones and the generic one, not wsdp:Device (that is wsdd's).
func TestLabProbeTypes(t *testing.T) {
	const n = 4
	l := upLab(t, n)
	r := serveResponder(t, l, ResponderConfig{})
	c := scannerConn(t, l)

	// The ignored probe goes first: a device handles its probes in order,
	// so once the other replies are in, the ignored one was seen.
	wsdp := sendProbe(t, c, wsd.TypeWSDPDevice)
	answered := map[string]string{
		sendProbe(t, c, wsd.TypeNetworkVideoTransmitter): "dn:NetworkVideoTransmitter",
		sendProbe(t, c, wsd.TypeONVIFDevice):             "tds:Device",
		sendProbe(t, c):                                  "no Types",
	}
	got := readReplies(t, c, n*len(answered), replyTimeout)
	count := map[string]int{}
	for _, rep := range got {
		count[rep.msg.Header.RelatesTo]++
	}
	for id, name := range answered {
		if count[id] != n {
			t.Errorf("probe %s: %d replies; want %d", name, count[id], n)
		}
	}
	if count[wsdp] != 0 {
		t.Errorf("probe wsdp:Device: %d replies; want none", count[wsdp])
	}
	if s := settledStats(r, 3*n); s.Probes != 4*n || s.Ignored != n {
		t.Errorf("Stats = %+v; want %d probes, %d ignored", s, 4*n, n)
	}
}

// TestLabReplyTwice checks repeated replies: same bytes and MessageID, so
// wsd.Seen drops the copy.
func TestLabReplyTwice(t *testing.T) {
	const n = 4
	l := upLab(t, n)
	serveResponder(t, l, ResponderConfig{Twice: 1, MaxDelay: 50 * time.Millisecond})
	c := scannerConn(t, l)

	sendProbe(t, c, wsd.TypeNetworkVideoTransmitter)
	got := readReplies(t, c, 2*n, replyTimeout)
	if len(got) != 2*n {
		t.Fatalf("%d replies; want %d", len(got), 2*n)
	}
	seen := wsd.NewSeen(100)
	fresh := 0
	for _, rep := range got {
		if seen.Add(&rep.msg) {
			fresh++
		}
	}
	if fresh != n {
		t.Errorf("%d distinct replies; want %d", fresh, n)
	}
}

// TestLabTopology checks the safety rules on a live lab: no default route,
// a multicast route, vendor MACs, and nothing left after Down.
func TestLabTopology(t *testing.T) {
	l := upLab(t, 3)
	for _, ns := range []string{scannerNS(l.Prefix()), deviceNS(l.Prefix(), 0), deviceNS(l.Prefix(), 2)} {
		routes := ipOut(t, "-n", ns, "-4", "route", "show", "table", "all")
		if strings.Contains(routes, "default") {
			t.Errorf("namespace %s has a default route:\n%s", ns, routes)
		}
		if !strings.Contains(routes, "224.0.0.0/4 dev eth0") {
			t.Errorf("namespace %s has no 224.0.0.0/4 route:\n%s", ns, routes)
		}
	}
	if link := ipOut(t, "-n", deviceNS(l.Prefix(), 1), "link", "show", "eth0"); !strings.Contains(link, l.Device(1).MAC.String()) {
		t.Errorf("device 1 eth0 lacks MAC %s:\n%s", l.Device(1).MAC, link)
	}
	if err := l.Down(); err != nil {
		t.Fatalf("Down = %v", err)
	}
	assertGone(t, l.Prefix())
}

// TestLabCleanupCrashed simulates a crashed run (Up without Down): the next
// Up with the prefix clears the leftovers, and so does Cleanup.
func TestLabCleanupCrashed(t *testing.T) {
	l := upLab(t, 3)
	if _, err := Up(context.Background(), Config{Prefix: l.Prefix(), Devices: 2}); err != nil {
		t.Fatalf("Up over leftovers = %v", err)
	}
	if got := labNamespaces(t, l.Prefix()); len(got) != 2+2 {
		t.Errorf("after the second Up: namespaces %q; want site, scanner and 2 devices", got)
	}
	if err := Cleanup(l.Prefix()); err != nil {
		t.Fatalf("Cleanup = %v", err)
	}
	assertGone(t, l.Prefix())
}

// TestLabCleanupStale checks that CleanupStale removes the lab of a dead
// process and keeps this process's.
func TestLabCleanupStale(t *testing.T) {
	l := upLab(t, 1)
	dead := testFamily + "4194305" // above the largest pid_max: no such process
	t.Cleanup(func() { _ = Cleanup(dead) })
	if _, err := Up(context.Background(), Config{Prefix: dead, Devices: 1}); err != nil {
		t.Fatalf("Up(%s) = %v", dead, err)
	}
	if err := CleanupStale(testFamily); err != nil {
		t.Fatalf("CleanupStale = %v", err)
	}
	assertGone(t, dead)
	if got := labNamespaces(t, l.Prefix()); len(got) != 3 {
		t.Errorf("CleanupStale removed a live lab: left %q", got)
	}
}

// TestLabDefaultNamespaceUntouched runs a whole lab cycle, probe included,
// and checks that the default namespace's links, addresses and routes did
// not change.
func TestLabDefaultNamespaceUntouched(t *testing.T) {
	requireLab(t)
	before := defaultNamespaceState(t)
	func() {
		l := upLab(t, 5)
		ctx, cancel := context.WithCancel(context.Background())
		r, err := l.Listen(ResponderConfig{})
		if err != nil {
			t.Fatalf("Listen = %v", err)
		}
		done := make(chan error, 1)
		go func() { done <- r.Serve(ctx) }()
		c := scannerConn(t, l)
		sendProbe(t, c, wsd.TypeNetworkVideoTransmitter)
		if got := readReplies(t, c, 5, time.Second); len(got) != 5 {
			t.Errorf("%d replies; want 5", len(got))
		}
		during := defaultNamespaceState(t)
		if during != before {
			t.Errorf("default namespace changed while the lab was up:\nbefore:\n%s\nduring:\n%s", before, during)
		}
		cancel()
		<-done
		if err := l.Down(); err != nil {
			t.Fatalf("Down = %v", err)
		}
	}()
	if after := defaultNamespaceState(t); after != before {
		t.Errorf("default namespace changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// defaultNamespaceState is `ip -o link`, `ip -o addr` and every route of
// the namespace the test runs in, minus counters that change by themselves.
func defaultNamespaceState(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.Split(ipOut(t, "-o", "link"), "\n") {
		// Keep "index: name: <flags>"; the rest (qdisc, state) is not ours.
		if f := strings.Fields(line); len(f) >= 3 {
			b.WriteString(strings.Join(f[:3], " ") + "\n")
		}
	}
	for _, line := range strings.Split(ipOut(t, "-o", "addr"), "\n") {
		// Drop "valid_lft …" lifetimes, which count down.
		line, _, _ = strings.Cut(line, "valid_lft")
		b.WriteString(line + "\n")
	}
	b.WriteString(ipOut(t, "route", "show", "table", "all"))
	return b.String()
}

// assertGone fails t if a namespace of prefix is left.
func assertGone(t *testing.T, prefix string) {
	t.Helper()
	if left := labNamespaces(t, prefix); len(left) > 0 {
		t.Errorf("namespaces left with prefix %s: %q", prefix, left)
	}
}

// labNamespaces lists the namespaces of prefix as `ip netns list` shows them.
func labNamespaces(t *testing.T, prefix string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(ipOut(t, "netns", "list"), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], prefix+"-") {
			out = append(out, f[0])
		}
	}
	return out
}

// ipOut runs a read-only ip command and returns its output.
func ipOut(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestLabIPError checks that a failed ip command names itself and says
// what ip printed (a read-only command, so nothing is changed).
func TestLabIPError(t *testing.T) {
	requireLab(t)
	err := ipBatch(context.Background(), "", []string{"link show dev sktnosuch0"})
	var ce *CmdError
	if !errors.As(err, &ce) {
		t.Fatalf("ipBatch = %v; want a *CmdError", err)
	}
	for _, want := range []string{"ip -batch -", "link show dev sktnosuch0", "sktnosuch0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if ce.Stderr == "" {
		t.Errorf("CmdError.Stderr is empty: %q", err)
	}
}
