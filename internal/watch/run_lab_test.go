//go:build linux

package watch_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"sitekeeper/internal/health"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/lab"
	"sitekeeper/internal/watch"
)

// TestLabOutageRecorded runs the whole scheduler against a real bbolt
// inventory of lab cameras, with a short interval and debounce: a camera
// unplugged goes offline after the debounce, comes back online when it is
// plugged in again, and the outage is stored from its first failed check
// to its first good one.
func TestLabOutageRecorded(t *testing.T) {
	const n, victim = 3, 1
	l := lab.UpForTest(t, "skv", n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	soap, err := l.ServeONVIF(ctx, lab.SOAPConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer soap.Close()
	rtsp, err := l.ServeRTSP(ctx, lab.RTSPConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer rtsp.Close()

	st, err := inventory.Open(filepath.Join(t.TempDir(), "site.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	found := make([]inventory.Discovered, n)
	for i := range n {
		d := l.Device(i)
		found[i] = inventory.Discovered{IPs: []string{d.Addr.String()}, MAC: d.MAC.String(), Class: inventory.ClassCamera, XAddrs: []string{d.XAddr}}
	}
	res, err := st.Reconcile(ctx, found, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	id := res.IDs[victim]

	w := watch.New(st, watch.HealthChecker{ICMP: health.ICMPPrivileged, Timeout: 500 * time.Millisecond, Dial: l.ScannerDial, Enter: l.InScanner},
		watch.Config{Interval: time.Second, OfflineAfter: 3, OfflineSpan: 2 * time.Second, CheckTimeout: 3 * time.Second, FlushEvery: time.Second})
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v; want context.Canceled", err)
		}
	}()

	waitFor := func(what string, ok func(map[string]inventory.DeviceStatus) bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			s, err := st.Statuses(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if ok(s) {
				return
			}
		}
		s, _ := st.Statuses(ctx)
		t.Fatalf("%s: not within 20 s; statuses %+v", what, s)
	}
	waitFor("every camera online", func(s map[string]inventory.DeviceStatus) bool {
		for _, id := range res.IDs {
			if s[id].Health != inventory.HealthOnline {
				return false
			}
		}
		return true
	})

	down := time.Now()
	if err := l.LinkDown(ctx, victim); err != nil {
		t.Fatal(err)
	}
	waitFor("the unplugged camera offline", func(s map[string]inventory.DeviceStatus) bool { return s[id].Health == inventory.HealthOffline })
	offlineSeen := time.Now()
	if offlineSeen.Sub(down) < 2*time.Second {
		t.Errorf("offline %v after unplugging; the debounce wants at least 2 s of failures", offlineSeen.Sub(down))
	}
	up := time.Now()
	if err := l.LinkUp(ctx, victim); err != nil {
		t.Fatal(err)
	}
	waitFor("the camera back online", func(s map[string]inventory.DeviceStatus) bool { return s[id].Health == inventory.HealthOnline })

	outages, err := st.Outages(ctx, id, down.Add(-time.Minute), time.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	// Right after the cable is back, the camera may answer ping before its
	// services do: a short degraded spell may follow the offline one.
	if len(outages) == 0 || len(outages) > 2 || (len(outages) == 2 && (outages[1].Health != inventory.HealthDegraded || !outages[1].Start.Equal(outages[0].End))) {
		t.Fatalf("outages = %+v; want one offline, perhaps followed at once by a degraded one", outages)
	}
	o := outages[0]
	// A change is dated when the check that saw it began: the good check
	// that ends the outage may have begun just before the cable went back
	// and succeeded once it had.
	if o.Health != inventory.HealthOffline || o.Start.Before(down) || o.Start.After(down.Add(2*time.Second)) || o.End.Before(up.Add(-2*time.Second)) || o.End.After(time.Now()) {
		t.Errorf("outage %s – %s; want it to start within 2 s of unplugging (%s) and end after plugging back (%s)",
			o.Start.Format(time.StampMilli), o.End.Format(time.StampMilli), down.Format(time.StampMilli), up.Format(time.StampMilli))
	}
	for _, other := range []int{0, 2} {
		if os, _ := st.Outages(ctx, res.IDs[other], down.Add(-time.Minute), time.Now()); len(os) != 0 {
			t.Errorf("camera %d has outages %+v; it stayed up", other, os)
		}
	}
}
