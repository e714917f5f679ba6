//go:build linux

package lab

import (
	"fmt"
	"net/netip"
	"os"
	"regexp"
	"strconv"
)

// MaxDevices is the most devices one lab holds. Every device namespace
// and the scanner keep neighbour (ARP) entries for each other, and the
// kernel's neighbour table is one for all namespaces: Up raises its size
// (growNeighbourTable) so that 1,000 devices fit.
const MaxDevices = 1000

// netnsDir is where `ip netns` keeps its named namespaces.
const netnsDir = "/run/netns"

// prefixRE accepts 4 to 10 lower-case letters and digits starting with a
// letter: long enough to be distinctive, short enough that every namespace
// name ("<prefix>-d999") fits IFNAMSIZ like the interface names do.
var prefixRE = regexp.MustCompile(`^[a-z][a-z0-9]{3,9}$`)

// familyRE is the letters-only family of a PIDPrefix.
var familyRE = regexp.MustCompile(`^[a-z]{3}$`)

// checkPrefix refuses a prefix that is empty, too short or could match
// namespaces that are not ours.
func checkPrefix(prefix string) error {
	if !prefixRE.MatchString(prefix) {
		return fmt.Errorf("lab prefix %q: want 4-10 lower-case letters and digits, starting with a letter", prefix)
	}
	return nil
}

// PIDPrefix returns family followed by this process's ID ("skl12345"), a
// prefix no other live process uses at the same time. family is three
// lower-case letters; CleanupStale(family) later removes the labs of dead
// processes of the same family.
func PIDPrefix(family string) string {
	return family + strconv.Itoa(os.Getpid())
}

// Namespace names. The separator keeps one prefix from matching another
// ("skl1" must not match "skl12-site").
func siteNS(prefix string) string          { return prefix + "-site" }
func scannerNS(prefix string) string       { return prefix + "-scan" }
func deviceNS(prefix string, i int) string { return prefix + "-d" + strconv.Itoa(i) }

// Interface names of the bridge ports in the site namespace; they do not
// carry the prefix because each lab has its own site namespace.
const scannerPort = "vscan"

func devicePort(i int) string { return "vd" + strconv.Itoa(i) }

// labLen is the prefix length of every lab address.
const labLen = 16

// scannerAddr is the scanner's eth0 address.
var scannerAddr = netip.AddrFrom4([4]byte{198, 18, 0, 1})

// deviceAddr is device i's eth0 address: 198.18.{i/200+1}.{i%200+10}.
func deviceAddr(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{198, 18, byte(i/200 + 1), byte(i%200 + 10)})
}
