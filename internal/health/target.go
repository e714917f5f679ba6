package health

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"strconv"
	"time"
)

// DialFunc opens a connection, like net.Dialer.DialContext.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// ICMPMode chooses how CheckPing pings.
type ICMPMode int

const (
	// ICMPAuto tries an unprivileged ping socket, then a raw socket, then a
	// TCP connect to the first known port (Windows skips the first).
	ICMPAuto ICMPMode = iota
	// ICMPUnprivileged uses only a ping ("udp") socket.
	ICMPUnprivileged
	// ICMPPrivileged uses only a raw socket (pro-bing's privileged mode).
	ICMPPrivileged
	// ICMPOff sends no ICMP: a TCP connect to the first known port instead,
	// for networks whose firewalls drop ping.
	ICMPOff
)

// Defaults for Target fields left zero.
const (
	DefaultTimeout = 3 * time.Second
	// DefaultSockets keeps a device's checks gentle: fragile OT devices
	// have small connection tables.
	DefaultSockets = 3
	// MaxDrift is the clock difference past which recordings' timestamps
	// stop being reliable evidence.
	MaxDrift = 5 * time.Second
	// CertWarnDays is how close to expiry a certificate becomes a finding.
	CertWarnDays = 30
)

// Target is one device to check and how to reach it.
type Target struct {
	// Addr is the device's address.
	Addr netip.Addr
	// Ports are its known TCP service ports (from the inventory's XAddrs
	// and Services). 80 and 8080 get an HTTP check, 443 and 8443 HTTPS, 554
	// and 8554 RTSP OPTIONS, any other a TCP connect.
	Ports []uint16
	// XAddr is its ONVIF device service URL; "" skips the ONVIF check.
	XAddr string
	// Community is its SNMP v2c read community; "" skips the SNMP check.
	Community string
	// SNMPPort is the SNMP agent's UDP port; 0 means 161.
	SNMPPort uint16
	// PrevUptime is sysUpTime from the last check, 0 if unknown; a lower
	// uptime now means the device rebooted.
	PrevUptime time.Duration

	// ICMP chooses how to ping.
	ICMP ICMPMode
	// Timeout bounds each check; 0 means DefaultTimeout.
	Timeout time.Duration
	// Sockets is the most checks (each holds one socket) run at once by
	// CheckDevice; 0 means DefaultSockets.
	Sockets int
	// Dial opens every TCP connection; nil means a net.Dialer. The lab
	// passes lab.ScannerDial.
	Dial DialFunc
	// Enter runs fn where sockets must be opened, for the checks whose
	// libraries open their own (ICMP, SNMP); nil calls fn directly. The lab
	// passes lab.InScanner. Enter must run fn synchronously, on the thread
	// whose network the sockets belong to, and return fn's error.
	Enter func(fn func() error) error
	// Now is our clock; nil means time.Now.
	Now func() time.Time
}

func (t Target) timeout() time.Duration {
	if t.Timeout > 0 {
		return t.Timeout
	}
	return DefaultTimeout
}

func (t Target) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t Target) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if t.Dial != nil {
		return t.Dial(ctx, network, addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func (t Target) enter(fn func() error) error {
	if t.Enter != nil {
		return t.Enter(fn)
	}
	return fn()
}

// hostPort is the device's address with port p.
func (t Target) hostPort(p uint16) string {
	return netip.AddrPortFrom(t.Addr, p).String()
}

// timedOut reports whether err is a deadline or timeout.
func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// connectFailure words a failed connection to port p.
func connectFailure(p uint16, err error) (detail string, answered bool) {
	switch {
	case refused(err):
		return "port " + strconv.Itoa(int(p)) + " refused the connection: the device is on, but nothing is listening there", true
	case timedOut(err):
		return "port " + strconv.Itoa(int(p)) + " did not answer in time", false
	case unreachable(err):
		return "the device cannot be reached from this computer (no route to it): " + err.Error(), false
	default:
		return "could not connect to port " + strconv.Itoa(int(p)) + ": " + err.Error(), false
	}
}
