package discovery

import (
	"context"
	"net/netip"
	"sync"

	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
)

// Config chooses what a scan does.
type Config struct {
	// WSD configures the WS-Discovery scanner: interfaces, wait, probes.
	WSD wsd.Config
	// Identify configures ONVIF identification.
	Identify IdentifyConfig

	// neighbors reads the neighbour table (Neighbors when nil); tests
	// replace it.
	neighbors func() map[netip.Addr]string
}

// Stats counts what a scan did.
type Stats struct {
	// WSD is the WS-Discovery scanner's account: interfaces probed and
	// skipped, datagrams received, malformed, duplicates.
	WSD wsd.Stats
	// MDNS is the mDNS browser's account.
	MDNS MDNSStats
	// Devices are the distinct devices found (reported with Update false).
	Devices int
	// Identified answered GetDeviceInformation; NeedCredentials refused it;
	// NoAnswer did not answer in time; Failed answered with something else
	// (a fault, a bad reply) or gave no device service address.
	Identified, NeedCredentials, NoAnswer, Failed int
}

// Scan runs a WS-Discovery scan with cfg.WSD and identifies each device over
// ONVIF as soon as its first reply arrives, at most cfg.Identify.Concurrency
// at a time. Findings are merged into devices by identity (see merger).
// onFound is called for each device when first found and again, with the
// same Key and Update true, whenever a later finding adds to it; calls come
// one at a time from Scan's goroutines and must not block for long. Scan
// returns when the WS-Discovery wait is over and every identification has
// finished; its error is ctx's, or wsd.ErrNoInterfaces when no interface
// could be used, never a device's.
//
// The sockets are opened on the calling goroutine, so a caller may run Scan
// on an OS thread locked into another network namespace; the ONVIF
// connections are opened from other goroutines by cfg.Identify.Dial, which
// must then enter that namespace itself.
func Scan(ctx context.Context, cfg Config, onFound func(Device)) (Stats, error) {
	id := NewIdentifier(cfg.Identify)
	defer id.CloseIdleConnections()

	var (
		wg sync.WaitGroup
		mu sync.Mutex // serialises onFound and guards m
		m  = newMerger()
	)
	report := func(f Device) {
		mu.Lock()
		defer mu.Unlock()
		onFound(m.add(f))
	}

	var stats Stats
	session, err := wsd.NewScanner(cfg.WSD).Open(ctx)
	if err != nil {
		stats.WSD = session.Stats()
		return stats, err
	}
	stats.WSD, err = session.Run(ctx, func(r wsd.Result) {
		if r.Update {
			// Already reported; the first reply had the XAddrs we need.
			return
		}
		wg.Go(func() { // exits when Identify returns: bounded by call timeouts and ctx
			report(id.Identify(ctx, r))
		})
	})
	wg.Wait()
	if err == nil {
		fillFromNeighbors(m, cfg.neighbors, report)
	}
	stats.count(m.all())
	return stats, err
}

// fillFromNeighbors reports, as updates, the MACs the neighbour table holds
// for devices found without one. It runs on Scan's goroutine, so a lab scan
// reads the lab's table.
func fillFromNeighbors(m *merger, read func() map[netip.Addr]string, report func(Device)) {
	if read == nil {
		read = Neighbors
	}
	var table map[netip.Addr]string
	for _, d := range m.all() {
		if d.MAC != "" {
			continue
		}
		if table == nil {
			if table = read(); len(table) == 0 {
				return
			}
		}
		for _, ip := range d.IPs {
			a, err := netip.ParseAddr(ip)
			if mac := table[a]; err == nil && mac != "" {
				report(Device{Discovered: inventory.Discovered{IPs: []string{ip}, MAC: mac, Sources: []string{SourceNeighbors}}})
				break
			}
		}
	}
}

// MDNSStats counts what mDNS browsing did.
type MDNSStats struct {
	// Interfaces are the interfaces browsed.
	Interfaces []string
	// Skipped are the interfaces not browsed, and why.
	Skipped map[string]string
	// Replies counts the services found per interface.
	Replies map[string]int
	// Err is why mDNS browsing did not run at all (no usable interface,
	// port 5353 held), nil when it ran.
	Err error
}

// count fills the device counts from a scan's final devices.
func (s *Stats) count(devices []Device) {
	s.Devices = len(devices)
	for _, d := range devices {
		switch {
		case !d.asked:
		case d.Err == nil:
			s.Identified++
		case d.NeedsCredentials:
			s.NeedCredentials++
		case d.NoAnswer:
			s.NoAnswer++
		default:
			s.Failed++
		}
	}
}
