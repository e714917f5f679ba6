package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/credentials"
	"sitekeeper/internal/discovery"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
)

// found is a device as a scan reports it.
func found(ip, mac, manufacturer, model, serial string) discovery.Device {
	return discovery.Device{Discovered: inventory.Discovered{
		IPs: []string{ip}, MAC: mac, Manufacturer: manufacturer, Model: model, Serial: serial,
		Class: inventory.ClassCamera, Sources: []string{"wsd", "onvif"},
	}}
}

// siteScan is what a small site answers: two cameras that say what they
// are and one that wants a password.
func siteScan() []discovery.Device {
	locked := found("198.18.1.12", "", "", "", "")
	locked.Sources = []string{"wsd"}
	locked.NeedsCredentials = true
	return []discovery.Device{
		found("198.18.1.10", "00:40:8c:aa:00:10", "AXIS", "AXIS Q6045-E", "ACCC8EAA0010"),
		found("198.18.1.11", "00:09:18:bb:00:11", "Hanwha Vision", "XNV-8082R", "ZKH0000011"),
		locked,
	}
}

// fakeScanner reports devs and returns, as a scan of a quiet network does.
func fakeScanner(devs []discovery.Device) Scanner {
	return func(ctx context.Context, _ func(inventory.Discovered) []discovery.Credential, onFound func(discovery.Device)) (discovery.Stats, error) {
		for i, d := range devs {
			d.Key = i
			onFound(d)
		}
		return discovery.Stats{Devices: len(devs)}, nil
	}
}

// askingScanner reports devs as fakeScanner does, but first asks loginsFor
// about each device that wants a login, as the Identifier does, and keeps
// what each was to be asked with in asked, by its address.
func askingScanner(devs []discovery.Device, asked map[string][]string) Scanner {
	return func(ctx context.Context, loginsFor func(inventory.Discovered) []discovery.Credential, onFound func(discovery.Device)) (discovery.Stats, error) {
		for _, d := range devs {
			if d.NeedsCredentials && loginsFor != nil {
				var users []string
				for _, c := range loginsFor(d.Discovered) {
					users = append(users, c.Username)
				}
				asked[d.IPs[0]] = users
			}
		}
		return fakeScanner(devs)(ctx, loginsFor, onFound)
	}
}

// waitingScanner reports devs, then waits for Stop.
func waitingScanner(devs []discovery.Device, started chan<- struct{}) Scanner {
	return func(ctx context.Context, _ func(inventory.Discovered) []discovery.Credential, onFound func(discovery.Device)) (discovery.Stats, error) {
		for _, d := range devs {
			onFound(d)
		}
		close(started)
		<-ctx.Done()
		return discovery.Stats{Devices: len(devs)}, ctx.Err()
	}
}

func TestScanButtonOnlyWithScanner(t *testing.T) {
	u := newTestUI(t, newStore(t, nil), nil)
	if findButton(u, "Scan the network") != nil {
		t.Error("the empty view offers a scan without a Scanner")
	}
	u = newTestUIOpt(t, newStore(t, nil), nil, Options{Scanner: fakeScanner(nil)})
	if b := findButton(u, "Scan the network"); b == nil {
		t.Error("the empty view has no Scan the network button")
	} else if b.Importance != widget.HighImportance {
		t.Error("scanning is not the first choice on the empty view")
	}
	u = newTestUI(t, newStore(t, sampleDevices(3)), nil)
	if findButton(u, "Scan the network") != nil {
		t.Error("the devices toolbar offers a scan without a Scanner")
	}
	u = newTestUIOpt(t, newStore(t, sampleDevices(3)), nil, Options{Scanner: fakeScanner(nil)})
	if findButton(u, "Scan the network") == nil {
		t.Error("the devices toolbar has no Scan the network button")
	}
}

func TestScanSavesAndSummarises(t *testing.T) {
	st := inventory.NewMemory()
	u := newTestUIOpt(t, st, nil, Options{Scanner: fakeScanner(siteScan())})
	test.Tap(findButton(u, "Scan the network"))
	u.wait()

	devs, err := st.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 3 {
		t.Fatalf("the store holds %d devices after the scan; want 3", len(devs))
	}
	for _, s := range []string{
		"Found 3 devices: 3 new.",
		"1 device would not say what it is without a user name and password: 198.18.1.12.",
	} {
		if !hasText(u, s) {
			t.Errorf("the summary does not say %q", s)
		}
	}
	if !u.devices.list.Visible() || len(u.devices.visible) != 3 {
		t.Errorf("the devices list shows %d devices after the scan; want 3", len(u.devices.visible))
	}

	// A second scan finds the same devices: nothing new.
	test.Tap(findButton(u, "Scan again"))
	u.wait()
	if !hasText(u, "Found 3 devices: 3 as before.") {
		t.Error("a second scan of the same devices does not say they are as before")
	}
	if devs, _ := st.Devices(context.Background()); len(devs) != 3 {
		t.Errorf("the store holds %d devices after scanning twice; want 3", len(devs))
	}
}

func TestScanNothingFoundGivesAdvice(t *testing.T) {
	st := inventory.NewMemory()
	silent := func(ctx context.Context, _ func(inventory.Discovered) []discovery.Credential, _ func(discovery.Device)) (discovery.Stats, error) {
		return discovery.Stats{WSD: wsd.Stats{Interfaces: []wsd.InterfaceStats{{Name: "Ethernet", ProbesSent: 6}}}}, nil
	}
	u := newTestUIOpt(t, st, nil, Options{Scanner: silent})
	test.Tap(findButton(u, "Scan the network"))
	u.wait()
	for _, s := range []string{"No device answered", "Searched on Ethernet", "firewall", "VLAN"} {
		if !hasText(u, s) {
			t.Errorf("the advice after an empty scan does not mention %q", s)
		}
	}
	if !u.devices.empty.Visible() {
		t.Error("the empty view is gone after a scan that found nothing")
	}
}

func TestScanStopKeepsWhatWasFound(t *testing.T) {
	st := inventory.NewMemory()
	started := make(chan struct{})
	u := newTestUIOpt(t, st, nil, Options{Scanner: waitingScanner(siteScan()[:1], started)})
	u.startScan()
	<-started
	stop := findButton(u, "Stop")
	if stop == nil {
		t.Fatal("no Stop button while scanning")
	}
	test.Tap(stop)
	u.wait()
	if !hasText(u, "You stopped the scan. Before that, SiteKeeper found 1 device: 1 new.") {
		t.Error("stopping is not explained")
	}
	if devs, _ := st.Devices(context.Background()); len(devs) != 1 {
		t.Errorf("the store holds %d devices after Stop; want the 1 found", len(devs))
	}
}

func TestScanListIsCoalesced(t *testing.T) {
	var many []discovery.Device
	for i := range 250 {
		many = append(many, found(fmt.Sprintf("198.18.%d.%d", 2+i/200, 10+i%200),
			fmt.Sprintf("00:40:8c:cc:%02x:%02x", i>>8, i&0xff), "AXIS", "AXIS P3265-LVE", fmt.Sprintf("ACCC8ECC%04d", i)))
	}
	started := make(chan struct{})
	u := newTestUIOpt(t, inventory.NewMemory(), nil, Options{Scanner: waitingScanner(many, started)})
	u.startScan()
	<-started
	r := u.scan
	for deadline := time.Now().Add(5 * time.Second); len(r.lines) < 250 && time.Now().Before(deadline); {
		time.Sleep(scanRefresh / 2)
		u.drain()
	}
	if len(r.lines) != 250 {
		t.Fatalf("the scan dialog lists %d devices; want 250", len(r.lines))
	}
	// Coalescing, not an exact count: a loaded CI machine may split the
	// batch, but never into anything near one redraw per device.
	if r.shows > 25 {
		t.Errorf("250 devices found at once were shown in %d updates; want a few", r.shows)
	}
	if r.lines[0] != "AXIS P3265-LVE at 198.18.2.10" {
		t.Errorf("first line = %q", r.lines[0])
	}
	test.Tap(findButton(u, "Stop"))
	u.wait()
	if !hasText(u, "found 250 devices: 250 new.") {
		t.Error("no summary of the 250 devices")
	}
}

func TestScanErrorIsExplained(t *testing.T) {
	u := newTestUIOpt(t, inventory.NewMemory(), nil, Options{Scanner: func(ctx context.Context, _ func(inventory.Discovered) []discovery.Credential, _ func(discovery.Device)) (discovery.Stats, error) {
		return discovery.Stats{}, fmt.Errorf("wsd: %w", wsd.ErrNoInterfaces)
	}})
	u.startScan()
	u.wait()
	if !hasText(u, "No devices found") || !hasText(u, "no network connection to search on") {
		t.Error("a scan without a network adapter is not explained")
	}
}

func TestDescribeFound(t *testing.T) {
	for _, c := range []struct {
		d    discovery.Device
		want string
	}{
		{found("198.18.1.10", "", "AXIS", "AXIS Q6045-E", ""), "AXIS Q6045-E at 198.18.1.10"},
		{found("198.18.1.11", "", "Hanwha Vision", "XNV-8082R", ""), "Hanwha Vision XNV-8082R at 198.18.1.11"},
		{siteScan()[2], "A device at 198.18.1.12 (needs a user name and password)"},
	} {
		if got := describeFound(c.d); got != c.want {
			t.Errorf("describeFound = %q; want %q", got, c.want)
		}
	}
}

func TestScreenshotScan(t *testing.T) {
	if testing.Short() {
		t.Skip("captures are slow")
	}
	st := inventory.NewMemory()
	started := make(chan struct{})
	u := newTestUIOpt(t, st, TransferImporter(st), Options{Scanner: waitingScanner(siteScan(), started)})
	capture(t, u, "empty-scan")

	u.startScan()
	<-started
	for deadline := time.Now().Add(5 * time.Second); len(u.scan.lines) < 3 && time.Now().Before(deadline); {
		time.Sleep(scanRefresh / 2)
		u.drain()
	}
	capture(t, u, "scan-progress")
	test.Tap(findButton(u, "Stop"))
	u.wait()

	st = inventory.NewMemory()
	u = newTestUIOpt(t, st, TransferImporter(st), Options{Scanner: fakeScanner(siteScan())})
	test.Tap(findButton(u, "Scan the network"))
	u.wait()
	capture(t, u, "scan-summary")
}

// TestScanUpdateReplacesLine: a device reported again (its mDNS services, its
// ONVIF identity arriving later) replaces its line and is saved once, as it
// last stood.
func TestScanUpdateReplacesLine(t *testing.T) {
	st := inventory.NewMemory()
	first := found("198.18.1.20", "", "", "", "")
	first.Sources = []string{"mdns"}
	later := found("198.18.1.20", "ac:cc:8e:00:00:20", "AXIS", "AXIS M3045-V", "ACCC8E000020")
	later.Update = true
	started := make(chan struct{})
	u := newTestUIOpt(t, st, nil, Options{Scanner: waitingScanner([]discovery.Device{first, later}, started)})
	u.startScan()
	r := u.scan
	<-started
	want := "AXIS M3045-V at 198.18.1.20"
	for deadline := time.Now().Add(5 * time.Second); (len(r.lines) == 0 || r.lines[0] != want) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		u.drain()
	}
	if len(r.lines) != 1 || r.lines[0] != want {
		t.Errorf("scan dialog lines = %q; want the one device as last reported", r.lines)
	}
	test.Tap(findButton(u, "Stop"))
	u.wait()
	devs, _ := st.Devices(context.Background())
	if len(devs) != 1 || devs[0].Model() != "AXIS M3045-V" || devs[0].MAC() != "ac:cc:8e:00:00:20" {
		t.Errorf("saved %d devices (%+v); want the one, as last reported", len(devs), devs)
	}
}

// TestScanGivesEachDeviceItsLogins: a device in the inventory is asked with
// its own saved login, its site's and all sites'; one the inventory does
// not know yet with all sites' and then every site's.
func TestScanGivesEachDeviceItsLogins(t *testing.T) {
	st := newStore(t, []inventory.Device{{
		Known:      inventory.Known{Site: "North depot"},
		Discovered: inventory.Discovered{IPs: []string{"198.18.1.12"}},
	}})
	known, err := st.Devices(context.Background())
	if err != nil || len(known) != 1 {
		t.Fatalf("Devices = %d devices, %v; want 1", len(known), err)
	}
	v := savedVault(t)
	for _, s := range []credentials.Set{
		{Username: "admin", Password: "a"},
		{Username: "north", Password: "n", Scope: credentials.Scope{Site: "North depot"}},
		{Username: "south", Password: "s", Scope: credentials.Scope{Site: "South depot"}},
		{Username: "gate", Password: "g", Scope: credentials.Scope{Device: known[0].ID}},
		{Username: "elsewhere", Password: "e", Scope: credentials.Scope{Device: "another"}},
	} {
		if _, err := v.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	newcomer := found("198.18.1.13", "", "", "", "")
	newcomer.NeedsCredentials = true
	asked := map[string][]string{}
	u := newTestUIOpt(t, st, nil, Options{Scanner: askingScanner(append(siteScan(), newcomer), asked), Logins: v})
	test.Tap(findButton(u, "Scan the network"))
	u.wait()

	for ip, want := range map[string]string{
		"198.18.1.12": "gate,north,admin",
		"198.18.1.13": "admin,north,south",
	} {
		if got := strings.Join(asked[ip], ","); got != want {
			t.Errorf("the device at %s was to be asked with %s; want %s", ip, got, want)
		}
	}
	if !hasText(u, "2 devices would not say what they are with the saved logins: 198.18.1.12, 198.18.1.13.") {
		t.Error("the summary does not say which devices want a login")
	}
}

// TestScanNamesDevicesNotSeen: a camera an earlier scan found and this one
// did not is named in the summary, and left as it was.
func TestScanNamesDevicesNotSeen(t *testing.T) {
	st := inventory.NewMemory()
	site := siteScan()
	if _, err := st.Reconcile(context.Background(), discoveredOf(site), time.Now()); err != nil {
		t.Fatal(err)
	}
	u := newTestUIOpt(t, st, nil, Options{Scanner: fakeScanner(site[:2])})
	u.startScan()
	u.wait()
	if !hasText(u, "1 device found by an earlier scan did not answer this time: 198.18.1.12.") {
		t.Error("the summary does not name the device that did not answer")
	}
}

// TestScanOffersToLinkAReplacement: a camera marked replaced, and a new
// camera at its address on the next scan: the summary offers to link them,
// and "Link them" records the successor and moves the site over.
func TestScanOffersToLinkAReplacement(t *testing.T) {
	ctx := context.Background()
	st := inventory.NewMemory()
	res, err := st.Reconcile(ctx, []inventory.Discovered{{IPs: []string{"198.18.1.13"}, MAC: "c0:56:e3:00:00:13", Class: inventory.ClassCamera, Manufacturer: "HIKVISION"}}, time.Now().AddDate(0, -6, 0))
	if err != nil {
		t.Fatal(err)
	}
	old, _ := st.Device(ctx, res.IDs[0])
	old.Known.Name, old.Known.Site, old.Known.Location = "Gate camera", "Head office", "Delivery gate"
	old.Lifecycle = inventory.Lifecycle{State: inventory.StateReplaced, Date: inventory.DateOf(time.Now()), Reason: "Failed: water in the housing"}
	if err := st.Save(ctx, old); err != nil {
		t.Fatal(err)
	}
	u := newTestUIOpt(t, st, nil, Options{Scanner: fakeScanner([]discovery.Device{found("198.18.1.13", "00:40:8c:aa:00:13", "AXIS", "AXIS P3265-LVE", "ACCC8EAA0013")})})
	u.startScan()
	u.wait()
	if !hasText(u, "AXIS P3265-LVE at 198.18.1.13 may be what replaced Gate camera, marked replaced on") || !hasText(u, "it has the old one's address") {
		t.Fatal("the summary does not offer the new camera as the replacement")
	}
	capture(t, u, "scan-summary-successor")
	test.Tap(findButton(u, "Link them"))
	u.wait()
	old, _ = st.Device(ctx, old.ID)
	nu, err := st.Device(ctx, old.Lifecycle.Successor)
	if err != nil || nu.Known.Site != "Head office" || nu.Known.Location != "Delivery gate" || nu.Model() != "AXIS P3265-LVE" {
		t.Errorf("after Link them: old successor %q, new %+v, %v", old.Lifecycle.Successor, nu.Known, err)
	}
	if !hasText(u, "now replaces Gate camera") {
		t.Error("the summary does not say the devices were linked")
	}
}
