//go:build linux

package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Config describes a lab to bring up.
type Config struct {
	// Prefix starts the name of every namespace of the lab: 4-10 lower-case
	// letters and digits, distinctive per run (PIDPrefix).
	Prefix string
	// Devices is the number of device namespaces, 0 to MaxDevices.
	Devices int
}

// Lab is a running lab site. Its methods are safe for concurrent use.
type Lab struct {
	prefix  string
	devices int
}

// teardownTimeout bounds Down and Cleanup, which must work after the
// caller's context has ended.
const teardownTimeout = 30 * time.Second

// Up removes the leftovers of an earlier run with the same prefix, then
// creates the site namespace with bridge br0, the scanner namespace
// (198.18.0.1/16) and cfg.Devices device namespaces (DeviceAddr). On error
// it removes whatever it created. The caller must call Down.
func Up(ctx context.Context, cfg Config) (*Lab, error) {
	if err := checkPrefix(cfg.Prefix); err != nil {
		return nil, err
	}
	if cfg.Devices < 0 || cfg.Devices > MaxDevices {
		return nil, fmt.Errorf("lab %s: %d devices, want 0 to %d", cfg.Prefix, cfg.Devices, MaxDevices)
	}
	if err := Cleanup(cfg.Prefix); err != nil {
		return nil, fmt.Errorf("lab %s: clearing leftovers: %w", cfg.Prefix, err)
	}
	if err := growNeighbourTable(cfg.Devices); err != nil {
		return nil, fmt.Errorf("lab %s: %w", cfg.Prefix, err)
	}
	l := &Lab{prefix: cfg.Prefix, devices: cfg.Devices}
	if err := l.create(ctx); err != nil {
		if cerr := Cleanup(cfg.Prefix); cerr != nil {
			err = errors.Join(err, fmt.Errorf("removing the partial lab: %w", cerr))
		}
		return nil, fmt.Errorf("lab %s up: %w", cfg.Prefix, err)
	}
	return l, nil
}

// create builds the topology with as few `ip` processes as netlab-fast.sh:
// one batch for every `netns add`, one in the site namespace for the bridge
// and every veth, then one per host namespace, run a few at a time.
func (l *Lab) create(ctx context.Context) error {
	hosts := make([]string, 0, l.devices+1)
	hosts = append(hosts, scannerNS(l.prefix))
	for i := range l.devices {
		hosts = append(hosts, deviceNS(l.prefix, i))
	}

	adds := []string{"netns add " + siteNS(l.prefix)}
	for _, h := range hosts {
		adds = append(adds, "netns add "+h)
	}
	if err := ipBatch(ctx, "", adds); err != nil {
		return err
	}

	// The veth is created inside the site namespace and its peer goes
	// straight into the host namespace: neither end ever exists in the
	// default namespace.
	site := []string{
		"link set lo up",
		"link add br0 type bridge mcast_snooping 0",
		"link set br0 up",
	}
	ports := make([]string, 0, len(hosts))
	ports = append(ports, scannerPort)
	for i := range l.devices {
		ports = append(ports, devicePort(i))
	}
	for k, h := range hosts {
		// Devices get their vendor's OUI, as real cameras have; the
		// scanner keeps the kernel's random address.
		peer := "eth0"
		if k > 0 {
			peer += " address " + device(l.prefix, k-1).MAC.String()
		}
		site = append(site,
			fmt.Sprintf("link add %s type veth peer name %s netns %s", ports[k], peer, h),
			fmt.Sprintf("link set %s master br0 up", ports[k]))
	}
	if err := ipBatch(ctx, siteNS(l.prefix), site); err != nil {
		return err
	}

	addrs := make([]netip.Addr, 0, len(hosts))
	addrs = append(addrs, scannerAddr)
	for i := range l.devices {
		addrs = append(addrs, deviceAddr(i))
	}
	err := forEachLimit(ctx, len(hosts), 2*runtime.GOMAXPROCS(0), func(k int) error {
		return ipBatch(ctx, hosts[k], hostConfig(addrs[k].String()))
	})
	if err != nil {
		return err
	}
	return waitRunning(ctx, siteNS(l.prefix), ports)
}

// carrierTimeout bounds the wait for the bridge ports' carrier.
const carrierTimeout = 10 * time.Second

// waitRunning waits until every port named is running (has carrier) in
// namespace ns. The kernel reports a veth's carrier, and the bridge starts
// forwarding through the port, asynchronously (linkwatch, up to a second
// later): a probe sent before that reaches only some devices.
func waitRunning(ctx context.Context, ns string, ports []string) error {
	ctx, cancel := context.WithTimeout(ctx, carrierTimeout)
	defer cancel()
	return inNamespace(ns, func() error {
		for {
			ifs, err := net.Interfaces()
			if err != nil {
				return err
			}
			running := map[string]bool{}
			for _, ifi := range ifs {
				running[ifi.Name] = ifi.Flags&net.FlagRunning != 0
			}
			var down []string
			for _, p := range ports {
				if !running[p] {
					down = append(down, p)
				}
			}
			if len(down) == 0 {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("bridge ports %v have no carrier: %w", down, ctx.Err())
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
}

// forEachLimit calls fn(0..n-1) with at most limit calls at once and
// returns the first error; after an error it starts no new calls.
func forEachLimit(ctx context.Context, n, limit int, fn func(int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for k := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(k); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}

// Prefix returns the lab's namespace prefix.
func (l *Lab) Prefix() string { return l.prefix }

// Devices returns the number of devices.
func (l *Lab) Devices() int { return l.devices }

// ScannerAddr returns the scanner's eth0 address, 198.18.0.1.
func (l *Lab) ScannerAddr() netip.Addr { return scannerAddr }

// ScannerNamespace returns the name of the scanner's namespace, for
// `ip netns exec NAME …`.
func (l *Lab) ScannerNamespace() string { return scannerNS(l.prefix) }

// DeviceAddr returns device i's eth0 address, 198.18.{i/200+1}.{i%200+10},
// or the zero Addr when i is not a device of the lab.
func (l *Lab) DeviceAddr(i int) netip.Addr {
	if i < 0 || i >= l.devices {
		return netip.Addr{}
	}
	return deviceAddr(i)
}

// Down removes every namespace of the lab. Sockets still open in a device
// namespace keep that (now nameless) namespace alive until they are closed,
// so stop the Responder first.
func (l *Lab) Down() error {
	if err := Cleanup(l.prefix); err != nil {
		return fmt.Errorf("lab %s down: %w", l.prefix, err)
	}
	return nil
}

// Cleanup removes every namespace whose name starts with prefix and a dash:
// the lab with that prefix, or what a crashed earlier run left behind. It
// touches nothing else; no namespace is not an error.
func Cleanup(prefix string) error {
	if err := checkPrefix(prefix); err != nil {
		return err
	}
	names, err := namespaces()
	if err != nil {
		return err
	}
	var dels []string
	var errs []error
	for _, n := range names {
		if strings.HasPrefix(n, prefix+"-") {
			errs = append(errs, killProcesses(n))
			dels = append(dels, "netns del "+n)
		}
	}
	errs = append(errs, removeEtcNetns(prefix))
	if len(dels) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), teardownTimeout)
		defer cancel()
		errs = append(errs, ipBatchAll(ctx, "", dels))
	}
	return errors.Join(errs...)
}

// etcNetnsDir holds per-namespace /etc overlays: `ip netns exec NS` bind-mounts
// each entry of etcNetnsDir/NS over /etc (how peer daemons get their config).
const etcNetnsDir = "/etc/netns"

// removeEtcNetns removes the /etc overlays of the namespaces of prefix.
func removeEtcNetns(prefix string) error {
	entries, err := os.ReadDir(etcNetnsDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix+"-") {
			errs = append(errs, os.RemoveAll(etcNetnsDir+"/"+e.Name()))
		}
	}
	return errors.Join(errs...)
}

// killProcesses kills every process living in namespace ns — the peer
// daemons (wsdd, avahi-daemon) of a lab, or of a crashed earlier run — and
// waits up to a second for them to go. This process is never killed, even
// when one of its threads is in ns.
func killProcesses(ns string) error {
	target, err := os.Stat(netnsDir + "/" + ns)
	if err != nil {
		return nil // gone already
	}
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return fmt.Errorf("listing processes: %w", err)
	}
	var pids []int
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		fi, err := os.Stat("/proc/" + p.Name() + "/ns/net")
		if err == nil && os.SameFile(fi, target) {
			pids = append(pids, pid)
		}
	}
	for _, pid := range pids {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		alive := 0
		for _, pid := range pids {
			if running(pid) {
				alive++
			}
		}
		if alive == 0 {
			return nil
		}
	}
	return fmt.Errorf("namespace %s: processes %v did not exit", ns, pids)
}

// CleanupStale removes the labs of family (see PIDPrefix) whose process
// has exited: those a killed test run left behind. Labs of live processes,
// this one included, are kept.
func CleanupStale(family string) error {
	if !familyRE.MatchString(family) {
		return fmt.Errorf("lab family %q: want three lower-case letters", family)
	}
	names, err := namespaces()
	if err != nil {
		return err
	}
	stale := map[string]bool{}
	for _, n := range names {
		prefix, _, ok := strings.Cut(n, "-")
		if !ok || !strings.HasPrefix(prefix, family) {
			continue
		}
		pid, err := strconv.Atoi(prefix[len(family):])
		if err != nil || pid <= 0 || checkPrefix(prefix) != nil {
			continue // not a PIDPrefix of this family
		}
		if unix.Kill(pid, 0) == unix.ESRCH {
			stale[prefix] = true
		}
	}
	var errs []error
	for prefix := range stale {
		errs = append(errs, Cleanup(prefix))
	}
	return errors.Join(errs...)
}

// namespaces lists the named network namespaces (`ip netns list`).
func namespaces() ([]string, error) {
	entries, err := os.ReadDir(netnsDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing network namespaces: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, nil
}

// running reports whether process pid exists and is not a zombie (a killed
// child of this process stays one until its exec.Cmd is waited for).
func running(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// "pid (comm) S ...": the state follows the last ')'.
	i := bytes.LastIndexByte(stat, ')')
	return i >= 0 && i+2 < len(stat) && stat[i+2] != 'Z'
}

// neighbourSysctls are the kernel's neighbour table sizes. The table is
// shared by every network namespace: the scanner's entry for each device
// and each device's entry for the scanner all count, so a lab of n devices
// needs about 2n entries (and as many again over IPv6). The default
// gc_thresh3 of 1,024 overflowed at 500 devices ("neighbor table
// overflow"; about half of 1,000 devices then never answered).
var neighbourSysctls = []string{
	"/proc/sys/net/ipv4/neigh/default/gc_thresh3",
	"/proc/sys/net/ipv6/neigh/default/gc_thresh3",
}

// growNeighbourTable raises the neighbour table's hard limit (and the soft
// one, gc_thresh2, to three quarters of it) to fit a lab of n devices. It
// only ever raises them and does not put them back: another lab may be
// using the room. This is the lab's one change outside its namespaces — a
// table size, no address, link or route — written down in
// docs/decisions.md.
func growNeighbourTable(n int) error {
	need := 4*n + 1024
	for _, p3 := range neighbourSysctls {
		cur, err := readInt(p3)
		if err != nil {
			return fmt.Errorf("reading the neighbour table size: %w", err)
		}
		if cur >= need {
			continue
		}
		p2 := strings.TrimSuffix(p3, "3") + "2"
		if err := os.WriteFile(p2, []byte(strconv.Itoa(need*3/4)), 0o644); err != nil {
			return fmt.Errorf("growing the neighbour table: %w", err)
		}
		if err := os.WriteFile(p3, []byte(strconv.Itoa(need)), 0o644); err != nil {
			return fmt.Errorf("growing the neighbour table: %w", err)
		}
	}
	return nil
}

func readInt(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}
