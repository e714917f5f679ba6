package firmware

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSaveFile: a catalog loaded from a file, saved where SiteKeeper keeps
// it (a folder that does not exist yet), reads back the same.
func TestSaveFile(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "catalog-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat, sum, err := Load(f, "catalog-example.json", Options{})
	if err != nil || sum.Loaded == 0 {
		t.Fatalf("Load = %+v, %v", sum, err)
	}
	path := filepath.Join(t.TempDir(), "SiteKeeper", CatalogFile)
	if err := SaveFile(path, cat); err != nil {
		t.Fatal(err)
	}
	back, _, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Len() != cat.Len() || back.Len() != sum.Loaded {
		t.Errorf("read back %d entries; want %d", back.Len(), cat.Len())
	}
	for i, e := range cat.Entries() {
		if b := back.Entries()[i]; b.Manufacturer != e.Manufacturer || b.Model != e.Model || b.Latest().String() != e.Latest().String() || b.EndOfSupport != e.EndOfSupport {
			t.Errorf("entry %d read back as %+v; want %+v", i, b, e)
		}
	}
}
