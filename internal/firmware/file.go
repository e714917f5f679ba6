package firmware

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

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
