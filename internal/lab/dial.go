//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
)

// labRange is RFC 2544's benchmark range, which holds every lab address.
var labRange = netip.MustParsePrefix("198.18.0.0/15")

// ScannerDial opens a connection to addr from inside the scanner's
// namespace, for discovery.IdentifyConfig.Dial or an http.Transport's
// DialContext: the socket is created on a thread in that namespace and
// stays there whichever goroutine uses it. It refuses an address outside
// the lab (198.18.0.0/15; host names too, the lab has no DNS) and fails
// if the dialling thread turns out not to be in the scanner's namespace,
// so that a mistake can never open a connection on this machine's network.
func (l *Lab) ScannerDial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("lab %s: dial %s: %w", l.prefix, addr, err)
	}
	a, err := netip.ParseAddr(host)
	if err != nil || !labRange.Contains(a.Unmap()) {
		return nil, fmt.Errorf("lab %s: dial %s: not a lab address (%s)", l.prefix, addr, labRange)
	}
	ns := scannerNS(l.prefix)
	var c net.Conn
	err = inNamespace(ns, func() error {
		if err := threadIn(ns); err != nil {
			return err
		}
		var err error
		c, err = (&net.Dialer{}).DialContext(ctx, network, addr)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("lab %s: dial %s from the scanner: %w", l.prefix, addr, err)
	}
	return c, nil
}

// threadIn checks that the calling OS thread is in network namespace ns.
func threadIn(ns string) error {
	want, err := os.Stat(filepath.Join(netnsDir, ns))
	if err != nil {
		return err
	}
	got, err := os.Stat("/proc/thread-self/ns/net")
	if err != nil {
		return err
	}
	if !os.SameFile(want, got) {
		return errors.New("the dialling thread is not in namespace " + ns)
	}
	return nil
}
