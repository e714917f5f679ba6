package health

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	probing "github.com/prometheus-community/pro-bing"
)

// Echoes sent per ping check, pingInterval apart: the first is often lost
// while the scanner resolves the device's MAC address (ARP).
const (
	pingCount    = 3
	pingInterval = 250 * time.Millisecond
)

// CheckPing sends ICMP echo requests to t.Addr until one is answered or
// t's timeout ends, with the socket t.ICMP allows (see the package comment);
// when no ICMP socket can be opened, or t.ICMP is ICMPOff, it connects to
// the first of t.Ports instead. Method names what was used.
func CheckPing(ctx context.Context, t Target) Result {
	var why []string
	if t.ICMP != ICMPOff {
		for _, privileged := range pingModes(t.ICMP, runtime.GOOS) {
			r, opened, err := ping(ctx, t, privileged)
			if opened {
				return r
			}
			why = append(why, fmt.Sprintf("%s socket: %v", modeName(privileged), err))
			if ctx.Err() != nil {
				break
			}
		}
	} else {
		why = append(why, "ICMP is turned off for this device")
	}
	if len(t.Ports) == 0 {
		return Result{Check: "icmp", State: Unknown,
			Detail: "could not ping (" + strings.Join(why, "; ") + ") and no port is known to try instead"}
	}
	r := CheckTCP(ctx, t, t.Ports[0])
	r.Check = "icmp"
	r.Detail = "no ping (" + strings.Join(why, "; ") + "); tried a connection instead: " + r.Detail
	return r
}

// pingModes lists pro-bing's modes to try, privileged or not, in order.
func pingModes(m ICMPMode, goos string) []bool {
	switch m {
	case ICMPUnprivileged:
		return []bool{false}
	case ICMPPrivileged:
		return []bool{true}
	}
	if goos == "windows" {
		// pro-bing's unprivileged mode does not exist on Windows; its
		// privileged one works there without elevation.
		return []bool{true}
	}
	return []bool{false, true}
}

func modeName(privileged bool) string {
	if privileged {
		return "raw ICMP"
	}
	return "unprivileged ICMP"
}

// ping runs one pro-bing pinger inside t.Enter. opened reports whether its
// socket could be opened; if not, err says why and the caller tries
// another mode.
func ping(ctx context.Context, t Target, privileged bool) (r Result, opened bool, err error) {
	timeout := t.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	p := probing.New("")
	p.SetLogger(probing.NoopLogger{})
	p.SetIPAddr(&net.IPAddr{IP: net.IP(t.Addr.Unmap().AsSlice()), Zone: t.Addr.Zone()})
	p.SetPrivileged(privileged)
	p.Count = pingCount
	p.Interval = pingInterval
	p.Timeout = timeout
	p.RecordRtts, p.RecordTTLs = false, false
	var setup atomic.Bool
	p.OnSetup = func() { setup.Store(true) }
	var rtt atomic.Int64
	p.OnRecv = func(pkt *probing.Packet) { // on pro-bing's send-loop goroutine
		rtt.CompareAndSwap(0, int64(max(pkt.Rtt, time.Nanosecond)))
		p.Stop()
	}
	// RunWithContext opens its socket before it starts any goroutine and
	// returns after they have all ended (see the package comment).
	err = t.enter(func() error { return p.RunWithContext(ctx) })
	if !setup.Load() {
		if err == nil {
			err = fmt.Errorf("pinger did not start")
		}
		return Result{}, false, err
	}
	r = Result{Check: "icmp", Method: MethodICMPUnprivileged}
	if privileged {
		r.Method = MethodICMPRaw
	}
	if d := time.Duration(rtt.Load()); d > 0 {
		r.State, r.Answered, r.Latency = OK, true, d
		r.Detail = "answers ping in " + roundLatency(d).String()
		return r, true, nil
	}
	r.State = Down
	sent := p.Statistics().PacketsSent
	switch {
	case err != nil && ctx.Err() == nil:
		r.Detail = "ping failed: " + err.Error()
	default:
		r.Detail = fmt.Sprintf("no answer to %d ping(s) in %s", sent, timeout)
	}
	return r, true, nil
}

// roundLatency rounds d for people to read.
func roundLatency(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
