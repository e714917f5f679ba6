//go:build linux

package health

import (
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/lab"
)

// Lab devices and what each is made to do.
const (
	labHealthy  = 0 // everything answers
	labSkewed   = 1 // ONVIF clock 2 h ahead
	labCertSoon = 2 // self-signed certificate expiring in 10 days
	labNoRTSP   = 3 // RTSP port stopped
	labUnplug   = 4 // eth0 set down, then up
	labDevices  = 5
)

// labTimeout bounds each check in the lab.
const labTimeout = 2 * time.Second

// startHealthLab brings up a lab with ONVIF, RTSP and HTTPS on every device,
// configured as the constants above say.
func startHealthLab(t *testing.T) (*lab.Lab, *lab.RTSPServers, *lab.SOAPServers) {
	l := lab.UpForTest(t, "skh", labDevices)
	ctx, cancel := context.WithCancel(context.Background())
	soap, err := l.ServeONVIF(ctx, lab.SOAPConfig{Modes: map[int]lab.DeviceMode{labSkewed: {ClockSkew: 2 * time.Hour}}})
	if err != nil {
		cancel()
		t.Fatalf("ServeONVIF = %v", err)
	}
	rtsp, err := l.ServeRTSP(ctx, lab.RTSPConfig{})
	if err != nil {
		cancel()
		soap.Close()
		t.Fatalf("ServeRTSP = %v", err)
	}
	web, err := l.ServeHTTPS(ctx, lab.HTTPSConfig{Expiry: map[int]time.Duration{labCertSoon: 10*24*time.Hour + time.Hour}})
	if err != nil {
		cancel()
		soap.Close()
		rtsp.Close()
		t.Fatalf("ServeHTTPS = %v", err)
	}
	t.Cleanup(func() { // before UpForTest's: sockets close before their namespaces go
		cancel()
		soap.Close()
		rtsp.Close()
		web.Close()
		for i := range labDevices {
			if s := soap.Stats(i); s.Foreign != 0 {
				t.Errorf("device %d: %d ONVIF connections from outside the scanner", i, s.Foreign)
			}
		}
	})
	return l, rtsp, soap
}

// labTarget is device i as the scheduler would pass it, reached only from
// the scanner's namespace.
func labTarget(l *lab.Lab, i int) Target {
	return Target{
		Addr:    l.DeviceAddr(i),
		Ports:   []uint16{80, 443, 554},
		XAddr:   l.Device(i).XAddr,
		Timeout: labTimeout,
		Dial:    l.ScannerDial,
		Enter:   l.InScanner,
	}
}

func TestLabCheckDevice(t *testing.T) {
	l, rtsp, soap := startHealthLab(t)
	ctx := context.Background()

	t.Run("healthy device is ok, pinged over a raw socket", func(t *testing.T) {
		rep := CheckDevice(ctx, labTarget(l, labHealthy))
		if rep.State != OK {
			t.Fatalf("CheckDevice(healthy) = %v %q; want ok", rep.State, rep.Detail)
		}
		ping, _ := rep.Result("icmp")
		// A new namespace's ping_group_range ("1 0") admits nobody, so
		// ICMPAuto falls back to the raw socket (we are root).
		if ping.State != OK || ping.Method != MethodICMPRaw {
			t.Errorf("icmp = %v by %q; want ok by %q", ping.State, ping.Method, MethodICMPRaw)
		}
		for _, c := range rep.Checks {
			if c.State != OK {
				t.Errorf("check %s = %v %q; want ok", c.Check, c.State, c.Detail)
			}
		}
		logReport(t, rep)
	})

	t.Run("unprivileged ping where the namespace allows it", func(t *testing.T) {
		if err := l.AllowUnprivilegedPing(); err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := l.DenyUnprivilegedPing(); err != nil {
				t.Error(err)
			}
		}()
		r := CheckPing(ctx, labTarget(l, labHealthy))
		if r.State != OK || r.Method != MethodICMPUnprivileged {
			t.Errorf("CheckPing = %v by %q (%s); want ok by %q", r.State, r.Method, r.Detail, MethodICMPUnprivileged)
		}
	})

	t.Run("2 hour clock skew is degraded, drift named", func(t *testing.T) {
		rep := CheckDevice(ctx, labTarget(l, labSkewed))
		on, _ := rep.Result("onvif")
		if rep.State != Degraded || on.Clock == nil || on.Clock.Offset < 2*time.Hour-5*time.Second || on.Clock.Offset > 2*time.Hour+5*time.Second {
			t.Fatalf("CheckDevice(skewed) = %v %q, clock %+v; want degraded with a 2 h offset", rep.State, rep.Detail, on.Clock)
		}
		if !strings.Contains(rep.Detail, "2 h 0 min ahead") || !strings.Contains(rep.Detail, "reliable evidence") {
			t.Errorf("detail %q; want the drift and why it matters", rep.Detail)
		}
		if !slices.Equal(rep.Problems, []string{ProblemClock}) {
			t.Errorf("problems %q; want only the clock", rep.Problems)
		}
		logReport(t, rep)
	})

	t.Run("self-signed certificate expiring in 10 days is flagged", func(t *testing.T) {
		rep := CheckDevice(ctx, labTarget(l, labCertSoon))
		web, _ := rep.Result("https:443")
		if rep.State != Degraded || web.HTTP == nil || web.HTTP.TLS == nil {
			t.Fatalf("CheckDevice(cert) = %v %q; want degraded with TLS info", rep.State, rep.Detail)
		}
		if ti := web.HTTP.TLS; ti.DaysLeft != 10 || !ti.SelfSigned || ti.Outdated {
			t.Errorf("TLS = %+v; want 10 days left, self-signed, current TLS", ti)
		}
		if !strings.Contains(rep.Detail, "expires in 10 days") {
			t.Errorf("detail %q; want the expiry named", rep.Detail)
		}
		if !slices.Equal(rep.Problems, []string{ProblemCertificate}) {
			t.Errorf("problems %q; want only the certificate", rep.Problems)
		}
		logReport(t, rep)
	})

	t.Run("ping answers but RTSP port closed is degraded", func(t *testing.T) {
		rtsp.Stop(labNoRTSP)
		rep := CheckDevice(ctx, labTarget(l, labNoRTSP))
		ping, _ := rep.Result("icmp")
		video, _ := rep.Result("rtsp:554")
		if rep.State != Degraded || ping.State != OK || video.State != Down {
			t.Fatalf("CheckDevice(no rtsp) = %v %q (icmp %v, rtsp %v); want degraded, icmp ok, rtsp down",
				rep.State, rep.Detail, ping.State, video.State)
		}
		if !strings.Contains(rep.Detail, "rtsp:554") {
			t.Errorf("detail %q; want the video port named", rep.Detail)
		}
		if err := rtsp.Start(labNoRTSP); err != nil {
			t.Fatal(err)
		}
		if rep := CheckDevice(ctx, labTarget(l, labNoRTSP)); rep.State != OK {
			t.Errorf("CheckDevice(rtsp back) = %v %q; want ok", rep.State, rep.Detail)
		}
	})

	t.Run("link down is down within the timeout, and back", func(t *testing.T) {
		tg := labTarget(l, labUnplug)
		if rep := CheckDevice(ctx, tg); rep.State != OK {
			t.Fatalf("CheckDevice(before) = %v %q; want ok", rep.State, rep.Detail)
		}
		if err := l.LinkDown(ctx, labUnplug); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		rep := CheckDevice(ctx, tg)
		took := time.Since(start)
		if rep.State != Down {
			t.Errorf("CheckDevice(link down) = %v %q; want down", rep.State, rep.Detail)
		}
		// The first round answers nothing, so the rest are not tried.
		if limit := labTimeout + time.Second; took > limit {
			t.Errorf("CheckDevice(link down) took %v; want under %v", took, limit)
		}
		t.Logf("down after %v: %s", took.Round(time.Millisecond), rep.Detail)
		if err := l.LinkUp(ctx, labUnplug); err != nil {
			t.Fatal(err)
		}
		if rep := CheckDevice(ctx, tg); rep.State != OK {
			t.Errorf("CheckDevice(link up) = %v %q; want ok", rep.State, rep.Detail)
		}
	})
	_ = soap
}

func TestLabSNMP(t *testing.T) {
	l := lab.UpForTest(t, "skh", 1)
	if _, err := exec.LookPath("snmpd"); err != nil {
		t.Skip("snmpd is not installed (apt-get install --no-install-recommends snmpd)")
	}
	ctx := context.Background()
	agent, err := l.StartSNMP(ctx, 0, "public")
	if err != nil {
		t.Fatalf("StartSNMP = %v", err)
	}
	t.Cleanup(func() {
		if err := agent.Stop(); err != nil {
			t.Error(err)
		}
	})
	tg := labTarget(l, 0)
	tg.Community = "public"
	first := CheckSNMP(ctx, tg)
	if first.State != OK || first.SNMP == nil || first.SNMP.Descr != lab.SNMPDescr {
		t.Fatalf("CheckSNMP = %v %q %+v; want ok with the lab's sysDescr", first.State, first.Detail, first.SNMP)
	}
	checked := time.Now()

	tg.PrevUptime = first.SNMP.Uptime
	if again := CheckSNMP(ctx, tg); again.State != OK || again.SNMP.Rebooted {
		t.Errorf("CheckSNMP(again) = %v %q; want ok, not rebooted", again.State, again.Detail)
	}

	if err := agent.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	// Without the restart the uptime would now be at least this.
	tg.PrevUptime = first.SNMP.Uptime + time.Since(checked)
	after := CheckSNMP(ctx, tg)
	if after.State != OK || !after.SNMP.Rebooted || !strings.Contains(after.Detail, "restarted") {
		t.Errorf("CheckSNMP(after restart) = %v %q %+v; want ok, rebooted", after.State, after.Detail, after.SNMP)
	}

	tg.Community = "wrong"
	if r := CheckSNMP(ctx, tg); r.State != Down || !strings.Contains(r.Detail, "community is wrong") {
		t.Errorf("CheckSNMP(wrong community) = %v %q; want down, community named", r.State, r.Detail)
	}
}

func logReport(t *testing.T, rep Report) {
	t.Helper()
	t.Logf("%v in %v: %s", rep.State, rep.Took.Round(time.Millisecond), rep.Detail)
	for _, c := range rep.Checks {
		t.Logf("  %-10s %-8v %-26s %v %s", c.Check, c.State, c.Method, c.Latency.Round(time.Microsecond), c.Detail)
	}
}
