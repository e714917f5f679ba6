package firmware

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"sitekeeper/internal/atomicfile"
	"sitekeeper/internal/inventory"
)

// CatalogFile is the firmware catalog's name in SiteKeeper's folder: vendor
// data, the same for every inventory, that a person loads or edits.
const CatalogFile = "firmware-catalog.json"

// CatalogPath is where the catalog is kept (inventory.ConfigDir).
func CatalogPath() (string, error) {
	dir, err := inventory.ConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, CatalogFile), nil
}

// LoadFile reads the catalog at path; without a file there is no catalog,
// and firmware is judged against the fleet alone (Default, no error).
func LoadFile(path string) (*Catalog, Summary, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), Summary{}, nil
	}
	if err != nil {
		return nil, Summary{}, err
	}
	defer f.Close()
	return Load(f, path, Options{})
}

// SaveFile writes c to path as JSON, whole or not at all, creating the
// folder if needed: the catalog a person loaded replaces the one kept.
func SaveFile(path string, c *Catalog) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error { return WriteJSON(w, c) })
}
