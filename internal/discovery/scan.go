package discovery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"

	"sitekeeper/internal/discovery/mdns"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
)

// Config chooses what a scan does.
type Config struct {
	// WSD configures the WS-Discovery scanner: interfaces, wait, probes.
	// Its Interfaces and Wait apply to mDNS too.
	WSD wsd.Config
	// MDNSServices are the DNS-SD service types browsed (nil means
	// mdns.DefaultServices).
	MDNSServices []string
	// NoMDNS leaves mDNS out.
	NoMDNS bool
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

	// Both finders open their sockets here, on the calling goroutine:
	// WS-Discovery's first, then it runs on another goroutine while mDNS
	// browses on this one.
	var stats Stats
	session, wsdErr := wsd.NewScanner(cfg.WSD).Open(ctx)
	wsdDone := make(chan struct{})
	if wsdErr != nil {
		stats.WSD = session.Stats()
		close(wsdDone)
	} else {
		go func() {
			defer close(wsdDone)
			stats.WSD, wsdErr = session.Run(ctx, func(r wsd.Result) {
				if r.Update {
					// Already reported; the first reply had the XAddrs we need.
					return
				}
				wg.Go(func() { // exits when Identify returns: bounded by call timeouts and ctx
					report(id.Identify(ctx, r))
				})
			})
		}()
	}
	if !cfg.NoMDNS {
		stats.MDNS = browseMDNS(ctx, cfg, report)
	}
	<-wsdDone
	wg.Wait()

	err := wsdErr
	if errors.Is(wsdErr, wsd.ErrNoInterfaces) && !cfg.NoMDNS && stats.MDNS.Err == nil {
		err = nil // mDNS could search where WS-Discovery could not
	}
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	if err == nil {
		fillFromNeighbors(m, cfg.neighbors, report)
	}
	stats.count(m.all())
	return stats, err
}

// SourceMDNS names mDNS/DNS-SD in inventory.Discovered.Sources.
const SourceMDNS = "mdns"

// browseMDNS browses DNS-SD on cfg's interfaces for cfg.WSD's wait and
// reports each service with an address as a finding.
func browseMDNS(ctx context.Context, cfg Config, report func(Device)) MDNSStats {
	wait := cfg.WSD.Wait
	if wait <= 0 {
		wait = wsd.DefaultWait
	}
	mc := mdns.Config{Wait: wait, Services: cfg.MDNSServices}
	var ms MDNSStats
	for _, name := range cfg.WSD.Interfaces {
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			continue // WS-Discovery's Stats.Skipped says so
		}
		mc.Interfaces = append(mc.Interfaces, *ifi)
	}
	if len(cfg.WSD.Interfaces) > 0 && len(mc.Interfaces) == 0 {
		ms.Err = mdns.ErrNoInterfaces
		return ms
	}
	ms.Replies = map[string]int{}
	st, err := mdns.Browse(ctx, mc, func(r mdns.Result) {
		if !r.Update {
			ms.Replies[r.Interface]++
		}
		if len(r.Addrs) == 0 {
			return // nothing to find it by, or to reach it at
		}
		report(Device{Discovered: fromMDNS(r)})
	})
	ms.Interfaces, ms.Skipped, ms.Err = st.Interfaces, st.Skipped, err
	return ms
}

// fromMDNS is what one DNS-SD service says about its device.
func fromMDNS(r mdns.Result) inventory.Discovered {
	d := inventory.Discovered{
		MAC:          r.MAC,
		Manufacturer: r.Manufacturer,
		Model:        r.Model,
		Class:        mdns.Classify(r),
		Services:     []string{fmt.Sprintf("%s:%d", r.Service, r.Port)},
		Sources:      []string{SourceMDNS},
		Interface:    r.Interface,
	}
	if h := strings.TrimSuffix(r.Host, "."); h != "" {
		d.Hostnames = []string{h}
	}
	for _, a := range r.Addrs {
		d.IPs = append(d.IPs, a.Unmap().String())
	}
	return d
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
