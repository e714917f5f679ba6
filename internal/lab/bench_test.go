//go:build linux

package lab

import (
	"context"
	"testing"
	"time"

	"sitekeeper/internal/discovery/wsd"
)

// BenchmarkLabUpDown250 times bringing a 250-device lab up and down
// (lab-notes.md §1: netlab-fast.sh took 2.55 s for Up).
func BenchmarkLabUpDown250(b *testing.B) {
	requireLab(b)
	prefix := PIDPrefix(testFamily)
	b.Cleanup(func() { _ = Cleanup(prefix) })
	var up, down time.Duration
	for b.Loop() {
		start := time.Now()
		l, err := Up(context.Background(), Config{Prefix: prefix, Devices: 250})
		if err != nil {
			b.Fatalf("Up = %v", err)
		}
		up += time.Since(start)
		start = time.Now()
		if err := l.Down(); err != nil {
			b.Fatalf("Down = %v", err)
		}
		down += time.Since(start)
	}
	b.ReportMetric(float64(up.Milliseconds())/float64(b.N), "ms-up/op")
	b.ReportMetric(float64(down.Milliseconds())/float64(b.N), "ms-down/op")
}

// BenchmarkLabProbe250 times one probe until all 250 devices answered,
// with no reply delay: the floor for the scan benchmark.
func BenchmarkLabProbe250(b *testing.B) {
	const n = 250
	l := upLab(b, n)
	start := time.Now()
	serveResponder(b, l, ResponderConfig{})
	b.Logf("Listen for %d devices: %v", n, time.Since(start))
	c := scannerConn(b, l)
	for b.Loop() {
		sendProbe(b, c, wsd.TypeNetworkVideoTransmitter)
		if got := readReplies(b, c, n, 5*time.Second); len(got) != n {
			b.Fatalf("%d replies; want %d", len(got), n)
		}
	}
}
