//go:build linux

package lab

import (
	"bufio"
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// WSDDConfig is how a wsdd peer presents itself.
type WSDDConfig struct {
	// Name is its NetBIOS host name (wsdd -n), shown as "WSD Device NAME";
	// the namespace name when empty. Every namespace shares the machine's
	// UTS name, so without it all peers would have the same name.
	Name string
	// Workgroup is its workgroup (wsdd -w); "LAB" when empty.
	Workgroup string
	// UUID is its endpoint UUID (wsdd -U); when empty one derived from the
	// namespace, so that every peer has its own (wsdd's default derives it
	// from the shared host name).
	UUID string
	// IPv4Only runs wsdd with -4; by default it serves IPv4 and IPv6 (the
	// lab gives every host an fe80:: address).
	IPv4Only bool
}

// WSDD is a running Debian wsdd, a Windows-style WS-Discovery host (Types
// wsdp:Device pub:Computer), in a lab host's namespace. It answers only a
// Probe for exactly wsdp:Device, without XAddrs: a scanner must Resolve
// its endpoint to learn http://ADDR:5357/UUID (../shared/lab-notes.md §2).
type WSDD struct {
	// Host is where it runs.
	Host Host
	// Name and UUID are what it was started with.
	Name, UUID string
	cmd        *exec.Cmd
	done       chan struct{} // closed when the process has exited
	mu         sync.Mutex
	log        []string // its stderr, the last maxWSDDLog lines
	err        error    // cmd.Wait's error, once done
}

const (
	// wsddStartTimeout bounds the wait for wsdd's HTTP port: it opens within
	// ~0.5 s (a Python start) when its reverse lookup fails fast.
	wsddStartTimeout = 10 * time.Second
	// wsddStopTimeout bounds Stop's wait for the process to exit.
	wsddStopTimeout = 5 * time.Second
	maxWSDDLog      = 200
	// WSDDPort is the port of wsdd's HTTP (WS-Transfer Get) service.
	WSDDPort = 5357
)

var (
	uuidRE      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	netbiosRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,14}$`)
	workgroupRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,14}$`)
)

// EndpointRef is the endpoint reference wsdd announces, urn:uuid:UUID.
func (w *WSDD) EndpointRef() string { return "urn:uuid:" + w.UUID }

// XAddr is the address its ResolveMatch gives over IPv4.
func (w *WSDD) XAddr() string {
	return fmt.Sprintf("http://%s:%d/%s", w.Host.Addr, WSDDPort, w.UUID)
}

// StartWSDD starts wsdd on eth0 in h's namespace and returns once its HTTP
// port accepts connections (by then it has joined the multicast groups),
// or fails after 10 s or when ctx ends. It first writes /etc/netns/<ns>/hosts
// naming h's addresses and a resolv.conf pointing at 127.0.0.1, which
// `ip netns exec` mounts over /etc: wsdd's HTTP server looks up its own
// address (getfqdn) when it binds, and a lookup that waits on a resolver
// delays every answer by seconds (lab-notes §2). The caller must call Stop;
// Cleanup kills a forgotten one and removes the files.
func (l *Lab) StartWSDD(ctx context.Context, h Host, cfg WSDDConfig) (*WSDD, error) {
	if !strings.HasPrefix(h.Namespace, l.prefix+"-") {
		return nil, fmt.Errorf("lab %s: namespace %q is not the lab's", l.prefix, h.Namespace)
	}
	if cfg.Name == "" {
		cfg.Name = strings.ReplaceAll(h.Namespace, l.prefix+"-", "")
	}
	if cfg.Workgroup == "" {
		cfg.Workgroup = "LAB"
	}
	if cfg.UUID == "" {
		cfg.UUID = namespaceUUID(h.Namespace)
	}
	switch {
	case !netbiosRE.MatchString(cfg.Name):
		return nil, fmt.Errorf("wsdd in %s: name %q is not a NetBIOS name", h.Namespace, cfg.Name)
	case !workgroupRE.MatchString(cfg.Workgroup):
		return nil, fmt.Errorf("wsdd in %s: workgroup %q is not a NetBIOS name", h.Namespace, cfg.Workgroup)
	case !uuidRE.MatchString(cfg.UUID):
		return nil, fmt.Errorf("wsdd in %s: %q is not a UUID", h.Namespace, cfg.UUID)
	}
	if _, err := os.Stat(filepath.Join(netnsDir, h.Namespace)); err != nil {
		return nil, fmt.Errorf("lab %s: wsdd host: %w", l.prefix, err)
	}
	if err := writeResolver(filepath.Join(etcNetnsDir, h.Namespace), h, cfg.Name); err != nil {
		return nil, fmt.Errorf("wsdd in %s: %w", h.Namespace, err)
	}
	args := []string{"netns", "exec", h.Namespace, "wsdd", "-i", "eth0", "-n", cfg.Name, "-w", cfg.Workgroup,
		"-U", cfg.UUID, "-s", "-v"}
	if cfg.IPv4Only {
		args = append(args, "-4")
	}
	cmd := exec.Command("ip", args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("wsdd in %s: %w", h.Namespace, err)
	}
	cmd.Stdout = nil
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("wsdd in %s: %w", h.Namespace, err)
	}
	w := &WSDD{Host: h, Name: cfg.Name, UUID: strings.ToLower(cfg.UUID), cmd: cmd, done: make(chan struct{})}
	go w.watch(stderr) // exits when wsdd has exited

	ctx, cancel := context.WithTimeout(ctx, wsddStartTimeout)
	defer cancel()
	err = w.waitHTTP(ctx, l, !cfg.IPv4Only)
	if err == nil {
		return w, nil
	}
	select {
	case <-w.done:
		err = fmt.Errorf("wsdd in %s exited: %v: %s", h.Namespace, w.waitErr(), w.tail())
	default:
		err = fmt.Errorf("wsdd in %s: not serving: %w: %s", h.Namespace, err, w.tail())
	}
	return nil, errors.Join(err, w.Stop())
}

// waitHTTP polls wsdd's HTTP port from inside its namespace (on IPv4, and
// on eth0's link-local address when v6) until it accepts, ctx ends or wsdd
// exits.
func (w *WSDD) waitHTTP(ctx context.Context, l *Lab, v6 bool) error {
	addrs := []string{netip.AddrPortFrom(w.Host.Addr, WSDDPort).String()}
	if v6 {
		addrs = append(addrs, netip.AddrPortFrom(LinkLocal(w.Host.Addr).WithZone("eth0"), WSDDPort).String())
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := l.InHost(w.Host, func() error {
			for _, a := range addrs {
				c, err := (&net.Dialer{Timeout: time.Second}).DialContext(ctx, "tcp", a)
				if err != nil {
					return err
				}
				c.Close()
			}
			return nil
		})
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		case <-w.done:
			return errors.New("exited")
		case <-tick.C:
		}
	}
}

// writeResolver makes name lookups in the namespace end at once: h's
// addresses are in hosts, and any other query goes to 127.0.0.1, where
// nothing listens.
func writeResolver(dir string, h Host, name string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	hosts := fmt.Sprintf("127.0.0.1\tlocalhost\n::1\tlocalhost\n%s\t%s\n%s\t%s\n", h.Addr, name, LinkLocal(h.Addr), name)
	if err := os.WriteFile(filepath.Join(dir, "hosts"), []byte(hosts), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "resolv.conf"), []byte("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"), 0o644)
}

// namespaceUUID is a stable UUID (version 5 layout) for namespace ns.
func namespaceUUID(ns string) string {
	s := sha1.Sum([]byte("sitekeeper-lab-wsdd:" + ns))
	s[6] = s[6]&0x0f | 0x50
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}

// watch collects wsdd's stderr and closes w.done when the process has exited.
func (w *WSDD) watch(stderr io.Reader) {
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		w.mu.Lock()
		if len(w.log) == maxWSDDLog {
			w.log = w.log[1:]
		}
		w.log = append(w.log, sc.Text())
		w.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, stderr) // a line too long: keep the pipe drained
	err := w.cmd.Wait()
	w.mu.Lock()
	w.err = err
	w.mu.Unlock()
	close(w.done)
}

// Log returns what wsdd wrote on stderr so far (the last 200 lines; with
// -v it logs every message it receives).
func (w *WSDD) Log() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.log...)
}

func (w *WSDD) tail() string {
	log := w.Log()
	return strings.Join(log[max(0, len(log)-5):], " | ")
}

func (w *WSDD) waitErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Stop kills wsdd (no Bye) and waits for it to exit.
func (w *WSDD) Stop() error {
	select {
	case <-w.done:
		return nil
	default:
	}
	_ = w.cmd.Process.Kill() // it may have exited meanwhile
	t := time.NewTimer(wsddStopTimeout)
	defer t.Stop()
	select {
	case <-w.done:
		return nil
	case <-t.C:
		return fmt.Errorf("wsdd in %s: pid %d did not exit", w.Host.Namespace, w.cmd.Process.Pid)
	}
}

// SkipUnlessWSDD skips tb when wsdd is not installed
// (scripts/apt-ensure.sh installs it).
func SkipUnlessWSDD(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("wsdd"); err != nil {
		tb.Skip("wsdd lab test skipped: wsdd is not installed (apt-get install wsdd, with policy-rc.d denying starts)")
	}
}

// WSDDForTest adds a host to l and starts wsdd there with cfg; it is
// stopped when tb ends, before UpForTest's cleanup removes the namespace.
// It skips tb when wsdd is not installed.
func WSDDForTest(tb testing.TB, l *Lab, cfg WSDDConfig) (Host, *WSDD) {
	tb.Helper()
	SkipUnlessWSDD(tb)
	ctx := context.Background()
	h, err := l.AddHost(ctx, nil)
	if err != nil {
		tb.Fatalf("AddHost = %v", err)
	}
	w, err := l.StartWSDD(ctx, h, cfg)
	if err != nil {
		tb.Fatalf("StartWSDD(%s) = %v", h.Namespace, err)
	}
	tb.Cleanup(func() {
		if err := w.Stop(); err != nil {
			tb.Errorf("Stop = %v", err)
		}
	})
	return h, w
}
