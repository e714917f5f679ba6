//go:build linux

// Command lab brings up SiteKeeper's test network for trying the program by
// hand — a simulated site of ONVIF devices in network namespaces, nothing
// on this machine's own interfaces — and keeps it up until it is stopped:
//
//	go run ./scripts/lab -n 30        (root; `make lab-up` runs it in the background)
//	ip netns exec skh<pid>-scan bin/sitekeeper --db /tmp/lab.db scan
//
// It prints the scanner namespace's name and writes it to out/lab/scanner.
// Ctrl-C or SIGTERM (`make lab-down`) removes every namespace it made.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"sitekeeper/internal/lab"
)

func main() {
	n := flag.Int("n", 30, "how many simulated devices")
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
	r, err := l.Listen(lab.RealTiming())
	if err != nil {
		return err
	}
	soap, err := l.ServeONVIF(ctx, lab.SOAPConfig{})
	if err != nil {
		r.Close()
		return err
	}
	defer soap.Close()
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
