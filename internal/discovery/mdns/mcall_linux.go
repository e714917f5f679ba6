package mdns

import (
	"net"

	"golang.org/x/sys/unix"
)

// ownGroupsOnly makes c receive only the multicast of its own memberships.
// Linux otherwise hands a socket bound to the wildcard address the traffic
// of every group any socket joined on any interface (IP_MULTICAST_ALL is on
// by default), and the per-interface listeners could not tell where an
// answer came from. Other systems filter by membership already.
func ownGroupsOnly(c *net.UDPConn) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	err = raw.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_MULTICAST_ALL, 0)
	})
	if err != nil {
		return err
	}
	return serr
}
