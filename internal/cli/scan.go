package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/discovery/netif"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

// listFlag collects a flag given several times (--iface eth0 --iface eth1).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// scanReport is `scan --json`: the devices the scan found, as the inventory
// now holds them, and what a person may need to act on.
type scanReport struct {
	Devices          []transfer.DeviceView `json:"devices"`
	NeedCredentials  []string              `json:"need_credentials"`
	NoAnswer         []string              `json:"no_answer"`
	Interfaces       []scanInterface       `json:"interfaces"`
	SkippedInterface []scanInterface       `json:"skipped_interfaces,omitempty"`
	// NotSeen are the devices an earlier scan found that did not answer
	// this one ("name (address)"); empty with --no-save.
	NotSeen []string `json:"not_seen"`
	// Diagnosis explains a scan that found nothing or little: the likely
	// causes and what to do (discovery.Diagnose), empty when all is well.
	Diagnosis []string `json:"diagnosis"`
	Saved     bool     `json:"saved"`
}

type scanInterface struct {
	Name   string `json:"name"`
	Local  string `json:"local,omitempty"`
	Probes int    `json:"probes,omitempty"`
	Error  string `json:"error,omitempty"`
}

func runScan(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "scan", "[--iface NAME]... [--wait DUR] [--credentials FILE] [--json] [--no-save]",
		"Finds the cameras, recorders, printers and other devices that answer\nWS-Discovery or mDNS on every network adapter (or the ones named),\nidentifies them over ONVIF, and adds them to the inventory. What a person entered about a device is never\nchanged by a scan.")
	var ifaces listFlag
	fs.Var(&ifaces, "iface", "probe only this adapter (repeat for several)")
	wait := fs.Duration("wait", wsd.DefaultWait, "how long to listen for answers")
	credFile := fs.String("credentials", "", "a file of username:password lines to try on devices that refuse anonymous access (read, never stored), before the logins saved in SiteKeeper")
	asJSON := fs.Bool("json", false, "print one JSON document")
	noSave := fs.Bool("no-save", false, "do not change the inventory")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q", fs.Arg(0))
	}
	if *wait <= 0 || *wait > 5*time.Minute {
		return usagef("--wait must be between 1ms and 5m, like --wait 3s")
	}
	fileCreds, err := readCredentials(*credFile)
	if err != nil {
		return err
	}

	var st inventory.Store
	if *noSave {
		// Reconcile as usual, keep nothing. No device is known, so each
		// is asked with the logins for all sites, then every site's.
		st = inventory.NewMemory()
	} else if st, err = env.open(); err != nil {
		return err
	}
	defer st.Close()
	// The inventory says which site a device belongs to, and so which
	// saved logins it is asked with.
	known, err := st.Devices(ctx)
	if err != nil {
		return err
	}
	logins := loginsForScan(ctx, fileCreds, known)

	fmt.Fprintf(env.Stderr, "Scanning for %s ...\n", *wait)
	if n := logins.count(); n > 0 {
		fmt.Fprintf(env.Stderr, "Devices that refuse to answer anonymously are asked with %s (%s), at most %d per device; a login saved for one device or one site is tried there only.\n",
			plural(n, "login", "logins"), loginSources(logins), discovery.MaxCredentialTries)
	}
	var found []discovery.Device // by Key: a later report of a device replaces the earlier
	stats, err := discovery.Scan(ctx, discovery.Config{
		WSD:      wsd.Config{Interfaces: ifaces, Wait: *wait},
		Identify: discovery.IdentifyConfig{CredentialsFor: logins.forDevice},
	}, func(d discovery.Device) {
		if d.Update {
			found[d.Key] = d
			return
		}
		found = append(found, d)
		what := inventory.MakeAndModel(d.Manufacturer, d.Model)
		if what == "" {
			what = "a device"
		}
		fmt.Fprintf(env.Stderr, "  found %s at %s\n", what, strings.Join(d.IPs, " "))
	})
	if err != nil {
		return explainScan(err, stats)
	}
	diag := discovery.Diagnose(stats, len(found), discovery.ThisHost(runtime.GOOS))
	res, err := st.Reconcile(ctx, discoveredOf(found), time.Now())
	if err != nil {
		return err
	}
	report, err := buildReport(ctx, st, found, res, stats, diag, !*noSave)
	if err != nil {
		return err
	}
	summarise(env.Stderr, report, res, logins, diag)
	if !*asJSON {
		return writeScanTable(env.Stdout, report.Devices)
	}
	out := bufio.NewWriter(env.Stdout)
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(report); err != nil {
		return err
	}
	return out.Flush()
}

func discoveredOf(found []discovery.Device) []inventory.Discovered {
	out := make([]inventory.Discovered, len(found))
	for i := range found {
		out[i] = found[i].Discovered
	}
	return out
}

func buildReport(ctx context.Context, st inventory.Store, found []discovery.Device, res inventory.ReconcileResult, stats discovery.Stats, diag discovery.Diagnosis, saved bool) (scanReport, error) {
	r := scanReport{Devices: []transfer.DeviceView{}, NeedCredentials: []string{}, NoAnswer: []string{}, Interfaces: []scanInterface{},
		NotSeen: []string{}, Diagnosis: append([]string{}, diag.Advice()...), Saved: saved}
	seen := map[string]bool{}
	for i, id := range res.IDs {
		if !seen[id] {
			seen[id] = true
			d, err := st.Device(ctx, id)
			if err != nil {
				return r, err
			}
			r.Devices = append(r.Devices, transfer.View(&d))
		}
		addr := strings.Join(found[i].IPs, " ")
		switch {
		case found[i].NeedsCredentials:
			r.NeedCredentials = append(r.NeedCredentials, addr)
		case found[i].NoAnswer:
			r.NoAnswer = append(r.NoAnswer, addr)
		}
	}
	slices.SortFunc(r.Devices, func(a, b transfer.DeviceView) int { return strings.Compare(a.IP, b.IP) })
	for _, in := range stats.WSD.Interfaces {
		si := scanInterface{Name: in.Name, Local: in.Local.String(), Probes: in.ProbesSent}
		if in.Err != nil {
			si.Error = in.Err.Error()
		}
		r.Interfaces = append(r.Interfaces, si)
	}
	for _, sk := range stats.WSD.Skipped {
		r.SkippedInterface = append(r.SkippedInterface, scanInterface{Name: sk.Name, Error: sk.Err.Error()})
	}
	if saved {
		all, err := st.Devices(ctx)
		if err != nil {
			return r, err
		}
		for _, d := range inventory.NotSeen(all, res) {
			r.NotSeen = append(r.NotSeen, d.NameAndAddress())
		}
	}
	return r, nil
}

// summarise tells a person on stderr what the scan did and what to do next.
func summarise(w io.Writer, r scanReport, res inventory.ReconcileResult, logins scanLogins, diag discovery.Diagnosis) {
	var names []string // an adapter has a socket per address family
	for _, in := range r.Interfaces {
		if !slices.Contains(names, in.Name) {
			names = append(names, in.Name)
		}
	}
	fmt.Fprintf(w, "Found %s on %s.", plural(len(r.Devices), "device", "devices"), strings.Join(names, ", "))
	if r.Saved {
		fmt.Fprintf(w, " %d new, %d changed, %d as before.", res.Added, res.Updated, res.Unchanged)
	} else {
		fmt.Fprint(w, " Nothing was saved (--no-save).")
	}
	fmt.Fprintln(w)
	if n := len(r.NeedCredentials); n > 0 {
		how := "without a user name and password"
		if logins.count() > 0 {
			how = fmt.Sprintf("with the logins tried (%s; at most %d per device)", loginSources(logins), discovery.MaxCredentialTries)
		}
		fmt.Fprintf(w, "%s %s: %s. %s.\n",
			plural(n, "device would not say what it is", "devices would not say what they are"), how,
			strings.Join(r.NeedCredentials, ", "), needLoginAdvice)
		if !logins.persisted {
			fmt.Fprintf(w, "Logins saved in SiteKeeper were not used: %s.\n", explainStore(logins.storeErr))
		}
	}
	if n := len(r.NoAnswer); n > 0 {
		fmt.Fprintf(w, "%s answered the search but not the follow-up questions: %s. A firewall between this computer and them may block it.\n",
			plural(n, "device", "devices"), strings.Join(r.NoAnswer, ", "))
	}
	if n := len(r.NotSeen); n > 0 {
		fmt.Fprintf(w, "%s by an earlier scan did not answer this time: %s. %s switched off, unplugged, or on an adapter this scan did not search; nothing about %s was changed.\n",
			plural(n, "device found", "devices found"), listed(r.NotSeen), pick(n, "It may be", "They may be"), pick(n, "it", "them"))
	}
	lines := diag.Advice()
	if len(r.Devices) == 0 {
		fmt.Fprintln(w, "No device answered.")
		lines = diag.Text()
	}
	for _, line := range lines {
		fmt.Fprintln(w, line)
	}
}

func writeScanTable(w io.Writer, views []transfer.DeviceView) error {
	bw := bufio.NewWriter(w)
	if len(views) > 0 {
		fmt.Fprintf(bw, "%-15s  %-17s  %-12s  %-24s  %s\n", "IP", "MAC", "MANUFACTURER", "MODEL", "FIRMWARE")
	}
	for _, v := range views {
		fmt.Fprintf(bw, "%-15s  %-17s  %-12s  %-24s  %s\n", v.IP, v.MAC, v.Manufacturer, v.Model, v.Firmware)
	}
	return bw.Flush()
}

// explainScan adds what to do to a scan that could not start.
func explainScan(err error, stats discovery.Stats) error {
	if errors.Is(err, wsd.ErrNoInterfaces) || errors.Is(err, netif.ErrNotFound) {
		return &scanNotStartedError{err: err, advice: discovery.Diagnose(stats, 0, discovery.ThisHost(runtime.GOOS)).Advice()}
	}
	return err
}

// scanNotStartedError is a scan that had no adapter to search on, with
// what to do about it.
type scanNotStartedError struct {
	err    error
	advice []string
}

func (e *scanNotStartedError) Error() string { return e.err.Error() }
func (e *scanNotStartedError) Unwrap() error { return e.err }

// readCredentials reads username:password lines; blank lines and lines
// starting with # are skipped. The file is read once and nothing of it is
// stored.
func readCredentials(name string) ([]discovery.Credential, error) {
	if name == "" {
		return nil, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []discovery.Credential
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, pass, ok := strings.Cut(line, ":")
		if !ok || user == "" {
			return nil, usagef("%s line %d is not username:password", name, n)
		}
		out = append(out, discovery.Credential{Username: user, Password: pass})
	}
	return out, sc.Err()
}
