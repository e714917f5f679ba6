// Package storetest is the conformance suite every inventory.Store
// implementation runs: the bbolt file store and the in-memory store pass the
// same tests, so code written against one behaves the same on the other.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

// Run runs the suite; open must return a new, empty store each call.
func Run(t *testing.T, open func(t *testing.T) inventory.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st inventory.Store)
	}{
		{"Empty", testEmpty},
		{"CreateAndGet", testCreateAndGet},
		{"SaveKeepsDiscovered", testSaveKeepsDiscovered},
		{"SaveRefusesBadValues", testSaveRefusesBadValues},
		{"SaveUnknown", testSaveUnknown},
		{"ImportIsAllOrNothing", testImportAllOrNothing},
		{"ImportKeepsGivenIDs", testImportKeepsIDs},
		{"Delete", testDelete},
		{"SitesAndSettings", testSitesAndSettings},
		{"RecordsRestoreRoundTrip", testRecordsRestore},
		{"ReconcileNewAndSame", testReconcileNewAndSame},
		{"ReconcileMatchOrder", testReconcileMatchOrder},
		{"ReconcileNeverOverwritesPeople", testReconcileKeepsPeople},
		{"ReconcileFirmwareChange", testReconcileFirmware},
		{"ReconcileCancelled", testReconcileCancelled},
		{"Concurrent", testConcurrent},
		{"OneEntryPerDevice", testOneEntryPerDevice},
		{"ReconcileHintsDoNotFlipIdentity", testReconcileHints},
		{"ReconcileNewDeviceOnOldAddress", testReconcileNewOnOldAddress},
	}
	for _, tc := range slices.Concat(tests, healthTests, alertTests, checkTests) {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() { st.Close() })
			defer catch(t)
			tc.fn(t, st)
		})
	}
}

var t0 = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// failed carries an unexpected error from must to the subtest, which
// reports it with t.Fatal.
type failed struct{ err error }

// catch reports a must failure; every subtest that calls must defers it.
func catch(t *testing.T) {
	if r := recover(); r != nil {
		f, ok := r.(failed)
		if !ok {
			panic(r)
		}
		t.Fatalf("unexpected error: %v", f.err)
	}
}

// must returns v, or ends the running subtest when err is not nil.
func must[T any](v T, err error) T {
	if err != nil {
		panic(failed{err})
	}
	return v
}

// camera returns a realistic device; its MAC is derived from its name, so
// that two cameras with different names are different devices.
func camera(name string) inventory.Device {
	h := fnv.New32a()
	h.Write([]byte(name))
	n := h.Sum32()
	mac := fmt.Sprintf("AC:CC:8E:%02X:%02X:%02X", byte(n>>16), byte(n>>8), byte(n))
	return inventory.Device{Known: inventory.Known{
		Name: name, Site: "Head office", Location: "Car park", Class: inventory.ClassCamera,
		Manufacturer: "Axis", Model: "M3106-L Mk II", MAC: mac,
		BudgetOwner:     inventory.BudgetSplit{OT: 60, IT: 40},
		WarrantyEnd:     inventory.DateValue{Date: inventory.Date{Year: 2027, Month: 3, Day: 31}, Estimated: true},
		InstallDate:     inventory.DateValue{Date: inventory.Date{Year: 2022, Month: 3, Day: 31}},
		OTOwner:         inventory.Owner{Team: "Facilities", Contact: "fm@example.org"},
		ReplacementCost: inventory.MoneyFromCents(45000), Notes: "Mounted high — needs a lift",
	}}
}

func kinds(evs []inventory.Event) []inventory.EventKind {
	out := make([]inventory.EventKind, len(evs))
	for i, e := range evs {
		out[i] = e.Kind
	}
	return out
}

func testEmpty(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	if ds := must(st.Devices(ctx)); len(ds) != 0 {
		t.Errorf("Devices() = %d devices; want 0", len(ds))
	}
	if _, err := st.Device(ctx, "nope"); !errors.Is(err, inventory.ErrNotFound) {
		t.Errorf("Device(nope) error = %v; want ErrNotFound", err)
	}
	if _, err := st.Events(ctx, "nope"); !errors.Is(err, inventory.ErrNotFound) {
		t.Errorf("Events(nope) error = %v; want ErrNotFound", err)
	}
	if s := must(st.Settings(ctx)); s.Currency != inventory.DefaultCurrency {
		t.Errorf("Settings().Currency = %q; want %q", s.Currency, inventory.DefaultCurrency)
	}
}

func testCreateAndGet(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	if d.ID == "" {
		t.Fatal("Create gave no ID")
	}
	got := must(st.Device(ctx, d.ID))
	if !reflect.DeepEqual(got, d) {
		t.Errorf("Device() = %+v; want %+v", got, d)
	}
	if want := strings.ToLower(camera("Gate camera").Known.MAC); got.Known.MAC != want {
		t.Errorf("stored MAC = %q; want it normalised", got.Known.MAC)
	}
	if got.State() != inventory.StateActive {
		t.Errorf("State() = %q; want active", got.State())
	}
	if evs := must(st.Events(ctx, d.ID)); !slices.Equal(kinds(evs), []inventory.EventKind{inventory.EventAdded}) {
		t.Errorf("Events() = %v; want [added]", kinds(evs))
	}
}

func testSaveKeepsDiscovered(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	must(st.Reconcile(ctx, []inventory.Discovered{{IPs: []string{"198.18.1.11"}, MAC: "ac:cc:8e:00:00:01", Firmware: "10.12.153"}}, t0))
	d := must(st.Devices(ctx))[0]
	d.Known.Name = "Gate camera"
	d.Discovered.Firmware = "tampered" // the form must not be able to change what the network said
	if err := st.Save(ctx, d); err != nil {
		t.Fatal(err)
	}
	got := must(st.Device(ctx, d.ID))
	if got.Known.Name != "Gate camera" || got.Firmware() != "10.12.153" {
		t.Errorf("after Save: name %q firmware %q; want Gate camera, 10.12.153", got.Known.Name, got.Firmware())
	}
	evs := must(st.Events(ctx, d.ID))
	last := evs[len(evs)-1]
	if last.Kind != inventory.EventEdited || !strings.Contains(last.Detail, "name") {
		t.Errorf("last event = %+v; want an edit naming the name", last)
	}
	// Saving without a change records nothing.
	if err := st.Save(ctx, got); err != nil {
		t.Fatal(err)
	}
	if n := len(must(st.Events(ctx, d.ID))); n != len(evs) {
		t.Errorf("an unchanged Save added %d events; want 0", n-len(evs))
	}
}

func testSaveRefusesBadValues(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	bad := d
	bad.Known.MAC = "not-a-mac"
	bad.Known.Name = "changed"
	var fe *inventory.FieldError
	if err := st.Save(ctx, bad); !errors.As(err, &fe) || fe.Field != "mac" {
		t.Fatalf("Save(bad MAC) error = %v; want a FieldError on mac", err)
	}
	if got := must(st.Device(ctx, d.ID)); got.Known.Name != "Gate camera" {
		t.Errorf("a refused Save changed the name to %q", got.Known.Name)
	}
}

func testSaveUnknown(t *testing.T, st inventory.Store) {
	d := camera("Ghost")
	d.ID = "0000000000000000"
	if err := st.Save(context.Background(), d); !errors.Is(err, inventory.ErrNotFound) {
		t.Errorf("Save(unknown) error = %v; want ErrNotFound", err)
	}
}

func testImportAllOrNothing(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	good, bad := camera("A"), camera("B")
	bad.Known.BudgetOwner = inventory.BudgetSplit{OT: 70, IT: 40}
	if _, err := st.Import(ctx, []inventory.Device{good, bad}, nil); err == nil {
		t.Fatal("Import with a bad device succeeded")
	}
	if n := len(must(st.Devices(ctx))); n != 0 {
		t.Errorf("after a refused Import: %d devices; want 0", n)
	}
	var calls int
	out := must(st.Import(ctx, []inventory.Device{good, camera("C")}, func(done, total int) { calls++ }))
	if len(out) != 2 || calls != 2 || out[0].ID == out[1].ID {
		t.Errorf("Import: %d devices, %d progress calls, ids %q %q", len(out), calls, out[0].ID, out[1].ID)
	}
	dup := out[0]
	if _, err := st.Import(ctx, []inventory.Device{camera("D"), dup}, nil); err == nil {
		t.Error("Import of an existing ID succeeded")
	}
	if n := len(must(st.Devices(ctx))); n != 2 {
		t.Errorf("after a refused duplicate Import: %d devices; want 2", n)
	}
}

func testImportKeepsIDs(t *testing.T, st inventory.Store) {
	d := camera("A")
	d.ID = "00000000000000aa"
	out := must(st.Import(context.Background(), []inventory.Device{d}, nil))
	if out[0].ID != d.ID {
		t.Errorf("Import changed the ID to %q; want %q", out[0].ID, d.ID)
	}
}

func testDelete(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("A")))
	if err := st.Delete(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Device(ctx, d.ID); !errors.Is(err, inventory.ErrNotFound) {
		t.Errorf("Device after Delete: %v; want ErrNotFound", err)
	}
	if err := st.Delete(ctx, d.ID); !errors.Is(err, inventory.ErrNotFound) {
		t.Errorf("second Delete: %v; want ErrNotFound", err)
	}
	// Its MAC no longer matches anything: a scan finds a new device.
	res := must(st.Reconcile(ctx, []inventory.Discovered{{MAC: d.Known.MAC}}, t0))
	if res.Added != 1 {
		t.Errorf("Reconcile after Delete: %+v; want 1 added", res)
	}
}

func testSitesAndSettings(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	for _, s := range []inventory.Site{{Name: "Warehouse"}, {Name: "Head office", Strategy: inventory.StrategyAge}, {Name: "head office", Strategy: inventory.StrategySupport}} {
		if err := st.PutSite(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	sites := must(st.Sites(ctx))
	if len(sites) != 2 || sites[0].Name != "head office" || sites[0].Strategy != inventory.StrategySupport {
		t.Errorf("Sites() = %+v; want head office (support) replaced in place, then Warehouse", sites)
	}
	if err := st.PutSite(ctx, inventory.Site{Name: "  "}); err == nil {
		t.Error("PutSite with a blank name succeeded")
	}
	if err := st.PutSettings(ctx, inventory.Settings{Organisation: "Acme", Currency: "usd"}); err != nil {
		t.Fatal(err)
	}
	if s := must(st.Settings(ctx)); s.Organisation != "Acme" || s.Currency != "USD" {
		t.Errorf("Settings() = %+v; want Acme USD", s)
	}
	if err := st.PutSettings(ctx, inventory.Settings{Currency: "dollars"}); err == nil {
		t.Error("PutSettings(currency dollars) succeeded")
	}
}

// testRecordsRestore: what Records gives, Restore puts back exactly.
func testRecordsRestore(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	must(st.Create(ctx, camera("A")))
	must(st.Reconcile(ctx, []inventory.Discovered{{IPs: []string{"198.18.1.12"}, MAC: "00:04:7d:0e:b8:5c", Manufacturer: "Pelco", Firmware: "1.0"}}, t0))
	must(st.Reconcile(ctx, []inventory.Discovered{{IPs: []string{"198.18.1.13"}, MAC: "00:04:7d:0e:b8:5c", Firmware: "1.1"}}, t0.Add(time.Hour)))
	recs := must(st.Snapshot(ctx)).Records
	if len(recs) != 2 {
		t.Fatalf("Records() = %d; want 2", len(recs))
	}
	// Restore into the same store is refused (IDs exist) and changes nothing.
	if err := st.Restore(ctx, inventory.Snapshot{Records: recs}, nil); err == nil {
		t.Error("Restore of existing IDs succeeded")
	}
	fresh := inventory.NewMemory()
	defer fresh.Close()
	settings := inventory.Settings{Organisation: "Acme", Currency: "chf"}
	if err := fresh.Restore(ctx, inventory.Snapshot{Records: recs, Settings: &settings, Sites: []inventory.Site{{Name: "Head office"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := must(fresh.Snapshot(ctx)).Records; !reflect.DeepEqual(got, recs) {
		t.Errorf("Records after Restore differ:\n got %+v\nwant %+v", got, recs)
	}
	if s := must(fresh.Settings(ctx)); s.Currency != "CHF" || s.Organisation != "Acme" {
		t.Errorf("Settings after Restore = %+v; want Acme, CHF", s)
	}
	if sites := must(fresh.Sites(ctx)); len(sites) != 1 {
		t.Errorf("Sites after Restore = %+v; want Head office", sites)
	}
	// A bad ID, or a cancelled context, keeps nothing.
	bad := recs[0]
	bad.ID = "a\x00b"
	if err := inventory.NewMemory().Restore(ctx, inventory.Snapshot{Records: []inventory.Record{bad}}, nil); err == nil {
		t.Error("Restore of an ID with a NUL byte succeeded")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	empty := inventory.NewMemory()
	if err := empty.Restore(cctx, inventory.Snapshot{Records: recs}, nil); err == nil {
		t.Error("Restore with a cancelled context succeeded")
	}
	if n := len(must(empty.Devices(ctx))); n != 0 {
		t.Errorf("a cancelled Restore kept %d devices", n)
	}
	// The indexes came back too: the same MAC matches, no new device.
	res := must(fresh.Reconcile(ctx, []inventory.Discovered{{MAC: "00-04-7D-0E-B8-5C"}}, t0))
	if res.Added != 0 {
		t.Errorf("Reconcile after Restore added %d; want 0", res.Added)
	}
}

func testReconcileNewAndSame(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	f := inventory.Discovered{IPs: []string{"198.18.1.11"}, MAC: "AC-CC-8E-00-00-01", Manufacturer: "AXIS", Model: "M3106-L Mk II",
		Firmware: "10.12.153", Sources: []string{"wsd"}, EndpointRef: "urn:uuid:1111"}
	res := must(st.Reconcile(ctx, []inventory.Discovered{f, f}, t0))
	if res.Added != 1 || res.Unchanged != 1 || res.IDs[0] != res.IDs[1] {
		t.Fatalf("Reconcile(same twice in one batch) = %+v; want 1 added then 1 unchanged, same ID", res)
	}
	res2 := must(st.Reconcile(ctx, []inventory.Discovered{f}, t0.Add(time.Minute)))
	if res2.Unchanged != 1 || res2.IDs[0] != res.IDs[0] {
		t.Errorf("second scan = %+v; want unchanged, same ID", res2)
	}
	d := must(st.Device(ctx, res.IDs[0]))
	if !d.Discovered.FirstSeen.Equal(t0) || !d.Discovered.LastSeen.Equal(t0.Add(time.Minute)) {
		t.Errorf("seen %v .. %v; want %v .. %v", d.Discovered.FirstSeen, d.Discovered.LastSeen, t0, t0.Add(time.Minute))
	}
	if d.MAC() != "ac:cc:8e:00:00:01" {
		t.Errorf("MAC() = %q; want normalised", d.MAC())
	}
	if evs := must(st.Events(ctx, d.ID)); !slices.Equal(kinds(evs), []inventory.EventKind{inventory.EventFound}) {
		t.Errorf("events = %v; want [found]", kinds(evs))
	}
}

// testReconcileMatchOrder: serial+manufacturer, then MAC, then endpoint
// reference, then IP; weak keys never merge two different devices.
func testReconcileMatchOrder(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	base := inventory.Discovered{IPs: []string{"198.18.1.11"}, MAC: "00:04:7d:0e:b8:5c", Manufacturer: "Pelco",
		Serial: "T1234", EndpointRef: "urn:uuid:aaaa", Firmware: "1.0"}
	first := must(st.Reconcile(ctx, []inventory.Discovered{base}, t0)).IDs[0]
	tests := []struct {
		name    string
		f       inventory.Discovered
		wantNew bool
	}{
		{"serial and manufacturer, another spelling", inventory.Discovered{Manufacturer: "PELCO Inc.", Serial: "t1234", IPs: []string{"198.18.9.9"}}, false},
		{"MAC after an IP change", inventory.Discovered{MAC: "00047D0EB85C", IPs: []string{"198.18.1.50"}}, false},
		{"endpoint reference without urn prefix", inventory.Discovered{EndpointRef: "uuid:AAAA"}, false},
		{"reset endpoint UUID, same MAC", inventory.Discovered{EndpointRef: "urn:uuid:bbbb", MAC: "00:04:7d:0e:b8:5c"}, false},
		{"same IP, nothing else", inventory.Discovered{IPs: []string{"198.18.1.50"}}, false},
		{"same IP, another MAC: a different device", inventory.Discovered{IPs: []string{"198.18.1.50"}, MAC: "00:11:22:33:44:55"}, true},
		{"same endpoint, another serial: a cloned config", inventory.Discovered{EndpointRef: "urn:uuid:bbbb", Manufacturer: "Pelco", Serial: "OTHER"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer catch(t)
			res := must(st.Reconcile(ctx, []inventory.Discovered{tc.f}, t0.Add(time.Hour)))
			if gotNew := res.IDs[0] != first; gotNew != tc.wantNew {
				t.Errorf("Reconcile(%+v) made a new device = %v; want %v", tc.f, gotNew, tc.wantNew)
			}
		})
	}
	d := must(st.Device(ctx, first))
	evs := must(st.Events(ctx, first))
	if !slices.Contains(kinds(evs), inventory.EventIPChanged) {
		t.Errorf("events = %v; want an ip_changed", kinds(evs))
	}
	if d.IP() != "198.18.1.50" {
		t.Errorf("IP() = %q; want the newest address 198.18.1.50", d.IP())
	}
}

func testReconcileKeepsPeople(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	f := inventory.Discovered{MAC: d.Known.MAC, Model: "M3106-LVE", Manufacturer: "AXIS", IPs: []string{"198.18.1.11"},
		Class: inventory.ClassCamera, Firmware: "10.12.153"}
	res := must(st.Reconcile(ctx, []inventory.Discovered{f}, t0))
	if res.IDs[0] != d.ID {
		t.Fatalf("the scan did not match the entered MAC: %+v", res)
	}
	got := must(st.Device(ctx, d.ID))
	if !reflect.DeepEqual(got.Known, d.Known) || got.Lifecycle != d.Lifecycle {
		t.Errorf("Reconcile changed what a person entered:\n got %+v\nwant %+v", got.Known, d.Known)
	}
	if got.Model() != "M3106-L Mk II" || got.Discovered.Model != "M3106-LVE" {
		t.Errorf("Model() = %q, discovered %q; want the person's value shown and the scan's kept", got.Model(), got.Discovered.Model)
	}
	evs := must(st.Events(ctx, d.ID))
	var conflict *inventory.Event
	for i := range evs {
		if evs[i].Kind == inventory.EventConflict {
			conflict = &evs[i]
		}
	}
	if conflict == nil || conflict.Old != "M3106-L Mk II" || conflict.New != "M3106-LVE" {
		t.Errorf("events = %+v; want a conflict event for the model", evs)
	}
	// The same report again is not a new conflict.
	must(st.Reconcile(ctx, []inventory.Discovered{f}, t0.Add(time.Minute)))
	if n := len(must(st.Events(ctx, d.ID))); n != len(evs) {
		t.Errorf("a repeated scan added %d events; want 0", n-len(evs))
	}
}

func testReconcileFirmware(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	f := inventory.Discovered{MAC: "68:6d:bc:00:00:01", Firmware: "V5.5.0 build 170725"}
	id := must(st.Reconcile(ctx, []inventory.Discovered{f}, t0)).IDs[0]
	f.Firmware = "V5.7.3 build 220112"
	res := must(st.Reconcile(ctx, []inventory.Discovered{f}, t0.Add(24*time.Hour)))
	if res.Updated != 1 {
		t.Errorf("Reconcile = %+v; want 1 updated", res)
	}
	evs := must(st.Events(ctx, id))
	last := evs[len(evs)-1]
	if last.Kind != inventory.EventFirmwareChanged || last.Old != "V5.5.0 build 170725" || last.New != "V5.7.3 build 220112" || !last.Time.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("last event = %+v; want firmware_changed old -> new at the scan time", last)
	}
}

func testReconcileCancelled(t *testing.T, st inventory.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := st.Reconcile(ctx, []inventory.Discovered{{MAC: "00:11:22:33:44:55"}}, t0); !errors.Is(err, context.Canceled) {
		t.Errorf("Reconcile(cancelled) error = %v; want context.Canceled", err)
	}
	if n := len(must(st.Devices(context.Background()))); n != 0 {
		t.Errorf("a cancelled Reconcile stored %d devices", n)
	}
}

// testConcurrent is for the race detector: readers and writers at once.
func testConcurrent(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("A")))
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 10 {
				e := d
				e.Known.Notes = strings.Repeat("x", i*10+j)
				if err := st.Save(ctx, e); err != nil {
					t.Error(err)
				}
				if _, err := st.Devices(ctx); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

// testOneEntryPerDevice: a person cannot enter a second device with the MAC
// or the serial number of one already in the inventory.
func testOneEntryPerDevice(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	first := must(st.Create(ctx, camera("Gate camera")))
	var fe *inventory.FieldError
	same := camera("Same MAC")
	same.Known.MAC = first.Known.MAC
	if _, err := st.Create(ctx, same); !errors.As(err, &fe) || fe.Field != "mac" {
		t.Errorf("Create(same MAC) error = %v; want a FieldError on mac", err)
	}
	other := camera("Other")
	other.Known.Serial = "ACCC8E000002"
	second := must(st.Create(ctx, other))
	twin := camera("Twin")
	twin.Known.MAC, twin.Known.Manufacturer, twin.Known.Serial = "", "AXIS Communications AB", "accc8e000002"
	if _, err := st.Import(ctx, []inventory.Device{twin}, nil); !errors.As(err, &fe) || fe.Field != "serial" {
		t.Errorf("Import(same manufacturer and serial, other spelling) error = %v; want a FieldError on serial", err)
	}
	second.Known.MAC = first.Known.MAC
	if err := st.Save(ctx, second); !errors.As(err, &fe) || fe.Field != "mac" {
		t.Errorf("Save(another device's MAC) error = %v; want a FieldError on mac", err)
	}
	if n := len(must(st.Devices(ctx))); n != 2 {
		t.Errorf("%d devices; want 2", n)
	}
}

// testReconcileHintsDoNotFlipIdentity: a scan in which the device did not
// say what it is (only a WS-Discovery scope hint) does not change the model
// the device itself reported earlier.
func testReconcileHints(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	full := inventory.Discovered{IPs: []string{"198.18.1.10"}, MAC: "00:40:8c:00:00:10", EndpointRef: "urn:uuid:axis-1",
		Manufacturer: "AXIS", Model: "AXIS Q6045-E", Sources: []string{"wsd", inventory.SourceSelfReported}}
	id := must(st.Reconcile(ctx, []inventory.Discovered{full}, t0)).IDs[0]
	hint := inventory.Discovered{IPs: []string{"198.18.1.10"}, EndpointRef: "urn:uuid:axis-1", Model: "Q6045-E", Sources: []string{"wsd"}}
	res := must(st.Reconcile(ctx, []inventory.Discovered{hint}, t0.Add(time.Hour)))
	if res.IDs[0] != id || res.Unchanged != 1 {
		t.Errorf("Reconcile(scope hint) = %+v; want the same device, unchanged", res)
	}
	if d := must(st.Device(ctx, id)); d.Model() != "AXIS Q6045-E" {
		t.Errorf("Model() = %q after a hint; want the self-reported AXIS Q6045-E", d.Model())
	}
}

// testReconcileNewOnOldAddress: a device known only by address and endpoint
// (it wants a password) on the address of a known camera with another
// endpoint is a new device, not the old one.
func testReconcileNewOnOldAddress(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	old := inventory.Discovered{IPs: []string{"198.18.1.20"}, MAC: "00:40:8c:00:00:20", EndpointRef: "urn:uuid:old", Sources: []string{"wsd", inventory.SourceSelfReported}}
	oldID := must(st.Reconcile(ctx, []inventory.Discovered{old}, t0)).IDs[0]
	newcomer := inventory.Discovered{IPs: []string{"198.18.1.20"}, EndpointRef: "urn:uuid:new", Sources: []string{"wsd"}}
	res := must(st.Reconcile(ctx, []inventory.Discovered{newcomer}, t0.Add(time.Hour)))
	if res.IDs[0] == oldID || res.Added != 1 {
		t.Errorf("Reconcile(another endpoint on a known camera's address) = %+v; want a new device", res)
	}
}
