package watch

import (
	"context"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"sitekeeper/internal/health"
	"sitekeeper/internal/inventory"
)

// Checkable reports whether the scheduler checks d: an active device with
// an address. A device typed in without one is not "offline"; there is
// nothing to ask.
func Checkable(d *inventory.Device) bool {
	if d.State() != inventory.StateActive {
		return false
	}
	_, err := netip.ParseAddr(d.IP())
	return err == nil
}

// HealthChecker is the Checker of a real site: internal/health's checks of
// each device at its address, on the ports its ONVIF addresses and
// services name, and over ONVIF where it has a device service.
type HealthChecker struct {
	// ICMP chooses how to ping (health.ICMPAuto: the best the system allows).
	ICMP health.ICMPMode
	// Timeout bounds each check (0: health.DefaultTimeout).
	Timeout time.Duration
	// Dial and Enter put the checks' sockets where they must be (the lab's
	// scanner namespace); nil on a real site.
	Dial  health.DialFunc
	Enter func(fn func() error) error
	// SNMP is the SNMP v2c read community the devices answer to; nil or
	// empty skips the SNMP check. Apply sets it from the settings.
	SNMP *Community
}

// Check checks d and sums the report up for the scheduler.
func (c HealthChecker) Check(ctx context.Context, d inventory.Device) Outcome {
	r := health.CheckDevice(ctx, c.Target(&d))
	o := Outcome{Cause: r.Detail, Problems: r.Problems, Packets: packets(r)}
	switch r.State {
	case health.OK:
		o.State = Up
	case health.Degraded:
		o.State = Degraded
	default:
		o.State = Down
	}
	return o
}

// Target is how the checks reach d: its address, the ports of its ONVIF
// addresses on that address and of its mDNS services, its ONVIF device
// service. A device that told nothing of its ports gets HTTP on 80 and
// RTSP on 554, what nearly every camera and recorder serves.
func (c HealthChecker) Target(d *inventory.Device) health.Target {
	addr, _ := netip.ParseAddr(d.IP())
	t := health.Target{Addr: addr, ICMP: c.ICMP, Timeout: c.Timeout, Dial: c.Dial, Enter: c.Enter, Community: c.SNMP.Get()}
	var ports []uint16
	add := func(p uint16) {
		if p != 0 && !slices.Contains(ports, p) {
			ports = append(ports, p)
		}
	}
	for _, x := range d.Discovered.XAddrs {
		u, err := url.Parse(x)
		if err != nil {
			continue
		}
		if a, err := netip.ParseAddr(u.Hostname()); err != nil || a.WithZone("") != addr {
			continue // another address of the device (IPv6): not what we check
		}
		if t.XAddr == "" && strings.Contains(u.Path, "onvif") {
			t.XAddr = x
		}
		add(urlPort(u))
	}
	for _, s := range d.Discovered.Services { // "_rtsp._tcp:554"
		if i := strings.LastIndexByte(s, ':'); i >= 0 {
			if p, err := strconv.ParseUint(s[i+1:], 10, 16); err == nil {
				add(uint16(p))
			}
		}
	}
	if t.XAddr != "" || isVideo(d.Class()) {
		add(554) // the video stream: a camera whose RTSP is dead is degraded
	}
	if len(ports) == 0 {
		add(80)
	}
	t.Ports = ports
	return t
}

func urlPort(u *url.URL) uint16 {
	if p := u.Port(); p != "" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return 0
		}
		return uint16(n)
	}
	if u.Scheme == "https" {
		return 443
	}
	return 80
}

// packets estimates what a check sent, for the rate limits: a ping, and
// about six packets per TCP conversation (handshake, request, answer,
// close).
func packets(r health.Report) int {
	n := 0
	for _, c := range r.Checks {
		if strings.HasPrefix(c.Check, "icmp") {
			n += 2
		} else {
			n += 6
		}
	}
	return max(n, 1)
}

// isVideo: cameras, recorders and intercoms stream over RTSP.
func isVideo(c inventory.Class) bool {
	return c == inventory.ClassCamera || c == inventory.ClassRecorder || c == inventory.ClassIntercom
}
