package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"

	"sitekeeper/internal/alert"
	"sitekeeper/internal/firmware"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/watch"
)

// checkReport is `check --json`: every active device with an address,
// checked once, and its firmware status.
type checkReport struct {
	Checked  int           `json:"checked"`
	Online   int           `json:"online"`
	Degraded int           `json:"degraded"`
	Offline  int           `json:"offline"`
	Devices  []checkDevice `json:"devices"`
}

type checkDevice struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Site   string `json:"site,omitempty"`
	IP     string `json:"ip"`
	Status string `json:"status"` // online, degraded, offline
	Detail string `json:"detail"`
	// Problems are the kinds of problem behind "degraded": video,
	// clock_drift, certificate_expiring.
	Problems []string      `json:"problems,omitempty"`
	TookMS   int64         `json:"took_ms"`
	Snoozed  bool          `json:"snoozed,omitempty"`
	Firmware checkFirmware `json:"firmware"`
}

type checkFirmware struct {
	Status    string `json:"status"` // current, behind, unsupported, unknown
	Installed string `json:"installed,omitempty"`
	Latest    string `json:"latest,omitempty"`
	Reason    string `json:"reason"`
}

func runCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "check", "[--json]",
		"Checks every active device with an address once — ping, its ports, its\nvideo stream, its clock over ONVIF — and says whether its firmware is\ncurrent. Nothing is recorded: the history of outages is kept by the\nwindow or by 'sitekeeper watch'. Checks stay within gentle rates for\nfragile devices (1,000 packets a second overall, 40 per device).")
	asJSON := fs.Bool("json", false, "print one JSON document")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q", fs.Arg(0))
	}
	st, err := env.openExisting()
	if err != nil {
		return err
	}
	defer st.Close()
	devices, err := st.Devices(ctx)
	if err != nil {
		return err
	}
	cat, err := loadCatalog(env)
	if err != nil {
		return err
	}
	settings, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, "Checking the devices ...")
	w := watch.New(st, watch.HealthChecker{SNMP: watch.NewCommunity(settings.Checks.SNMPCommunity)}, watch.ConfigFrom(watch.Config{}, settings.Checks))
	results, err := w.Once(ctx)
	if err != nil {
		return err
	}
	fleet := firmware.NewBaseline(devices)
	today := inventory.DateOf(time.Now())
	rep := checkReport{Devices: []checkDevice{}}
	for _, r := range results {
		d := r.Device
		a := firmware.Assess(d, cat, fleet, today)
		cd := checkDevice{
			ID: d.ID, Name: d.DisplayName(), Site: d.Known.Site, IP: d.IP(),
			Status: string(r.Outcome.State.Health()), Detail: r.Outcome.Cause, Problems: r.Outcome.Problems,
			TookMS: r.Took.Milliseconds(), Snoozed: r.Snoozed,
			Firmware: checkFirmware{Status: string(a.Status), Installed: a.Installed, Latest: a.Latest, Reason: a.Reason},
		}
		switch r.Outcome.State {
		case watch.Up:
			rep.Online++
		case watch.Degraded:
			rep.Degraded++
		default:
			rep.Offline++
		}
		rep.Devices = append(rep.Devices, cd)
	}
	rep.Checked = len(rep.Devices)
	fmt.Fprintf(env.Stderr, "Checked %s: %d online, %d degraded, %d offline.\n",
		plural(rep.Checked, "device", "devices"), rep.Online, rep.Degraded, rep.Offline)
	if rep.Checked == 0 {
		fmt.Fprintln(env.Stderr, "No device to check: only active devices with an IP address are checked. Scan the network or add addresses first.")
	}
	out := bufio.NewWriter(env.Stdout)
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := writeCheckTable(out, rep.Devices); err != nil {
		return err
	}
	return out.Flush()
}

func writeCheckTable(w io.Writer, devs []checkDevice) error {
	if len(devs) == 0 {
		return nil
	}
	fmt.Fprintf(w, "%-32s  %-15s  %-9s  %-11s  %s\n", "NAME", "IP", "STATUS", "FIRMWARE", "DETAIL")
	for _, d := range devs {
		fmt.Fprintf(w, "%-32s  %-15s  %-9s  %-11s  %s\n", truncate(d.Name, 32), d.IP, d.Status, d.Firmware.Status, d.Detail)
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// loadCatalog reads the firmware catalog from SiteKeeper's folder; without
// one, firmware is judged against the fleet alone.
func loadCatalog(env *Env) (*firmware.Catalog, error) {
	cat, sum, path, err := firmware.LoadKept()
	if err != nil {
		return nil, fmt.Errorf("the firmware catalog %s: %w", path, err)
	}
	for _, w := range sum.Warnings {
		fmt.Fprintf(env.Stderr, "Firmware catalog: %s.\n", w)
	}
	return cat, nil
}

func runWatch(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "watch", "",
		"Checks every active device with an address every minute until stopped\n(Ctrl-C), for an always-on PC: records when each went offline and came\nback, and prints each change. A device goes offline after 3 failed\nchecks over at least 2 minutes, and is back after one good one.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q", fs.Arg(0))
	}
	st, err := env.openExisting()
	if err != nil {
		return err
	}
	defer st.Close()
	names := map[string]string{}
	if devs, err := st.Devices(ctx); err == nil {
		for _, d := range devs {
			names[d.ID] = d.NameAndAddress()
		}
	}
	errw := &lockedWriter{w: env.Stderr}
	prev, err := st.Statuses(ctx) // before the checks start: what is news comes after
	if err != nil {
		return err
	}
	shown := make(map[string]watch.Health, len(prev)) // what was last printed per device
	for id, st := range prev {
		shown[id] = st.Health
	}
	// Alerts are stored for the window's Alerts view and sent to the
	// webhook and e-mail a person set in the window's Settings, one batch
	// at a time on their own goroutine: OnChange must not wait for them.
	mailing := alert.WithMail(st, alertMail(ctx))
	batches := make(chan []watch.StatusChange, 256)
	raised := make(chan struct{})
	go func() {
		defer close(raised)
		for changes := range batches {
			if _, _, err := alert.Raise(context.WithoutCancel(ctx), mailing, changes, prev, time.Now()); err != nil {
				fmt.Fprintf(errw, "Alerts: %s\n", explainError(err))
			}
		}
	}()
	defer func() { close(batches); <-raised }()
	fwDone := make(chan struct{})
	defer func() { <-fwDone }() // before the store closes
	go func() {                 // firmware that lost support: a minute after start, then hourly
		defer close(fwDone)
		cat, err := loadCatalog(env)
		if err != nil {
			fmt.Fprintf(errw, "%s\n", explainError(err))
			cat = firmware.Default()
		}
		t := time.NewTimer(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			t.Reset(time.Hour)
			out, _, err := alert.RaiseDated(ctx, mailing, cat, time.Now())
			if err != nil && ctx.Err() == nil {
				fmt.Fprintf(errw, "Alerts: %s\n", explainError(err))
			}
			for _, a := range out {
				fmt.Fprintf(errw, "%s  %s\n", a.At.Local().Format("2006-01-02 15:04:05"), a.Message)
			}
		}
	}()
	// The intervals, pauses and SNMP community set in the window's
	// Settings; changes made there while this runs are applied within a
	// minute.
	settings, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	w := watch.New(st, watch.HealthChecker{SNMP: watch.NewCommunity(settings.Checks.SNMPCommunity)}, watch.ConfigFrom(watch.Config{
		OnChange: func(changes []watch.StatusChange) { // one batch at a time
			batches <- changes
			for _, c := range changes {
				if shown[c.DeviceID] == c.To {
					continue // a check repeating what is known (a heartbeat)
				}
				shown[c.DeviceID] = c.To
				name := names[c.DeviceID]
				if name == "" {
					name = "device " + c.DeviceID
				}
				fmt.Fprintf(errw, "%s  %s: %s%s\n", c.At.Local().Format("2006-01-02 15:04:05"), name, c.To, causeText(c.Cause))
			}
		},
		OnError: func(err error) { fmt.Fprintf(errw, "%s\n", explainError(err)) },
	}, settings.Checks))
	followDone := make(chan struct{})
	defer func() { <-followDone }() // before the store closes
	go func() {
		defer close(followDone)
		followSettings(ctx, st, w, settings.Checks, settingsEvery, func(err error) {
			fmt.Fprintf(errw, "Settings: %s\n", explainError(err))
		})
	}()
	fmt.Fprintln(env.Stderr, "Watching the devices; stop with Ctrl-C.")
	err = w.Run(ctx)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(env.Stderr, "Stopped.")
		return nil
	}
	return err
}

func causeText(cause string) string {
	if cause = strings.TrimSpace(cause); cause == "" {
		return ""
	}
	return " (" + cause + ")"
}

// lockedWriter serialises writes from the scheduler's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// settingsEvery is how often `sitekeeper watch` reads the settings again,
// for the intervals and pauses a person changes in the window meanwhile.
const settingsEvery = time.Minute

// followSettings reads the check settings from st every interval until ctx
// ends and applies them to w when they differ from what was applied last
// (applied at the start). A failed read is told to onErr and the settings
// in force are kept.
func followSettings(ctx context.Context, st interface {
	Settings(context.Context) (inventory.Settings, error)
}, w interface{ Apply(inventory.CheckSettings) }, applied inventory.CheckSettings, every time.Duration, onErr func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s, err := st.Settings(ctx)
		if err != nil {
			if ctx.Err() == nil {
				onErr(err)
			}
			continue
		}
		if !reflect.DeepEqual(s.Checks, applied) {
			w.Apply(s.Checks)
			applied = s.Checks
		}
	}
}
