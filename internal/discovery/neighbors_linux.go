package discovery

import (
	"net/netip"
	"os"
)

// readNeighbors reads the table of the calling thread's network namespace
// (thread-self, not self: a lab scan runs on a thread moved into the lab).
func readNeighbors() map[netip.Addr]string {
	data, err := os.ReadFile("/proc/thread-self/net/arp")
	if err != nil {
		return nil
	}
	return parseProcARP(data)
}
