//go:build linux

// Command lab brings up SiteKeeper's test network for trying the program by
// hand — a simulated site of ONVIF devices in network namespaces, nothing
// on this machine's own interfaces — and keeps it up until it is stopped:
//
//	go run ./scripts/lab -n 30        (root; `make lab-up` runs it in the background)
//	ip netns exec skh<pid>-scan bin/sitekeeper --db /tmp/lab.db scan
//
// Beside the simulated cameras it starts real peers where they are installed
// (make deps-test installs them): an office printer and a HomeKit accessory
// announcing themselves over mDNS (avahi-daemon), avahi on camera 0 as an
// Axis camera publishes its services, and a Windows file server (wsdd). The
// last camera wants a password (admin / lab-pass, WS-UsernameToken) and
// another's clock is two hours off.
//
// It prints the scanner namespace's name and writes it to out/lab/scanner.
// Ctrl-C or SIGTERM (`make lab-down`) removes every namespace it made.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"sitekeeper/internal/lab"
)

func main() {
	n := flag.Int("n", 30, "how many simulated devices (at least 3)")
	out := flag.String("out", "out/lab", "folder for the scanner namespace's name")
	flag.Parse()
	if err := run(*n, *out); err != nil {
		fmt.Fprintln(os.Stderr, "lab:", err)
		os.Exit(1)
	}
}

func run(n int, out string) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("needs root to create network namespaces")
	}
	const family = "skh"
	if err := lab.CleanupStale(family); err != nil { // a lab whose process died
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prefix := lab.PIDPrefix(family)
	defer lab.Cleanup(prefix)
	l, err := lab.Up(ctx, lab.Config{Prefix: prefix, Devices: n})
	if err != nil {
		return err
	}
	timing := lab.RealTiming()
	timing.IPv6 = true
	r, err := l.Listen(timing)
	if err != nil {
		return err
	}
	modes := map[int]lab.DeviceMode{}
	if n >= 3 {
		modes[n-1] = lab.DeviceMode{Auth: lab.AuthUsernameToken, Username: "admin", Password: "lab-pass"}
		modes[n-2] = lab.DeviceMode{ClockSkew: 2 * time.Hour}
	}
	soap, err := l.ServeONVIF(ctx, lab.SOAPConfig{Modes: modes})
	if err != nil {
		r.Close()
		return err
	}
	defer soap.Close()
	rtsp, err := l.ServeRTSP(ctx, lab.RTSPConfig{}) // every camera's video stream answers
	if err != nil {
		return err
	}
	defer rtsp.Close()
	stopPeers := startPeers(ctx, l)
	defer stopPeers()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "scanner"), []byte(l.ScannerNamespace()+"\n"), 0o644); err != nil {
		return err
	}
	defer os.Remove(filepath.Join(out, "scanner"))
	fmt.Printf("lab up: %d simulated devices (198.18.1.10 ...); scanner namespace %s\n", n, l.ScannerNamespace())
	fmt.Printf("try:    ip netns exec %s bin/sitekeeper --db /tmp/lab.db scan\n", l.ScannerNamespace())
	fmt.Println("stop:   Ctrl-C here, or make lab-down")
	err = r.Serve(ctx) // until Ctrl-C or SIGTERM
	if ctx.Err() != nil {
		err = nil
	}
	return err
}

// startPeers starts the real peers that are installed and returns what
// stops them; a peer that cannot start is reported and left out.
func startPeers(ctx context.Context, l *lab.Lab) (stop func()) {
	var stops []func()
	stop = func() {
		for _, s := range stops {
			s()
		}
	}
	if _, err := exec.LookPath("avahi-daemon"); err != nil {
		fmt.Println("no avahi-daemon: no mDNS peers (make deps-test installs it)")
	} else {
		cam := l.Device(0)
		mac := strings.ToUpper(strings.ReplaceAll(cam.MAC.String(), ":", ""))
		peers := []struct {
			host lab.Host
			cfg  lab.AvahiConfig
		}{
			{lab.Host{Namespace: cam.Namespace, Addr: cam.Addr, MAC: cam.MAC}, lab.AvahiConfig{HostName: "axis-" + strings.ToLower(mac),
				Services: []lab.AvahiService{
					{Name: "AXIS Q6045-E - " + mac, Type: "_axis-video._tcp", Port: 80, TXT: []string{"macaddress=" + mac}},
					{Name: "AXIS Q6045-E - " + mac, Type: "_rtsp._tcp", Port: 554},
					{Name: "AXIS Q6045-E - " + mac, Type: "_http._tcp", Port: 80},
				}}},
			{lab.Host{}, lab.AvahiConfig{HostName: "office-printer", Services: []lab.AvahiService{
				{Name: "HP LaserJet Pro M404dn", Type: "_ipp._tcp", Port: 631, TXT: []string{"usb_MFG=HP", "usb_MDL=LaserJet Pro M404dn", "ty=HP LaserJet Pro M404dn"}},
			}}},
			{lab.Host{}, lab.AvahiConfig{HostName: "door-sensor", Services: []lab.AvahiService{
				{Name: "Front door sensor", Type: "_hap._tcp", Port: 51826, TXT: []string{"md=Eve Door", "ci=10", "id=3A:4B:5C:6D:7E:8F"}},
			}}},
		}
		for _, p := range peers {
			h := p.host
			if h.Namespace == "" {
				var err error
				if h, err = l.AddHost(ctx, nil); err != nil {
					fmt.Println("avahi peer:", err)
					continue
				}
			}
			a, err := l.StartAvahi(ctx, h, p.cfg)
			if err != nil {
				fmt.Println("avahi peer:", err)
				continue
			}
			stops = append(stops, func() { _ = a.Stop() })
			fmt.Printf("mDNS peer %s at %s\n", p.cfg.HostName, h.Addr)
		}
	}
	if _, err := exec.LookPath("wsdd"); err != nil {
		fmt.Println("no wsdd: no Windows host (make deps-test installs it)")
		return stop
	}
	h, err := l.AddHost(ctx, nil)
	if err == nil {
		var w *lab.WSDD
		if w, err = l.StartWSDD(ctx, h, lab.WSDDConfig{Name: "FILESRV"}); err == nil {
			stops = append(stops, func() { _ = w.Stop() })
			fmt.Printf("Windows host FILESRV (wsdd) at %s\n", h.Addr)
		}
	}
	if err != nil {
		fmt.Println("wsdd peer:", err)
	}
	return stop
}
