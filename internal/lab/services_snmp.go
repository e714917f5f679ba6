//go:build linux

package lab

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// SNMPAgent is a real net-snmp snmpd answering v2c in one device's
// namespace (lab-notes §5): bound to the device's address only, with its own
// config and persistent directory. Its sysUpTime is the agent's: Restart is
// a reboot as far as SNMP can tell.
type SNMPAgent struct {
	l         *Lab
	i         int
	dir       string
	community string
	cmd       *exec.Cmd
	exited    chan struct{}
}

// SNMPDescr is the sysDescr the lab's agents answer with.
const SNMPDescr = "AXIS M3106-L Mk II Network Camera 10.12.153"

// snmpStartTimeout bounds the wait for snmpd's socket.
const snmpStartTimeout = 10 * time.Second

// StartSNMP starts snmpd for device i with read-only community. It needs
// net-snmp's snmpd (Debian: apt-get install --no-install-recommends snmpd,
// with /usr/sbin/policy-rc.d denying starts, lab-notes §0). When it returns,
// the agent's UDP port 161 is open. Stop it before Down (Down's Cleanup also
// kills it).
func (l *Lab) StartSNMP(ctx context.Context, i int, community string) (*SNMPAgent, error) {
	d := l.Device(i)
	if d.Namespace == "" {
		return nil, fmt.Errorf("lab %s: no device %d", l.prefix, i)
	}
	if _, err := exec.LookPath("snmpd"); err != nil {
		return nil, fmt.Errorf("lab %s: snmpd: %w", l.prefix, err)
	}
	dir, err := os.MkdirTemp("", "sitekeeper-lab-snmp-")
	if err != nil {
		return nil, err
	}
	conf := strings.Join([]string{
		"agentAddress udp:" + d.Addr.String() + ":161",
		"rocommunity " + community + " default",
		"sysDescr " + SNMPDescr,
		"sysName " + strings.ToLower(d.Vendor.Name) + "-" + strings.ReplaceAll(d.MAC.String(), ":", ""),
		"sysLocation SiteKeeper lab",
		"sysServices 72",
	}, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "snmpd.conf"), []byte(conf), 0o600); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	a := &SNMPAgent{l: l, i: i, dir: dir, community: community}
	if err := a.start(ctx); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return a, nil
}

func (a *SNMPAgent) start(ctx context.Context) error {
	ns := deviceNS(a.l.prefix, a.i)
	cmd := exec.Command("ip", "netns", "exec", ns, "env",
		"SNMP_PERSISTENT_DIR="+filepath.Join(a.dir, "var"), "MIBS=", "MIBDIRS=/nonexistent",
		"snmpd", "-f", "-Lo", "-C", "-c", filepath.Join(a.dir, "snmpd.conf"), "-I", "-smux")
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("lab %s: device %d: snmpd: %w", a.l.prefix, a.i, err)
	}
	a.cmd, a.exited = cmd, make(chan struct{})
	go func() { // exits when snmpd does (Stop kills it)
		_ = cmd.Wait()
		close(a.exited)
	}()
	ctx, cancel := context.WithTimeout(ctx, snmpStartTimeout)
	defer cancel()
	for {
		open, err := a.listening()
		if err != nil || open {
			if err != nil {
				a.kill()
			}
			return err
		}
		select {
		case <-a.exited:
			return fmt.Errorf("lab %s: device %d: snmpd exited at start", a.l.prefix, a.i)
		case <-ctx.Done():
			a.kill()
			return fmt.Errorf("lab %s: device %d: snmpd did not open port 161: %w", a.l.prefix, a.i, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// listening reports whether UDP port 161 is bound in the device's namespace.
func (a *SNMPAgent) listening() (bool, error) {
	var open bool
	err := a.l.InDevice(a.i, func() error {
		f, err := os.Open("/proc/thread-self/net/udp")
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// "sl local_address rem_address st ...": local is HEXADDR:HEXPORT.
			if fields := strings.Fields(sc.Text()); len(fields) > 1 && strings.HasSuffix(fields[1], ":00A1") {
				open = true
			}
		}
		return sc.Err()
	})
	return open, err
}

// kill ends snmpd (the process this agent started) and waits for it.
func (a *SNMPAgent) kill() {
	if a.cmd == nil {
		return
	}
	_ = a.cmd.Process.Kill()
	<-a.exited
	a.cmd = nil
}

// Restart stops and starts snmpd: its sysUpTime starts again from zero, as
// after a device reboot.
func (a *SNMPAgent) Restart(ctx context.Context) error {
	a.kill()
	return a.start(ctx)
}

// Stop ends snmpd and removes its files.
func (a *SNMPAgent) Stop() error {
	a.kill()
	return errors.Join(os.RemoveAll(a.dir))
}
