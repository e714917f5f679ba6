package transfer

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"sitekeeper/internal/inventory"
)

// FuzzImportCSV checks that Import never panics, that it either imports or
// returns an *ImportError with nothing stored, and that whatever a CSV file
// imported survives an export and a second import byte for byte.
func FuzzImportCSV(f *testing.F) {
	for _, name := range []string{"realistic.csv", "semicolon.csv", "latin1.csv"} {
		b, err := readFileForFuzz(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"name,mac\nCam,00:1a:2b:3c:4d:5e\n",
		"sep=;\nname;notes\nCam;\"a;b\"\n",
		"name,notes\n'=1+1,\"x\ny\"\n",
		"name,install_date,warranty_end\nCam,04/05/2027,2020-01-01\n",
		"name,budget_owner,replacement_cost\nCam,\"OT:60,IT:30\",\"1.250,00\"\n",
		`{"format":"sitekeeper-inventory","version":1,"devices":[{"id":"a"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		for _, skip := range []bool{false, true} {
			st := inventory.NewMemory()
			sum, err := Import(ctx, st, bytes.NewReader(data), "fuzz.csv", Options{SkipBad: skip})
			ds, derr := st.Devices(ctx)
			if derr != nil {
				t.Fatal(derr)
			}
			if err != nil {
				var ie *ImportError
				if !errors.As(err, &ie) || len(ie.Problems) == 0 {
					t.Fatalf("Import = %v; want nil or an *ImportError with problems", err)
				}
				if len(ds) != 0 {
					t.Fatalf("Import = %v, yet %d devices were stored", err, len(ds))
				}
				continue
			}
			if len(ds) != sum.Imported {
				t.Fatalf("Import reported %d devices; stored %d", sum.Imported, len(ds))
			}
			if skip || sum.Imported == 0 || isJSON(data) {
				continue
			}
			var first, second bytes.Buffer
			if err := ExportCSV(ctx, st, &first); err != nil {
				t.Fatal(err)
			}
			again := inventory.NewMemory()
			if sum2, err := Import(ctx, again, bytes.NewReader(first.Bytes()), "export.csv", Options{}); err != nil || sum2.Imported != sum.Imported {
				t.Fatalf("re-import of the export = %+v, %v; want %d devices\n%s", sum2, err, sum.Imported, first.Bytes())
			}
			if err := ExportCSV(ctx, again, &second); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatalf("export after a round trip differs:\n%q\nwant\n%q", second.Bytes(), first.Bytes())
			}
		}
	})
}

func isJSON(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte(bom)), " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}
