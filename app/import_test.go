package app

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

const goodCSV = `name,site,location,ip,mac,manufacturer,model,serial,install_date,warranty_end,replacement_cost
Lobby camera,Head office,Reception,10.1.20.11,00:40:8c:00:00:01,Axis,P3265-LVE,ACCC8E000001,2022-03-01,2027-03-01,1190
Loading bay camera,Warehouse North,Goods in,10.2.30.12,00:40:8c:00:00:02,Hanwha Vision,XNV-8082R,ZKH000002,2021-09-15,2026-09-15,980
Front door,Head office,Main entrance,10.1.20.20,00:40:8c:00:00:03,Axis,A1610,ACCC8E000003,2023-01-10,2028-01-10,890
`

// badCSV has one row with an impossible date and one with a bad MAC.
const badCSV = `name,site,ip,mac,warranty_end
Camera 1,Head office,10.1.20.11,00:40:8c:00:00:01,2027-03-01
Camera 2,Head office,10.1.20.12,00:40:8c:00:00:02,31/31/2027
Camera 3,Head office,10.1.20.13,not-a-mac,2027-03-01
Camera 4,Head office,10.1.20.14,00:40:8c:00:00:04,2027-03-01
`

func TestEmptyStateThenImport(t *testing.T) {
	st := newStore(t, nil)
	u := newTestUI(t, st, TransferImporter(st))
	v := u.devices
	if !v.empty.Visible() || v.list.Visible() {
		t.Fatal("the empty view is not shown for an empty inventory")
	}
	for _, b := range []string{"Import a spreadsheet (CSV)", "Add a device by hand", "Copy the column names"} {
		if findButton(u, b) == nil {
			t.Errorf("the empty view has no %q button", b)
		}
	}
	if !hasText(u, "name, site, location, ip, mac") {
		t.Error("the empty view does not show the CSV header line")
	}

	u.runImport("devices.csv", textOpener(goodCSV), false)
	u.wait()
	if v.empty.Visible() || !v.list.Visible() {
		t.Error("the empty view is still shown after an import")
	}
	if len(v.visible) != 3 {
		t.Errorf("visible = %d; want 3", len(v.visible))
	}
	if !hasText(u, "Imported 3 devices from devices.csv.") {
		t.Error("no summary after the import")
	}
}

func TestImportProblemsThenGoodRowsOnly(t *testing.T) {
	st := newStore(t, nil)
	u := newTestUI(t, st, TransferImporter(st))
	u.runImport("devices.csv", textOpener(badCSV), false)
	u.wait()
	if n := countDevices(t, st); n != 0 {
		t.Fatalf("a file with bad rows imported %d devices", n)
	}
	if !hasText(u, "2 rows of the file have problems, so nothing was imported.") {
		t.Error("the problems are not explained")
	}
	if !hasText(u, "Line 3:") || !hasText(u, "Line 4:") {
		t.Error("the problem rows are not listed by line")
	}
	capture(t, u, "import-problems")
	good := findButton(u, "Import the good rows only")
	if good == nil {
		t.Fatal("no way to import the good rows")
	}
	test.Tap(good)
	u.wait()
	if n := countDevices(t, st); n != 2 {
		t.Errorf("good rows only imported %d devices; want 2", n)
	}
	if !hasText(u, "Imported 2 devices") || !hasText(u, "2 rows had problems and were left out") {
		t.Error("the summary does not say what was left out")
	}
	capture(t, u, "import-summary")
}

func TestImportOfUnreadableFile(t *testing.T) {
	st := newStore(t, nil)
	u := newTestUI(t, st, TransferImporter(st))
	u.runImport("empty.csv", textOpener(""), false)
	u.wait()
	if findButton(u, "Import the good rows only") != nil {
		t.Error("offers good rows of a file that has none")
	}
	if !hasText(u, "Nothing was imported: the file is empty") {
		t.Error("the whole-file problem is not shown")
	}
	// Only bad rows: after "the good rows only", nothing more to offer.
	u.runImport("bad.csv", textOpener("name,mac\nCam,zz\nCam 2,yy\n"), false)
	u.wait()
	test.Tap(findButton(u, "Import the good rows only"))
	u.wait()
	if !hasText(u, "None of the rows in the file could be imported.") {
		t.Error("importing no good rows is not explained")
	}
	u.runImport("gone.csv", func() (io.ReadCloser, error) { return nil, errNotExist }, false)
	u.wait()
	if !hasText(u, "SiteKeeper cannot find that file.") {
		t.Error("a missing file is not explained")
	}
}

func TestImportProgressAndStop(t *testing.T) {
	st := newStore(t, nil)
	started := make(chan struct{})
	imp := func(ctx context.Context, r io.Reader, name string, opt transfer.Options) (transfer.Summary, error) {
		for i := range 100 {
			opt.Progress(i+1, 100)
		}
		close(started)
		<-ctx.Done() // a slow file: wait until the person presses Stop
		return transfer.Summary{}, fmt.Errorf("import: %w", ctx.Err())
	}
	u := newTestUI(t, st, imp)
	u.runImport("big.csv", textOpener(goodCSV), false)
	<-started
	stop := findButton(u, "Stop")
	if stop == nil {
		t.Fatal("no Stop button while importing")
	}
	test.Tap(stop)
	u.wait()
	if !hasText(u, "Stopped before it finished. Nothing was changed.") {
		t.Error("stopping is not explained")
	}
}

// TestCSVTemplateIsReadable checks that the header the empty view offers
// names only columns transfer knows.
func TestCSVTemplateIsReadable(t *testing.T) {
	st := inventory.NewMemory()
	row := "Camera,Head office,Reception,10.1.20.11,00:40:8c:00:00:01,Axis,P3265-LVE,SN1,2022-03-01,2027-03-01,1190,"
	sum, err := transfer.Import(context.Background(), st, strings.NewReader(csvTemplate+"\n"+row+"\n"), "t.csv", transfer.Options{})
	if err != nil || sum.Imported != 1 || len(sum.Warnings) != 0 {
		t.Errorf("Import(template) = %+v, %v; want 1 device, no warnings", sum, err)
	}
}

func countDevices(t *testing.T, st Store) int {
	t.Helper()
	devs, err := st.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(devs)
}

var errNotExist = &fs.PathError{Op: "open", Path: "gone.csv", Err: fs.ErrNotExist}
