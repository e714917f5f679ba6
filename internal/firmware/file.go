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

// LoadKept reads the catalog kept in SiteKeeper's folder (CatalogPath),
// and where it is. Without a folder or a file there is no catalog
// (Default, no error); a file that cannot be read gives Default and the
// error, so that firmware is still judged against the fleet.
func LoadKept() (cat *Catalog, sum Summary, path string, err error) {
	path, err = CatalogPath()
	if err != nil {
		return Default(), Summary{}, "", nil // no settings folder: judge against the fleet alone
	}
	cat, sum, err = LoadFile(path)
	if err != nil {
		return Default(), Summary{}, path, err
	}
	return cat, sum, path, nil
}
