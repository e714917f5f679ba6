package discovery

import (
	"context"
	"sync"

	"sitekeeper/internal/discovery/wsd"
)

// Config chooses what a scan does.
type Config struct {
	// WSD configures the WS-Discovery scanner: interfaces, wait, probes.
	WSD wsd.Config
	// Identify configures ONVIF identification.
	Identify IdentifyConfig
}

// Stats counts what a scan did.
type Stats struct {
	// WSD is the WS-Discovery scanner's account: interfaces probed and
	// skipped, datagrams received, malformed, duplicates.
	WSD wsd.Stats
	// Devices are the devices reported to onFound.
	Devices int
	// Identified answered GetDeviceInformation; NeedCredentials refused it;
	// NoAnswer did not answer in time; Failed answered with something else
	// (a fault, a bad reply) or gave no device service address.
	Identified, NeedCredentials, NoAnswer, Failed int
}

// Scan runs a WS-Discovery scan with cfg.WSD and identifies each device over
// ONVIF as soon as its first reply arrives, at most cfg.Identify.Concurrency
// at a time. onFound is called once per device, one call at a time, from
// Scan's goroutines; it must not block for long. Scan returns when the
// WS-Discovery wait is over and every identification has finished; its error
// is wsd.Scanner.Scan's (ctx's error, or wsd.ErrNoInterfaces), never a
// device's.
//
// The WS-Discovery sockets are opened on the calling goroutine, so a caller
// may run Scan on an OS thread locked into another network namespace; the
// ONVIF connections are opened from other goroutines by cfg.Identify.Dial,
// which must then enter that namespace itself.
func Scan(ctx context.Context, cfg Config, onFound func(Device)) (Stats, error) {
	id := NewIdentifier(cfg.Identify)
	defer id.CloseIdleConnections()

	var (
		wg    sync.WaitGroup
		mu    sync.Mutex // serialises onFound and guards stats
		stats Stats
	)
	report := func(d Device) {
		mu.Lock()
		defer mu.Unlock()
		stats.Devices++
		switch {
		case d.Err == nil:
			stats.Identified++
		case d.NeedsCredentials:
			stats.NeedCredentials++
		case d.NoAnswer:
			stats.NoAnswer++
		default:
			stats.Failed++
		}
		onFound(d)
	}

	wstats, err := wsd.NewScanner(cfg.WSD).Scan(ctx, func(r wsd.Result) {
		if r.Update {
			// Already reported; the first reply had the XAddrs we need.
			return
		}
		wg.Add(1)
		go func() { // exits when Identify returns: bounded by call timeouts and ctx
			defer wg.Done()
			report(id.Identify(ctx, r))
		}()
	})
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	stats.WSD = wstats
	return stats, err
}
