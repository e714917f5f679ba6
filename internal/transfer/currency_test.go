package transfer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"sitekeeper/internal/inventory"
)

func TestImportCSVRefusesOtherCurrency(t *testing.T) {
	st := inventory.NewMemory()
	if err := st.PutSettings(t.Context(), inventory.Settings{Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	_, err := Import(t.Context(), st, strings.NewReader("name,replacement_cost\nA,€ 450\nB,450 USD\nC,$99\n"), "x.csv", Options{})
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 2 || ie.Problems[0].Line != 3 || !strings.Contains(ie.Problems[0].Message, "another currency") {
		t.Fatalf("Import(costs in USD into a EUR inventory) = %v; want lines 3 and 4 refused as another currency", err)
	}
}

// TestImportJSONKeepsThePersonsSettings: a JSON export brings its settings
// into an empty inventory only; into one with devices it never changes the
// currency under existing costs, and a Stop keeps nothing.
func TestImportJSONKeepsThePersonsSettings(t *testing.T) {
	ctx := t.Context()
	src := inventory.NewMemory()
	if err := src.PutSettings(ctx, inventory.Settings{Organisation: "Zurich site", Currency: "CHF"}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Create(ctx, inventory.Device{Known: inventory.Known{Name: "Gate", ReplacementCost: 45000}}); err != nil {
		t.Fatal(err)
	}
	var export strings.Builder
	if err := ExportJSON(ctx, src, &export); err != nil {
		t.Fatal(err)
	}

	empty := inventory.NewMemory()
	if _, err := Import(ctx, empty, strings.NewReader(export.String()), "x.json", Options{}); err != nil {
		t.Fatal(err)
	}
	if s, _ := empty.Settings(ctx); s.Currency != "CHF" || s.Organisation != "Zurich site" {
		t.Errorf("settings after import into an empty inventory = %+v; want the file's", s)
	}

	busy := inventory.NewMemory()
	if _, err := busy.Create(ctx, inventory.Device{Known: inventory.Known{Name: "Mine", ReplacementCost: 9900}}); err != nil {
		t.Fatal(err)
	}
	_, err := Import(ctx, busy, strings.NewReader(export.String()), "x.json", Options{})
	var ie *ImportError
	if !errors.As(err, &ie) || !strings.Contains(ie.Problems[0].Message, "counts money in CHF") {
		t.Fatalf("Import(CHF export into a EUR inventory with costs) = %v; want it refused", err)
	}
	if ds, _ := busy.Devices(ctx); len(ds) != 1 {
		t.Errorf("a refused import left %d devices; want 1", len(ds))
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	fresh := inventory.NewMemory()
	if _, err := Import(cctx, fresh, strings.NewReader(export.String()), "x.json", Options{}); err == nil {
		t.Error("a cancelled import succeeded")
	}
	if ds, _ := fresh.Devices(ctx); len(ds) != 0 {
		t.Errorf("a cancelled import kept %d devices", len(ds))
	}
}
