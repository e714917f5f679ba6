//go:build linux

package lab

import (
	"context"
	"fmt"
	"os"
)

// LinkDown sets device i's eth0 down inside its namespace (`ip -n NS link
// set eth0 down`): the device drops off the network as if unplugged, while
// its sockets stay open. LinkUp brings it back.
func (l *Lab) LinkDown(ctx context.Context, i int) error {
	if i < 0 || i >= l.devices {
		return fmt.Errorf("lab %s: no device %d (have %d)", l.prefix, i, l.devices)
	}
	if err := ipBatch(ctx, deviceNS(l.prefix, i), []string{"link set eth0 down"}); err != nil {
		return fmt.Errorf("lab %s: device %d link down: %w", l.prefix, i, err)
	}
	return nil
}

// LinkUp sets device i's eth0 up again and restores what going down
// removed — the kernel drops the multicast route and the IPv6 addresses of
// a link that goes down — then waits for the bridge port's carrier.
func (l *Lab) LinkUp(ctx context.Context, i int) error {
	if i < 0 || i >= l.devices {
		return fmt.Errorf("lab %s: no device %d (have %d)", l.prefix, i, l.devices)
	}
	a := deviceAddr(i)
	lines := []string{
		"link set eth0 up",
		fmt.Sprintf("addr replace %s/64 dev eth0 nodad", LinkLocal(a)),
		"route replace 224.0.0.0/4 dev eth0",
	}
	if err := ipBatch(ctx, deviceNS(l.prefix, i), lines); err != nil {
		return fmt.Errorf("lab %s: device %d link up: %w", l.prefix, i, err)
	}
	if err := waitRunning(ctx, siteNS(l.prefix), []string{devicePort(i)}); err != nil {
		return fmt.Errorf("lab %s: device %d link up: %w", l.prefix, i, err)
	}
	return nil
}

// pingGroupRange is the scanner namespace's sysctl that admits groups to
// unprivileged ICMP ("ping") sockets; a new namespace has "1 0": nobody.
const pingGroupRange = "/proc/sys/net/ipv4/ping_group_range"

// AllowUnprivilegedPing lets every group open unprivileged ICMP sockets in
// the scanner's namespace only (net.ipv4.ping_group_range is per namespace;
// the default namespace is not touched), as a desktop distribution does.
func (l *Lab) AllowUnprivilegedPing() error {
	return l.setScannerSysctl(pingGroupRange, "0 2147483647")
}

// DenyUnprivilegedPing restores the new-namespace default: no group may.
func (l *Lab) DenyUnprivilegedPing() error {
	return l.setScannerSysctl(pingGroupRange, "1 0")
}

// setScannerSysctl writes a /proc/sys/net file from a thread inside the
// scanner's namespace: those files show the namespace of the task that
// opens them.
func (l *Lab) setScannerSysctl(path, value string) error {
	ns := scannerNS(l.prefix)
	err := inNamespace(ns, func() error {
		if err := threadIn(ns); err != nil {
			return err
		}
		return os.WriteFile(path, []byte(value+"\n"), 0o644)
	})
	if err != nil {
		return fmt.Errorf("lab %s: scanner %s: %w", l.prefix, path, err)
	}
	return nil
}
