package storetest

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

// healthTests are the health-history cases, run by Run with the others.
var healthTests = []struct {
	name string
	fn   func(t *testing.T, st inventory.Store)
}{
	{"HealthOutageOpensAndCloses", testOutageOpensAndCloses},
	{"HealthFlapping", testFlapping},
	{"HealthDegradedOfflineOnline", testDegradedOfflineOnline},
	{"HealthRefusesBadChanges", testHealthRefusesBadChanges},
	{"HealthAvailability", testAvailability},
	{"HealthGaps", testGaps},
	{"HealthChecks", testChecks},
	{"HealthKeptWhenRetiredGoneWithDelete", testHealthRetiredAndDeleted},
}

func change(id string, at time.Time, to inventory.Health, cause string) inventory.StatusChange {
	return inventory.StatusChange{DeviceID: id, At: at, To: to, Cause: cause}
}

// outage is an Outage in the form tests write: offsets from t0, end -1 for
// an open one.
func outage(id string, start, end time.Duration, h inventory.Health, cause string) inventory.Outage {
	o := inventory.Outage{DeviceID: id, Start: t0.Add(start), Health: h, Cause: cause}
	if end >= 0 {
		o.End = t0.Add(end)
	}
	return o
}

func sameOutages(got, want []inventory.Outage) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.DeviceID != w.DeviceID || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Health != w.Health || g.Cause != w.Cause {
			return false
		}
	}
	return true
}

func testOutageOpensAndCloses(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	if s := must(st.Statuses(ctx)); len(s) != 0 {
		t.Errorf("Statuses() before any check = %v; want none", s)
	}
	// The first check finds it down.
	must(0, st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0, inventory.HealthOffline, "no answer to ping")}))
	want := []inventory.Outage{outage(d.ID, 0, -1, inventory.HealthOffline, "no answer to ping")}
	if got := must(st.Outages(ctx, d.ID, t0.Add(-time.Hour), t0.Add(time.Hour))); !sameOutages(got, want) {
		t.Errorf("Outages() while down = %+v; want %+v", got, want)
	}
	s := must(st.Statuses(ctx))[d.ID]
	if s.Health != inventory.HealthOffline || !s.Since.Equal(t0) || !s.LastCheck.Equal(t0) || s.Cause != "no answer to ping" {
		t.Errorf("Statuses()[%s] = %+v; want offline since t0, last check t0", d.ID, s)
	}
	must(0, st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0.Add(10*time.Minute), inventory.HealthOnline, "")}))
	want[0].End = t0.Add(10 * time.Minute)
	if got := must(st.Outages(ctx, d.ID, t0, t0.Add(time.Hour))); !sameOutages(got, want) {
		t.Errorf("Outages() after recovery = %+v; want %+v", got, want)
	}
	// A repeat of the current health is a heartbeat: last check moves,
	// nothing else.
	must(0, st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0.Add(20*time.Minute), inventory.HealthOnline, "")}))
	s = must(st.Statuses(ctx))[d.ID]
	if s.Health != inventory.HealthOnline || !s.Since.Equal(t0.Add(10*time.Minute)) || !s.LastCheck.Equal(t0.Add(20*time.Minute)) {
		t.Errorf("Statuses()[%s] after a heartbeat = %+v; want online since t0+10m, last check t0+20m", d.ID, s)
	}
	evs := must(st.Events(ctx, d.ID))
	if got, want := kinds(evs), []inventory.EventKind{inventory.EventAdded, inventory.EventOffline, inventory.EventOnline}; !slices.Equal(got, want) {
		t.Errorf("Events() = %v; want %v", got, want)
	}
	if off := evs[1]; !off.Time.Equal(t0) || off.Detail != "no answer to ping" {
		t.Errorf("offline event = %+v; want at t0 with the cause", off)
	}
}

func testFlapping(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Loading bay")))
	m := time.Minute
	changes := []inventory.StatusChange{
		change(d.ID, t0, inventory.HealthOnline, ""),
		change(d.ID, t0.Add(1*m), inventory.HealthOffline, "no answer"),
		change(d.ID, t0.Add(3*m), inventory.HealthOnline, ""),
		change(d.ID, t0.Add(5*m), inventory.HealthOffline, "no answer"),
		change(d.ID, t0.Add(6*m), inventory.HealthOnline, ""),
		change(d.ID, t0.Add(10*m), inventory.HealthOffline, "link down"),
		change(d.ID, t0.Add(12*m), inventory.HealthOnline, ""),
	}
	// One batch, not in time order: the store applies it in time order.
	shuffled := slices.Clone(changes)
	slices.Reverse(shuffled)
	must(0, st.RecordStatus(ctx, shuffled))
	want := []inventory.Outage{
		outage(d.ID, 1*m, 3*m, inventory.HealthOffline, "no answer"),
		outage(d.ID, 5*m, 6*m, inventory.HealthOffline, "no answer"),
		outage(d.ID, 10*m, 12*m, inventory.HealthOffline, "link down"),
	}
	if got := must(st.Outages(ctx, d.ID, t0, t0.Add(time.Hour))); !sameOutages(got, want) {
		t.Errorf("Outages() = %+v; want %+v", got, want)
	}
	if got := must(st.Outages(ctx, d.ID, t0.Add(4*m), t0.Add(11*m))); !sameOutages(got, want[1:]) {
		t.Errorf("Outages(t0+4m, t0+11m) = %+v; want the last two", got)
	}
	wantKinds := []inventory.EventKind{inventory.EventAdded}
	for range 3 {
		wantKinds = append(wantKinds, inventory.EventOffline, inventory.EventOnline)
	}
	if got := kinds(must(st.Events(ctx, d.ID))); !slices.Equal(got, wantKinds) {
		t.Errorf("Events() = %v; want %v (a first check online is not news)", got, wantKinds)
	}
	if a := must(st.Availability(ctx, d.ID, t0, t0.Add(20*m), t0.Add(time.Hour))); math.Abs(a-0.75) > 1e-9 {
		t.Errorf("Availability(20 minutes, 5 down) = %v; want 0.75", a)
	}
}

func testDegradedOfflineOnline(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	h := time.Hour
	degraded := change(d.ID, t0.Add(1*h), inventory.HealthDegraded, "RTSP port 554 closed")
	degraded.Problems = []string{"video"}
	must(0, st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0, inventory.HealthOnline, ""), degraded}))
	if s := must(st.Statuses(ctx))[d.ID]; s.Health != inventory.HealthDegraded || !slices.Equal(s.Problems, []string{"video"}) {
		t.Errorf("status = %+v; want degraded with its problem kept", s)
	}
	must(0, st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0.Add(2*h), inventory.HealthOffline, "no answer to ping")}))
	if s := must(st.Statuses(ctx))[d.ID]; s.Problems != nil {
		t.Errorf("status = %+v; want the problems gone when offline", s)
	}
	must(0, st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0.Add(5*h), inventory.HealthOnline, "")}))
	deg := outage(d.ID, 1*h, 2*h, inventory.HealthDegraded, "RTSP port 554 closed")
	off := outage(d.ID, 2*h, 5*h, inventory.HealthOffline, "no answer to ping")
	tests := []struct {
		name     string
		from, to time.Duration
		want     []inventory.Outage
	}{
		{"whole day", -h, 24 * h, []inventory.Outage{deg, off}},
		{"ends where the offline spell starts", 90 * time.Minute, 2 * h, []inventory.Outage{deg}},
		{"starts where the degraded spell ends", 2 * h, 3 * h, []inventory.Outage{off}},
		{"after both", 5 * h, 6 * h, nil},
	}
	for _, tc := range tests {
		if got := must(st.Outages(ctx, d.ID, t0.Add(tc.from), t0.Add(tc.to))); !sameOutages(got, tc.want) {
			t.Errorf("%s: Outages(t0%+v, t0%+v) = %+v; want %+v", tc.name, tc.from, tc.to, got, tc.want)
		}
	}
	want := []inventory.EventKind{inventory.EventAdded, inventory.EventDegraded, inventory.EventOffline, inventory.EventOnline}
	if got := kinds(must(st.Events(ctx, d.ID))); !slices.Equal(got, want) {
		t.Errorf("Events() = %v; want %v", got, want)
	}
	// Degraded is available; offline is not.
	if a := must(st.Availability(ctx, d.ID, t0, t0.Add(10*h), t0.Add(10*h))); math.Abs(a-0.7) > 1e-9 {
		t.Errorf("Availability(10 h, 1 h degraded, 3 h offline) = %v; want 0.7", a)
	}
}

func testHealthRefusesBadChanges(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	err := st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0, inventory.HealthOffline, ""), change("00000000deadbeef", t0, inventory.HealthOffline, "")})
	if !errors.Is(err, inventory.ErrNotFound) || !strings.Contains(err.Error(), "00000000deadbeef") {
		t.Errorf("RecordStatus(unknown device) error = %v; want ErrNotFound naming the ID", err)
	}
	err = st.RecordChecks(ctx, []inventory.CheckTally{{DeviceID: d.ID, Day: inventory.DateOf(t0), OK: 1}, {DeviceID: "00000000deadbeef", Day: inventory.DateOf(t0), OK: 1}})
	if !errors.Is(err, inventory.ErrNotFound) || !strings.Contains(err.Error(), "00000000deadbeef") {
		t.Errorf("RecordChecks(unknown device) error = %v; want ErrNotFound naming the ID", err)
	}
	if s := must(st.Statuses(ctx)); len(s) != 0 {
		t.Errorf("a refused batch stored statuses %v", s)
	}
	if c := must(st.Checks(ctx, d.ID, inventory.DateOf(t0), inventory.DateOf(t0))); len(c) != 0 {
		t.Errorf("a refused batch stored tallies %v", c)
	}
	if err := st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0, inventory.HealthUnknown, "")}); err == nil {
		t.Error("RecordStatus(to unknown) succeeded")
	}
	must(0, st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0, inventory.HealthOffline, "")}))
	if err := st.RecordStatus(ctx, []inventory.StatusChange{change(d.ID, t0.Add(-time.Minute), inventory.HealthOnline, "")}); err == nil {
		t.Error("RecordStatus(a change before the current status began) succeeded")
	}
	if got := must(st.Outages(ctx, "", t0, t0.Add(time.Hour))); len(got) != 1 || !got[0].End.IsZero() {
		t.Errorf("Outages() after a refused change = %+v; want one open outage", got)
	}
}

func testAvailability(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	never := must(st.Create(ctx, camera("Never checked")))
	day := 24 * time.Hour
	now := t0
	at := func(days float64) time.Time { return now.Add(time.Duration(days * float64(day))) }
	must(0, st.RecordStatus(ctx, []inventory.StatusChange{
		change(d.ID, at(-45), inventory.HealthOnline, ""), // first checked 45 days ago
		change(d.ID, at(-20), inventory.HealthOffline, "power cut"),
		change(d.ID, at(-19.5), inventory.HealthOnline, ""), // 12 h down
		change(d.ID, at(-3), inventory.HealthDegraded, "RTSP port 554 closed"),
		change(d.ID, at(-2.75), inventory.HealthOnline, ""), // 6 h degraded: available
		change(d.ID, at(-1), inventory.HealthOffline, "no answer"),
	})) // and down since yesterday
	tests := []struct {
		name     string
		from, to time.Time
		want     float64
	}{
		{"7 days, ongoing outage counted until now", at(-7), now, 1 - 1.0/7},
		{"30 days", at(-30), now, 1 - 1.5/30},
		{"90 days, half before the first check", at(-90), now, 1 - 1.5/45},
		{"a window reaching past now ends at now", at(-7), at(7), 1 - 1.0/7},
		{"a window without outages", at(-18), at(-4), 1},
		{"a window inside the outage", at(-0.5), at(-0.25), 0},
	}
	for _, tc := range tests {
		if got := must(st.Availability(ctx, d.ID, tc.from, tc.to, now)); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: Availability = %v; want %v", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name     string
		id       string
		from, to time.Time
		want     error
	}{
		{"never checked", never.ID, at(-7), now, inventory.ErrNotChecked},
		{"before the first check", d.ID, at(-90), at(-60), inventory.ErrNotChecked},
		{"unknown device", "00000000deadbeef", at(-7), now, inventory.ErrNotFound},
	} {
		if _, err := st.Availability(ctx, tc.id, tc.from, tc.to, now); !errors.Is(err, tc.want) {
			t.Errorf("%s: Availability error = %v; want %v", tc.name, err, tc.want)
		}
	}
}

func testGaps(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	h := time.Hour
	cam := must(st.Create(ctx, camera("Gate camera"))) // Head office
	sw := camera("Core switch")
	sw.Known.Class = inventory.ClassNetwork
	sw = must(st.Create(ctx, sw))
	deg := must(st.Create(ctx, camera("Lobby camera")))
	// A recorder by what the scan found (no class entered), at another site.
	nvrID := must(st.Reconcile(ctx, []inventory.Discovered{{MAC: "00:0f:7c:00:00:01", Class: inventory.ClassRecorder}}, t0)).IDs[0]
	nvr := must(st.Device(ctx, nvrID))
	nvr.Known.Site = "Warehouse"
	must(0, st.Save(ctx, nvr))

	must(0, st.RecordStatus(ctx, []inventory.StatusChange{
		change(cam.ID, t0, inventory.HealthOnline, ""),
		change(cam.ID, t0.Add(1*h), inventory.HealthOffline, "no answer"),
		change(cam.ID, t0.Add(3*h), inventory.HealthOnline, ""),
		change(nvrID, t0, inventory.HealthOnline, ""),
		change(nvrID, t0.Add(2*h), inventory.HealthOffline, "power cut"),
		change(sw.ID, t0.Add(1*h), inventory.HealthOffline, "no answer"),
		change(sw.ID, t0.Add(2*h), inventory.HealthOnline, ""),
		change(deg.ID, t0.Add(1*h), inventory.HealthDegraded, "RTSP port 554 closed"),
	}))
	future := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		site     string
		from, to time.Time
		want     []inventory.Outage
	}{
		{"one site, clipped", "head office", t0.Add(2 * h), t0.Add(4 * h),
			[]inventory.Outage{outage(cam.ID, 2*h, 3*h, inventory.HealthOffline, "no answer")}},
		{"every site; an open outage ends with a past period", "", t0, t0.Add(4 * h), []inventory.Outage{
			outage(cam.ID, 1*h, 3*h, inventory.HealthOffline, "no answer"),
			outage(nvrID, 2*h, 4*h, inventory.HealthOffline, "power cut")}},
		{"a period reaching past now: still down", "Warehouse", t0, future,
			[]inventory.Outage{outage(nvrID, 2*h, -1, inventory.HealthOffline, "power cut")}},
		{"before any outage", "", t0.Add(-h), t0.Add(h), nil},
		{"a site with no cameras", "Nowhere", t0, future, nil},
	}
	for _, tc := range tests {
		if got := must(st.Gaps(ctx, tc.site, tc.from, tc.to)); !sameOutages(got, tc.want) {
			t.Errorf("%s: Gaps(%q) = %+v; want %+v", tc.name, tc.site, got, tc.want)
		}
	}
	all := must(st.Outages(ctx, "", t0, future))
	if len(all) != 4 || !slices.IsSortedFunc(all, func(a, b inventory.Outage) int { return a.Start.Compare(b.Start) }) {
		t.Errorf("Outages(every device) = %+v; want 4 in start order", all)
	}
}

func testChecks(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	mon, tue := inventory.Date{Year: 2026, Month: 11, Day: 2}, inventory.Date{Year: 2026, Month: 11, Day: 3}
	must(0, st.RecordChecks(ctx, []inventory.CheckTally{{DeviceID: d.ID, Day: mon, OK: 700, Failed: 20}}))
	must(0, st.RecordChecks(ctx, []inventory.CheckTally{
		{DeviceID: d.ID, Day: mon, OK: 710, Failed: 10},
		{DeviceID: d.ID, Day: tue, OK: 1440},
	}))
	want := []inventory.CheckTally{{DeviceID: d.ID, Day: mon, OK: 1410, Failed: 30}, {DeviceID: d.ID, Day: tue, OK: 1440}}
	if got := must(st.Checks(ctx, d.ID, mon, inventory.Date{Year: 2026, Month: 12, Day: 31})); !reflect.DeepEqual(got, want) {
		t.Errorf("Checks() = %+v; want %+v", got, want)
	}
	if got := must(st.Checks(ctx, d.ID, tue, tue)); !reflect.DeepEqual(got, want[1:]) {
		t.Errorf("Checks(tuesday) = %+v; want %+v", got, want[1:])
	}
	if err := st.RecordChecks(ctx, []inventory.CheckTally{{DeviceID: d.ID, Day: mon, OK: -1}}); err == nil {
		t.Error("RecordChecks(negative count) succeeded")
	}
}

func testHealthRetiredAndDeleted(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	other := must(st.Create(ctx, camera("Other camera")))
	for _, id := range []string{d.ID, other.ID} {
		must(0, st.RecordStatus(ctx, []inventory.StatusChange{change(id, t0, inventory.HealthOffline, "no answer"), change(id, t0.Add(time.Hour), inventory.HealthOnline, "")}))
		must(0, st.RecordChecks(ctx, []inventory.CheckTally{{DeviceID: id, Day: inventory.DateOf(t0), OK: 5, Failed: 60}}))
	}
	d.Lifecycle = inventory.Lifecycle{State: inventory.StateDecommissioned, Date: inventory.DateOf(t0.Add(48 * time.Hour)), Reason: "replaced by a 4K model"}
	must(0, st.Save(ctx, d))
	if got := must(st.Outages(ctx, d.ID, t0, t0.Add(time.Hour))); len(got) != 1 {
		t.Errorf("Outages() of a decommissioned device = %+v; want its outage kept", got)
	}
	if _, ok := must(st.Statuses(ctx))[d.ID]; !ok {
		t.Error("Statuses() lost a decommissioned device")
	}
	must(0, st.Delete(ctx, d.ID))
	if _, ok := must(st.Statuses(ctx))[d.ID]; ok {
		t.Error("Statuses() still has a deleted device")
	}
	all := must(st.Outages(ctx, "", t0, t0.Add(time.Hour)))
	if len(all) != 1 || all[0].DeviceID != other.ID {
		t.Errorf("Outages(every device) after Delete = %+v; want only the other device's", all)
	}
	if _, err := st.Checks(ctx, d.ID, inventory.DateOf(t0), inventory.DateOf(t0)); !errors.Is(err, inventory.ErrNotFound) {
		t.Errorf("Checks(deleted) error = %v; want ErrNotFound", err)
	}
	if n := len(must(st.Checks(ctx, other.ID, inventory.DateOf(t0), inventory.DateOf(t0)))); n != 1 {
		t.Errorf("Delete took the other device's check counts (%d left)", n)
	}
	// A device restored with the deleted one's ID starts with no history.
	must(st.Import(ctx, []inventory.Device{{ID: d.ID, Known: inventory.Known{Name: "Back again"}}}, nil))
	if got := must(st.Outages(ctx, d.ID, t0, t0.Add(time.Hour))); len(got) != 0 {
		t.Errorf("Outages() of a new device with a deleted one's ID = %+v; want none", got)
	}
}
