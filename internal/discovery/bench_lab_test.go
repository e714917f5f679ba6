//go:build linux

package discovery_test

import (
	"context"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/discovery/wsd"
)

// BenchmarkScanIdentify250 is DESIGN.md's discovery target: 250 simulated
// devices (WS-Discovery replies after 0–500 ms, 20 % twice; ONVIF answers
// from the vendors' captures) found and identified — manufacturer, model,
// firmware, MAC — within 2 s of pressing Scan. It reports the time until the
// last device was identified (ms-to-last) and the first (ms-to-first).
func BenchmarkScanIdentify250(b *testing.B) {
	const n = 250
	l, soap := upLab(b, n)
	var lasts, firsts []float64
	for b.Loop() {
		var mu sync.Mutex
		identified := map[int]bool{} // by Key: a device may be reported again
		var first, last time.Duration
		start := time.Now()
		cfg := discovery.Config{WSD: wsd.Config{Wait: 2 * time.Second}}
		_, err := scanLab(b, context.Background(), l, soap, cfg, func(d discovery.Device) {
			mu.Lock()
			defer mu.Unlock()
			if d.Err == nil && d.Manufacturer != "" && d.MAC != "" && !identified[d.Key] {
				identified[d.Key] = true
				last = time.Since(start)
				if first == 0 {
					first = last
				}
			}
		})
		if err != nil || len(identified) != n {
			b.Fatalf("identified %d of %d (%v)", len(identified), n, err)
		}
		lasts = append(lasts, float64(last.Milliseconds()))
		firsts = append(firsts, float64(first.Milliseconds()))
	}
	b.ReportMetric(median(lasts), "ms-to-last")
	b.ReportMetric(median(firsts), "ms-to-first")
}

func median(v []float64) float64 {
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// BenchmarkPeerWSDProbe250 measures the peer in the same lab: the Python
// WS-Discovery prober of ../shared/lab (one NetworkVideoTransmitter probe,
// default socket buffer, 2 s), run inside the scanner namespace. It reports
// how many of the 250 devices it heard (found) — it does not identify them.
func BenchmarkPeerWSDProbe250(b *testing.B) {
	const n = 250
	script := "../../../shared/lab/wsd_probe.py"
	if _, err := os.Stat(script); err != nil {
		b.Skip("peer prober not found beside the repository: ", err)
	}
	l, _ := upLab(b, n)
	var found []float64
	for b.Loop() {
		out, err := exec.Command("ip", "netns", "exec", l.ScannerNamespace(), "python3", script, "--types", "onvif", "--wait", "2").Output()
		if err != nil {
			b.Fatalf("peer prober: %v", err)
		}
		srcs := map[string]bool{}
		for _, line := range strings.Split(string(out), "\n") {
			if f := strings.Fields(line); len(f) > 1 && strings.HasPrefix(f[0], "[") {
				srcs[strings.Split(f[1], ":")[0]] = true
			}
		}
		found = append(found, float64(len(srcs)))
	}
	b.ReportMetric(median(found), "found")
}
