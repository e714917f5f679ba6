//go:build linux

package watch_test

import (
	"context"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sitekeeper/internal/health"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/lab"
	"sitekeeper/internal/watch"
)

// BenchmarkOnceLab1000 is DESIGN.md's health target: one round over a
// 1,000-device lab site — ping, the ONVIF clock, the RTSP stream and the
// web port of every camera — within 5 s and with at most 256 sockets open
// at once, under the gentle rate limits (1,000 packets/s overall, 40 per
// device). It reports the most TCP connections open at once (max-conns).
func BenchmarkOnceLab1000(b *testing.B) {
	const n = 1000
	l := lab.UpForTest(b, "skw", n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	soap, err := l.ServeONVIF(ctx, lab.SOAPConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer soap.Close()
	rtsp, err := l.ServeRTSP(ctx, lab.RTSPConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer rtsp.Close()

	st := inventory.NewMemory()
	found := make([]inventory.Discovered, n)
	for i := range n {
		d := l.Device(i)
		found[i] = inventory.Discovered{IPs: []string{d.Addr.String()}, MAC: d.MAC.String(), Class: inventory.ClassCamera,
			XAddrs: []string{d.XAddr}, Sources: []string{"wsd"}}
	}
	if _, err := st.Reconcile(ctx, found, time.Now()); err != nil {
		b.Fatal(err)
	}

	var open, most atomic.Int64
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := l.ScannerDial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if v := open.Add(1); v > most.Load() {
			most.Store(v)
		}
		return &countedConn{Conn: c, open: &open}, nil
	}
	for _, bc := range []struct {
		name string
		cfg  watch.Config
	}{
		{"gentle", watch.Config{}}, // the defaults: 1,000 packets/s overall, 40 per device
		{"unlimited", watch.Config{PacketsPerSecond: 1 << 30, HostPacketsPerSecond: 1 << 30}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			most.Store(0)
			round(b, watch.New(st, watch.HealthChecker{ICMP: health.ICMPPrivileged, Dial: dial, Enter: l.InScanner}, bc.cfg), n, &most)
		})
	}
}

// round runs w.Once per iteration and reports the most connections open
// and the fewest devices found up.
func round(b *testing.B, w *watch.Watcher, n int, most *atomic.Int64) {
	ctx := context.Background()
	var ups []float64
	for b.Loop() {
		start := time.Now()
		res, err := w.Once(ctx)
		if err != nil {
			b.Fatal(err)
		}
		up, shown := 0, 0
		for _, r := range res {
			if r.Outcome.State == watch.Up {
				up++
			} else if shown++; shown <= 3 {
				b.Logf("%s: %s (%s)", r.Device.IP(), r.Outcome.State, r.Outcome.Cause)
			}
		}
		b.Logf("round: %d of %d up in %v", up, n, time.Since(start).Round(time.Millisecond))
		ups = append(ups, float64(up))
	}
	b.ReportMetric(float64(most.Load()), "max-conns")
	b.ReportMetric(slices.Min(ups), "min-up")
}

type countedConn struct {
	net.Conn
	open *atomic.Int64
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.open.Add(-1) })
	return c.Conn.Close()
}
