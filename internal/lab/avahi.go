//go:build linux

package lab

import (
	"bufio"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// AvahiService is one DNS-SD service an avahi peer publishes.
type AvahiService struct {
	// Name is the instance name ("AXIS M3045-V - ACCC8E123456"). Services
	// with the same Name are published as one group, as a device does.
	Name string
	// Type is the service type ("_axis-video._tcp").
	Type string
	Port int
	// TXT are the TXT record's strings ("macaddress=ACCC8E123456").
	TXT []string
}

// AvahiConfig is what an avahi peer publishes.
type AvahiConfig struct {
	// HostName is the peer's host name without ".local"; the namespace
	// name when empty. Every namespace shares the machine's UTS name, so
	// without it all peers would claim the same name and rename.
	HostName string
	// Services are published from static .service files.
	Services []AvahiService
	// IPv6 lets avahi use IPv6 as well as IPv4 transport.
	IPv6 bool
}

// Avahi is a running avahi-daemon in a lab host's namespace.
type Avahi struct {
	// Host is where it runs.
	Host Host
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	mu   sync.Mutex
	log  []string // its stderr, the last maxAvahiLog lines
	err  error    // cmd.Wait's error, once done
}

const (
	// avahiStartTimeout bounds the wait for avahi to establish its
	// services: probing a name takes about 750 ms, a rename as much again.
	avahiStartTimeout = 10 * time.Second
	// avahiStopTimeout bounds Stop's wait for the process to exit.
	avahiStopTimeout = 5 * time.Second
	maxAvahiLog      = 200
	// avahiRunDir holds avahi's pid file and socket; each peer mounts its
	// own tmpfs over it inside its own mount namespace (lab-notes §3.1).
	avahiRunDir = "/run/avahi-daemon"
)

// hostNameRE accepts a DNS label avahi can publish as a host name.
var hostNameRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// Avahi's log lines once a service group is announced, and once the host
// name is (enough when there are no services).
var (
	established   = regexp.MustCompile(`^Service ".*" \(.*\) successfully established\.`)
	startComplete = regexp.MustCompile(`^Server startup complete\.`)
)

// StartAvahi writes h's avahi configuration to /etc/netns/<namespace>/avahi
// (which `ip netns exec` mounts over /etc/avahi), starts avahi-daemon in h's
// namespace without D-Bus, and returns once every service group is
// announced (avahi has finished probing, after renaming on a conflict) or
// fails after 10 s or when ctx ends. The caller must call Stop; Cleanup
// kills a forgotten one and removes its configuration.
func (l *Lab) StartAvahi(ctx context.Context, h Host, cfg AvahiConfig) (*Avahi, error) {
	if !strings.HasPrefix(h.Namespace, l.prefix+"-") {
		return nil, fmt.Errorf("lab %s: namespace %q is not the lab's", l.prefix, h.Namespace)
	}
	if _, err := os.Stat(filepath.Join(netnsDir, h.Namespace)); err != nil {
		return nil, fmt.Errorf("lab %s: avahi host: %w", l.prefix, err)
	}
	if cfg.HostName == "" {
		cfg.HostName = h.Namespace
	}
	if !hostNameRE.MatchString(cfg.HostName) {
		return nil, fmt.Errorf("avahi in %s: host name %q is not a DNS label", h.Namespace, cfg.HostName)
	}
	groups, err := writeAvahiConfig(filepath.Join(etcNetnsDir, h.Namespace, "avahi"), cfg)
	if err != nil {
		return nil, fmt.Errorf("avahi in %s: %w", h.Namespace, err)
	}
	if err := os.MkdirAll(avahiRunDir, 0o755); err != nil {
		return nil, fmt.Errorf("avahi in %s: %w", h.Namespace, err)
	}
	// `ip netns exec` gives the command its own mount namespace, so the
	// tmpfs is private to this peer and gone when it exits.
	cmd := exec.Command("ip", "netns", "exec", h.Namespace, "sh", "-c",
		"mount -t tmpfs -o mode=0755 tmpfs "+avahiRunDir+
			" && exec avahi-daemon --no-chroot --no-drop-root --no-rlimits --no-proc-title")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("avahi in %s: %w", h.Namespace, err)
	}
	cmd.Stdout = nil
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("avahi in %s: %w", h.Namespace, err)
	}
	a := &Avahi{Host: h, cmd: cmd, done: make(chan struct{})}
	ready := make(chan struct{})
	go a.watch(stderr, groups, ready)

	timer := time.NewTimer(avahiStartTimeout)
	defer timer.Stop()
	select {
	case <-ready:
		return a, nil
	case <-a.done:
		return nil, fmt.Errorf("avahi in %s exited: %v: %s", h.Namespace, a.waitErr(), a.tail())
	case <-timer.C:
		err = fmt.Errorf("avahi in %s: no service established after %v: %s", h.Namespace, avahiStartTimeout, a.tail())
	case <-ctx.Done():
		err = fmt.Errorf("avahi in %s: %w", h.Namespace, ctx.Err())
	}
	return nil, errors.Join(err, a.Stop())
}

// watch collects avahi's stderr, closes ready once groups services are
// established, and closes a.done when the process has exited.
func (a *Avahi) watch(stderr io.Reader, groups int, ready chan<- struct{}) {
	n := 0
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		line := sc.Text()
		a.mu.Lock()
		if len(a.log) == maxAvahiLog {
			a.log = a.log[1:]
		}
		a.log = append(a.log, line)
		a.mu.Unlock()
		switch {
		case groups == 0 && startComplete.MatchString(line):
			close(ready)
			groups = -1 // once
		case established.MatchString(line):
			if n++; n == groups {
				close(ready)
			}
		}
	}
	_, _ = io.Copy(io.Discard, stderr) // a line too long: keep the pipe drained
	err := a.cmd.Wait()
	a.mu.Lock()
	a.err = err
	a.mu.Unlock()
	close(a.done)
}

// Log returns what avahi wrote on stderr so far (the last 200 lines).
func (a *Avahi) Log() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.log...)
}

func (a *Avahi) tail() string {
	log := a.Log()
	return strings.Join(log[max(0, len(log)-5):], " | ")
}

func (a *Avahi) waitErr() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// Stop kills avahi (no goodbye packets) and waits for it to exit.
func (a *Avahi) Stop() error {
	select {
	case <-a.done:
		return nil
	default:
	}
	_ = a.cmd.Process.Kill() // it may have exited meanwhile
	select {
	case <-a.done:
		return nil
	case <-time.After(avahiStopTimeout):
		return fmt.Errorf("avahi in %s: pid %d did not exit", a.Host.Namespace, a.cmd.Process.Pid)
	}
}

// writeAvahiConfig writes avahi-daemon.conf and one .service file per
// service group into dir, and returns the number of groups.
func writeAvahiConfig(dir string, cfg AvahiConfig) (int, error) {
	svcDir := filepath.Join(dir, "services")
	if err := os.RemoveAll(dir); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(svcDir, 0o755); err != nil {
		return 0, err
	}
	ipv6 := "no"
	if cfg.IPv6 {
		ipv6 = "yes"
	}
	conf := fmt.Sprintf(`[server]
host-name=%s
domain-name=local
use-ipv4=yes
use-ipv6=%s
allow-interfaces=eth0
enable-dbus=no

[wide-area]
enable-wide-area=no

[publish]
publish-hinfo=no
publish-workstation=no

[reflector]
enable-reflector=no
`, cfg.HostName, ipv6)
	if err := os.WriteFile(filepath.Join(dir, "avahi-daemon.conf"), []byte(conf), 0o644); err != nil {
		return 0, err
	}

	var names []string
	byName := map[string][]AvahiService{}
	for _, s := range cfg.Services {
		if _, ok := byName[s.Name]; !ok {
			names = append(names, s.Name)
		}
		byName[s.Name] = append(byName[s.Name], s)
	}
	for i, name := range names {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" standalone="no"?>` + "\n<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">\n<service-group>\n")
		b.WriteString(`  <name replace-wildcards="no">` + xmlText(name) + "</name>\n")
		for _, s := range byName[name] {
			b.WriteString("  <service>\n    <type>" + xmlText(s.Type) + "</type>\n")
			b.WriteString("    <port>" + strconv.Itoa(s.Port) + "</port>\n")
			for _, t := range s.TXT {
				b.WriteString("    <txt-record>" + xmlText(t) + "</txt-record>\n")
			}
			b.WriteString("  </service>\n")
		}
		b.WriteString("</service-group>\n")
		file := filepath.Join(svcDir, "g"+strconv.Itoa(i)+".service")
		if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
			return 0, err
		}
	}
	return len(names), nil
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writing to a Builder cannot fail
	return b.String()
}

// SkipUnlessAvahi skips tb when avahi-daemon is not installed
// (scripts/apt-ensure.sh installs it).
func SkipUnlessAvahi(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("avahi-daemon"); err != nil {
		tb.Skip("avahi lab test skipped: avahi-daemon is not installed (apt-get install avahi-daemon, with policy-rc.d denying starts)")
	}
}

// AvahiForTest adds a host with hardware address mac (random when nil) to
// l and starts avahi there with cfg; it is stopped when tb ends, before
// UpForTest's cleanup removes the namespace. It skips tb when avahi-daemon
// is not installed.
func AvahiForTest(tb testing.TB, l *Lab, mac net.HardwareAddr, cfg AvahiConfig) (Host, *Avahi) {
	tb.Helper()
	SkipUnlessAvahi(tb)
	ctx := context.Background()
	h, err := l.AddHost(ctx, mac)
	if err != nil {
		tb.Fatalf("AddHost = %v", err)
	}
	a, err := l.StartAvahi(ctx, h, cfg)
	if err != nil {
		tb.Fatalf("StartAvahi(%s) = %v", h.Namespace, err)
	}
	tb.Cleanup(func() {
		if err := a.Stop(); err != nil {
			tb.Errorf("Stop = %v", err)
		}
	})
	return h, a
}
