//go:build linux

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/lab"
)

// TestScanChild is not a test on its own: TestScanLab runs the test binary
// again inside the lab's scanner namespace (ip netns exec), so that the
// whole process — every socket and connection the scan opens, on whatever
// goroutine — lives in the lab, as `sitekeeper scan` run there by hand does.
func TestScanChild(t *testing.T) {
	if os.Getenv("SITEKEEPER_SCAN_CHILD") != "1" {
		t.Skip("helper for TestScanLab")
	}
	inv, err := Parse(strings.Split(os.Getenv("SITEKEEPER_SCAN_ARGS"), "\x1f"))
	if err != nil {
		os.Exit(ExitUsage)
	}
	os.Exit(Run(context.Background(), inv, &Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Version: "lab"}))
}

// TestScanLab runs `sitekeeper scan` in the scanner namespace of a
// simulated site: every device is found, identified over ONVIF and saved;
// a second scan adds nothing; --no-save keeps nothing.
func TestScanLab(t *testing.T) {
	const n = 12
	l, soap := lab.StartForTest(t, "skc", n)
	// The whole child process runs in the scanner's namespace (ip netns
	// exec), so every connection a device sees must come from the scanner.
	defer func() {
		for i := range n {
			if st := soap.Stats(i); st.Conns == 0 || st.Foreign != 0 {
				t.Errorf("device %d: %+v; want connections from the scanner only", i, st)
			}
		}
	}()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string, int) { return runChild(t, l, exe, args...) }
	db := filepath.Join(t.TempDir(), "site.db")

	out, stderr, code := run("--db", db, "scan", "--json", "--wait", "2s")
	if code != ExitOK {
		t.Fatalf("scan: exit %d\n%s", code, stderr)
	}
	var rep scanReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("scan --json is not one JSON document: %v\n%s", err, out)
	}
	if len(rep.Devices) != n || !rep.Saved {
		t.Fatalf("scan found %d devices (saved %v); want %d\n%s", len(rep.Devices), rep.Saved, n, stderr)
	}
	want := map[string]bool{}
	for i := range n {
		want[l.Device(i).MAC.String()] = true
	}
	for _, d := range rep.Devices {
		if !want[d.MAC] || d.Manufacturer == "" || d.Model == "" || d.Firmware == "" || d.Serial == "" {
			t.Errorf("device %+v: want a lab MAC and manufacturer, model, firmware, serial", d)
		}
	}
	t.Logf("sitekeeper scan --json, stderr:\n%s", stderr)
	if !strings.Contains(stderr, "Found 12 devices") {
		t.Errorf("stderr lacks the summary:\n%s", stderr)
	}

	// Again: the same devices are recognised, nothing is added.
	if out, stderr, code := run("--db", db, "scan", "--wait", "2s"); code != ExitOK || !strings.Contains(stderr, "0 new") {
		t.Logf("%s%s", stderr, out)
		t.Errorf("second scan: exit %d, want 0 new\n%s", code, stderr)
	}
	out, _, _ = run("--db", db, "devices", "--json")
	var views []map[string]any
	if err := json.Unmarshal([]byte(out), &views); err != nil || len(views) != n {
		t.Errorf("devices after two scans: %d (%v); want %d", len(views), err, n)
	}

	fresh := filepath.Join(t.TempDir(), "none.db")
	if _, stderr, code := run("--db", fresh, "scan", "--no-save", "--wait", "1s"); code != ExitOK || !strings.Contains(stderr, "Nothing was saved") {
		t.Errorf("scan --no-save: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Error("scan --no-save created the inventory file")
	}
}

// runChild runs the test binary's TestScanChild with args in l's scanner
// namespace and returns its stdout, stderr and exit code.
func runChild(t *testing.T, l *lab.Lab, exe string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second) // a hung child must not hang CI
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", l.ScannerNamespace(), exe, "-test.run=^TestScanChild$", "-test.timeout=80s")
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = append(os.Environ(), "SITEKEEPER_SCAN_CHILD=1", "SITEKEEPER_SCAN_ARGS="+strings.Join(args, "\x1f"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// TestScanLabNothing scans a site where nothing answers: the summary says
// where it searched and what to check, in words, and --json carries it too.
// Naming an adapter that does not exist says which adapters to name.
func TestScanLabNothing(t *testing.T) {
	l := lab.UpForTest(t, "skc", 0)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runChild(t, l, exe, "scan", "--no-save", "--json", "--wait", "500ms")
	if code != ExitOK {
		t.Fatalf("scan: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"No device answered.", "Searched on eth0 (198.18.0.1): 0 answers.", "firewall", "VLAN"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	var rep scanReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Diagnosis) < 2 {
		t.Errorf("scan --json diagnosis = %q (%v); want the causes", rep.Diagnosis, err)
	}
	_, stderr, code = runChild(t, l, exe, "scan", "--no-save", "--iface", "Ethernet 7", "--wait", "500ms")
	if code == ExitOK || !strings.Contains(stderr, "Did not search on Ethernet 7: no such interface.") || !strings.Contains(stderr, "ipconfig") {
		t.Errorf("scan --iface 'Ethernet 7': exit %d\n%s", code, stderr)
	}
}

// TestCheckLab scans a small site, then runs `sitekeeper check --json` in
// the scanner namespace: healthy cameras are online, one whose RTSP stream
// is down is degraded, one unplugged is offline, one with a clock two hours
// off is degraded — and their firmware is judged against the fleet.
func TestCheckLab(t *testing.T) {
	const n = 5
	l := lab.UpForTest(t, "skc", n)
	lab.ServeForTest(t, l, lab.ResponderConfig{})
	ctx, cancel := context.WithCancel(context.Background())
	soap, err := l.ServeONVIF(ctx, lab.SOAPConfig{Modes: map[int]lab.DeviceMode{3: {ClockSkew: 2 * time.Hour}}})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	rtsp, err := l.ServeRTSP(ctx, lab.RTSPConfig{Devices: []int{0, 2, 3, 4}}) // device 1's stream is dead
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); rtsp.Close(); soap.Close() })
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "site.db")
	if _, stderr, code := runChild(t, l, exe, "--db", db, "scan", "--wait", "1s"); code != ExitOK {
		t.Fatalf("scan: exit %d\n%s", code, stderr)
	}
	if err := l.LinkDown(context.Background(), 4); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runChild(t, l, exe, "--db", db, "check", "--json")
	if code != ExitOK {
		t.Fatalf("check: exit %d\n%s", code, stderr)
	}
	var rep checkReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("check --json: %v\n%s", err, out)
	}
	t.Logf("check stderr:\n%s", stderr)
	want := map[string]string{
		l.DeviceAddr(0).String(): "online", l.DeviceAddr(1).String(): "degraded", l.DeviceAddr(2).String(): "online",
		l.DeviceAddr(3).String(): "degraded", l.DeviceAddr(4).String(): "offline",
	}
	if rep.Checked != n {
		t.Fatalf("checked %d devices; want %d\n%s", rep.Checked, n, out)
	}
	for _, d := range rep.Devices {
		if d.Status != want[d.IP] {
			t.Errorf("%s: %s (%s); want %s", d.IP, d.Status, d.Detail, want[d.IP])
		}
		if d.Firmware.Status == "" || d.Firmware.Reason == "" {
			t.Errorf("%s: firmware %+v; want a status and a reason", d.IP, d.Firmware)
		}
	}
	if rep.Online != 2 || rep.Degraded != 2 || rep.Offline != 1 {
		t.Errorf("counts %d/%d/%d; want 2 online, 2 degraded, 1 offline", rep.Online, rep.Degraded, rep.Offline)
	}
}
