package transfer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"sitekeeper/internal/inventory"
)

// stores are the two Store implementations every round trip runs on.
var stores = []struct {
	name string
	open func(t *testing.T) inventory.Store
}{
	{"memory", func(*testing.T) inventory.Store { return inventory.NewMemory() }},
	{"bbolt", func(t *testing.T) inventory.Store {
		db, err := inventory.Open(filepath.Join(t.TempDir(), "x.db"))
		if err != nil {
			t.Fatalf("inventory.Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}},
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func importBytes(t *testing.T, st inventory.Store, name string, data []byte, opt Options) (Summary, error) {
	t.Helper()
	return Import(context.Background(), st, bytes.NewReader(data), name, opt)
}

// mustImport imports data and fails the test on any error.
func mustImport(t *testing.T, st inventory.Store, name string, data []byte) Summary {
	t.Helper()
	sum, err := importBytes(t, st, name, data, Options{})
	if err != nil {
		t.Fatalf("Import(%s) = %v; want no error", name, err)
	}
	return sum
}

func exportCSV(t *testing.T, st inventory.Store) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := ExportCSV(context.Background(), st, &b); err != nil {
		t.Fatalf("ExportCSV: %v", err)
	}
	return b.Bytes()
}

func exportJSON(t *testing.T, st inventory.Store) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := ExportJSON(context.Background(), st, &b); err != nil {
		t.Fatalf("ExportJSON: %v", err)
	}
	return b.Bytes()
}

func devices(t *testing.T, st inventory.Store) []inventory.Device {
	t.Helper()
	ds, err := st.Devices(context.Background())
	if err != nil {
		t.Fatalf("Devices: %v", err)
	}
	return ds
}

func byName(ds []inventory.Device) map[string]inventory.Device {
	m := map[string]inventory.Device{}
	for _, d := range ds {
		m[d.Known.Name] = d
	}
	return m
}

func readFileForFuzz(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", name))
}
