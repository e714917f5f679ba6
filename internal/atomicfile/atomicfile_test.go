package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "catalog.json")
	if err := Write(name, func(w io.Writer) error { _, err := io.WriteString(w, "first"); return err }); err != nil {
		t.Fatal(err)
	}
	// A fill that fails leaves the old file as it was, and no temporary file.
	boom := errors.New("disk full")
	if err := Write(name, func(w io.Writer) error { _, _ = io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("Write(failing) = %v; want %v", err, boom)
	}
	if b, err := os.ReadFile(name); err != nil || string(b) != "first" {
		t.Errorf("after a failed write the file holds %q, %v; want the first content", b, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the folder; want only the catalog (no temporary left)", len(ents))
	}
	if fi, err := os.Stat(name); err != nil || fi.Mode().Perm()&0o044 != 0o044 {
		t.Errorf("mode %v, %v; want readable by others", fi.Mode(), err)
	}
}
