package inventory_test

import (
	"path/filepath"
	"testing"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/inventory/storetest"
)

func TestMemoryConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) inventory.Store { return inventory.NewMemory() })
}

func TestBoltConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) inventory.Store {
		db, err := inventory.Open(filepath.Join(t.TempDir(), "inventory.db"))
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}
