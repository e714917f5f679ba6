//go:build linux

package lab

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
)

// MaxHosts is the most extra hosts (AddHost) one lab holds.
const MaxHosts = 200

// Host is an extra namespace on the lab's site bridge for a real
// third-party daemon (wsdd, avahi-daemon, snmpd): one daemon per host, as
// real peers each have their own machine.
type Host struct {
	// Namespace is the host's network namespace, for `ip netns exec`.
	Namespace string
	// Addr is its eth0 address, 198.18.200.{10+k}/16.
	Addr netip.Addr
	// MAC is its eth0 hardware address.
	MAC net.HardwareAddr
}

// hosts numbers the extra hosts of each lab prefix.
var hosts struct {
	sync.Mutex
	next map[string]int
}

// AddHost creates one more namespace on the site bridge, configured like a
// device's (address, lo and eth0 up, the multicast route, no default route),
// with eth0's hardware address mac, or the kernel's random one when mac is
// nil. Down and Cleanup remove it with the rest of the lab.
func (l *Lab) AddHost(ctx context.Context, mac net.HardwareAddr) (Host, error) {
	hosts.Lock()
	if hosts.next == nil {
		hosts.next = map[string]int{}
	}
	k := hosts.next[l.prefix]
	if k >= MaxHosts {
		hosts.Unlock()
		return Host{}, fmt.Errorf("lab %s: more than %d extra hosts", l.prefix, MaxHosts)
	}
	hosts.next[l.prefix] = k + 1
	hosts.Unlock()

	h := Host{
		Namespace: l.prefix + "-h" + strconv.Itoa(k),
		Addr:      netip.AddrFrom4([4]byte{198, 18, 200, byte(10 + k)}),
		MAC:       mac,
	}
	if err := ipBatch(ctx, "", []string{"netns add " + h.Namespace}); err != nil {
		return Host{}, fmt.Errorf("lab %s: adding host %d: %w", l.prefix, k, err)
	}
	port := "vh" + strconv.Itoa(k)
	peer := "eth0"
	if mac != nil {
		peer += " address " + mac.String()
	}
	site := []string{
		fmt.Sprintf("link add %s type veth peer name %s netns %s", port, peer, h.Namespace),
		fmt.Sprintf("link set %s master br0 up", port),
	}
	if err := ipBatch(ctx, siteNS(l.prefix), site); err != nil {
		return Host{}, fmt.Errorf("lab %s: adding host %d: %w", l.prefix, k, err)
	}
	if err := ipBatch(ctx, h.Namespace, hostConfig(h.Addr.String())); err != nil {
		return Host{}, fmt.Errorf("lab %s: adding host %d: %w", l.prefix, k, err)
	}
	if err := waitRunning(ctx, siteNS(l.prefix), []string{port}); err != nil {
		return Host{}, fmt.Errorf("lab %s: adding host %d: %w", l.prefix, k, err)
	}
	if mac == nil {
		err := inNamespace(h.Namespace, func() error {
			ifc, err := net.InterfaceByName("eth0")
			if err == nil {
				h.MAC = ifc.HardwareAddr
			}
			return err
		})
		if err != nil {
			return Host{}, fmt.Errorf("lab %s: host %d: %w", l.prefix, k, err)
		}
	}
	return h, nil
}

// InHost runs fn on an OS thread in host h's namespace, like InScanner.
func (l *Lab) InHost(h Host, fn func() error) error { return inNamespace(h.Namespace, fn) }
