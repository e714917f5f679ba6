package inventory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func tempDB(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "inventory.db")
}

func openT(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestReopenKeepsEverything(t *testing.T) {
	path := tempDB(t)
	db := openT(t, path)
	ctx := context.Background()
	d, err := db.Create(ctx, Device{Known: Known{Name: "Gate", MAC: "00:11:22:33:44:55"}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openT(t, path)
	defer db.Close()
	got, err := db.Device(ctx, d.ID)
	if err != nil || got.Known.Name != "Gate" {
		t.Fatalf("Device after reopen = %+v, %v; want Gate", got, err)
	}
	if db.Backup != "" {
		t.Errorf("reopening a current file made a backup %s", db.Backup)
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	path := tempDB(t)
	db := openT(t, path)
	defer db.Close()
	start := time.Now()
	_, err := openWith(path, 200*time.Millisecond, migrations)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open error = %v; want ErrLocked", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("second Open took %v; want it to give up near its timeout", el)
	}
	var pe *PathError
	if !errors.As(err, &pe) || pe.Path != path {
		t.Errorf("error %v does not name the file", err)
	}
}

func fileSum(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDamagedFiles(t *testing.T) {
	valid := func(t *testing.T) []byte {
		path := tempDB(t)
		db := openT(t, path)
		for i := range 50 {
			if _, err := db.Create(context.Background(), Device{Known: Known{Name: fmt.Sprintf("d%d", i), Notes: string(bytes.Repeat([]byte("n"), 500))}}); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		return fileSum(t, path)
	}
	tests := []struct {
		name    string
		content func(t *testing.T) []byte
	}{
		{"text file", func(*testing.T) []byte { return []byte("name,site\nGate,HQ\n") }},
		{"zeros", func(*testing.T) []byte { return make([]byte, 64<<10) }},
		{"truncated inventory", func(t *testing.T) []byte { return valid(t)[:5000] }},
		{"both meta pages scribbled", func(t *testing.T) []byte {
			b := valid(t)
			for i := 16; i < 64; i++ {
				b[i] ^= 0xff
				b[4096+i] ^= 0xff
			}
			return b
		}},
		{"data pages scribbled", func(t *testing.T) []byte {
			b := valid(t)
			for i := 2 * 4096; i < len(b); i += 7 {
				b[i] ^= 0x5a
			}
			return b
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tempDB(t)
			content := tc.content(t)
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := Open(path)
			if err == nil {
				// Some damage only shows when the data is read.
				_, err = db.Devices(context.Background())
				db.Close()
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open/Devices of a damaged file: %v; want ErrCorrupt", err)
			}
			var pe *PathError
			if !errors.As(err, &pe) || pe.Path != path {
				t.Errorf("error %v does not name the file", err)
			}
			if got := fileSum(t, path); !bytes.Equal(got, content) && tc.name != "data pages scribbled" {
				t.Errorf("the damaged file was changed")
			}
		})
	}
}

func TestForeignBoltFileIsRefused(t *testing.T) {
	path := tempDB(t)
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("someone_elses"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	}); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before := fileSum(t, path)
	if _, err := Open(path); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open(foreign bolt file) = %v; want ErrCorrupt", err)
	}
	if !bytes.Equal(before, fileSum(t, path)) {
		t.Error("a foreign file was changed")
	}
}

func setVersion(t *testing.T, path string, v int) {
	t.Helper()
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte(strconv.Itoa(v)))
	}); err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaIsRefusedUntouched(t *testing.T) {
	path := tempDB(t)
	openT(t, path).Close()
	setVersion(t, path, SchemaVersion+1)
	before := fileSum(t, path)
	st, _ := os.Stat(path)
	_, err := Open(path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open(newer) = %v; want ErrNewerSchema", err)
	}
	after, _ := os.Stat(path)
	if !bytes.Equal(before, fileSum(t, path)) || !after.ModTime().Equal(st.ModTime()) {
		t.Error("a newer file was changed")
	}
}

func TestMigrationCopiesFirstAndIsAtomic(t *testing.T) {
	path := tempDB(t)
	db := openT(t, path)
	d, err := db.Create(context.Background(), Device{Known: Known{Name: "Gate"}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileSum(t, path)

	failing := append(migrations[:len(migrations):len(migrations)], migration{to: SchemaVersion + 1, about: "break", run: func(tx kvTx) error {
		if err := tx.put(bucketDevices, []byte(d.ID), []byte(`{"id":"half-done"}`)); err != nil {
			return err
		}
		return errors.New("disk on fire")
	}})
	if _, err := openWith(path, time.Second, failing); err == nil {
		t.Fatal("a failing migration reported success")
	}
	db = openT(t, path)
	got, err := db.Device(context.Background(), d.ID)
	db.Close()
	if err != nil || got.Known.Name != "Gate" {
		t.Fatalf("after a failed migration: %+v, %v; want the device unchanged", got, err)
	}

	working := append(migrations[:len(migrations):len(migrations)], migration{to: SchemaVersion + 1, about: "add a bucket", run: func(tx kvTx) error {
		return tx.createBucket([]byte("v2_extra"))
	}})
	db2, err := openWith(path, time.Second, working)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if db2.Backup == "" {
		t.Fatal("migration made no backup")
	}
	backup := fileSum(t, db2.Backup)
	// The copy is a consistent bbolt file holding the current version's data.
	old, err := bolt.Open(db2.Backup, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("backup does not open: %v (%d bytes, original %d)", err, len(backup), len(before))
	}
	defer old.Close()
	_ = old.View(func(tx *bolt.Tx) error {
		if v, want := string(tx.Bucket(bucketMeta).Get(keySchemaVersion)), strconv.Itoa(SchemaVersion); v != want {
			t.Errorf("backup schema version = %q; want %s", v, want)
		}
		if tx.Bucket(bucketDevices).Get([]byte(d.ID)) == nil {
			t.Error("backup lacks the device")
		}
		return nil
	})
	var v int
	_ = db2.kv.view(context.Background(), func(tx kvTx) error { v, err = readVersion(tx); return err })
	if v != SchemaVersion+1 {
		t.Errorf("version after migration = %d; want %d", v, SchemaVersion+1)
	}
}

// TestUpgradeFromVersion1 builds a file the way SchemaVersion 1 wrote it
// (its migrations only), with a device and its history, and opens it with
// this build: a copy is taken, the health buckets are added, and the old
// data and the new methods work.
func TestUpgradeFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := tempDB(t)
	v1, err := openWith(path, time.Second, migrations[:1])
	if err != nil {
		t.Fatal(err)
	}
	d, err := v1.Create(ctx, Device{Known: Known{Name: "Gate", Class: ClassCamera, Site: "HQ"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := v1.RecordStatus(ctx, []StatusChange{{DeviceID: d.ID, At: time.Now(), To: HealthOnline}}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("RecordStatus on a version-1 file: %v; want ErrCorrupt (no health buckets)", err)
	}
	v1.Close()

	db := openT(t, path)
	t.Cleanup(func() { db.Close() })
	if db.Backup == "" {
		t.Fatal("the upgrade made no backup")
	}
	old, err := bolt.Open(db.Backup, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = old.View(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != "1" {
			t.Errorf("backup schema version = %q; want 1", v)
		}
		if tx.Bucket(bucketOutages) != nil {
			t.Error("the backup has the version-2 outages bucket")
		}
		return nil
	})
	old.Close()
	var v int
	_ = db.kv.view(ctx, func(tx kvTx) error { v, err = readVersion(tx); return err })
	if v != SchemaVersion {
		t.Errorf("version after upgrade = %d; want %d", v, SchemaVersion)
	}
	if evs, err := db.Events(ctx, d.ID); err != nil || len(evs) != 1 {
		t.Errorf("Events() after upgrade = %v, %v; want the added event", evs, err)
	}
	down := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	if err := db.RecordStatus(ctx, []StatusChange{{DeviceID: d.ID, At: down, To: HealthOffline, Cause: "no answer"}}); err != nil {
		t.Fatal(err)
	}
	gaps, err := db.Gaps(ctx, "hq", down.Add(-time.Hour), down.Add(time.Hour))
	if err != nil || len(gaps) != 1 || !gaps[0].Start.Equal(down) || !gaps[0].End.Equal(down.Add(time.Hour)) {
		t.Errorf("Gaps() after upgrade = %+v, %v; want the outage from %v, clipped", gaps, err, down)
	}
	db.Close()
	db = openT(t, path)
	if db.Backup != "" {
		t.Errorf("reopening the upgraded file made another backup %s", db.Backup)
	}
}

// TestUpgradeFromVersion2 builds a file the way SchemaVersion 2 wrote it,
// with a device and its health history, and opens it with this build: a
// copy is taken, the alerts bucket is added, and the old data stays.
func TestUpgradeFromVersion2(t *testing.T) {
	ctx := context.Background()
	path := tempDB(t)
	v2, err := openWith(path, time.Second, migrations[:2])
	if err != nil {
		t.Fatal(err)
	}
	d, err := v2.Create(ctx, Device{Known: Known{Name: "Gate", Class: ClassCamera, Site: "HQ"}})
	if err != nil {
		t.Fatal(err)
	}
	down := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	if err := v2.RecordStatus(ctx, []StatusChange{{DeviceID: d.ID, At: down, To: HealthOffline, Cause: "no answer"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := v2.AddAlerts(ctx, []Alert{{Kind: "offline", At: down, DeviceID: d.ID, Message: "Gate stopped answering"}}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("AddAlerts on a version-2 file: %v; want ErrCorrupt (no alerts bucket)", err)
	}
	if _, err := v2.Alerts(ctx, 0); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Alerts on a version-2 file: %v; want ErrCorrupt (no alerts bucket)", err)
	}
	v2.Close()

	db := openT(t, path)
	t.Cleanup(func() { db.Close() })
	if db.Backup == "" {
		t.Fatal("the upgrade made no backup")
	}
	old, err := bolt.Open(db.Backup, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = old.View(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != "2" {
			t.Errorf("backup schema version = %q; want 2", v)
		}
		if tx.Bucket(bucketAlerts) != nil {
			t.Error("the backup has the version-3 alerts bucket")
		}
		if tx.Bucket(bucketOutages).Stats().KeyN != 1 {
			t.Error("the backup lacks the outage")
		}
		return nil
	})
	old.Close()
	var v int
	_ = db.kv.view(ctx, func(tx kvTx) error { v, err = readVersion(tx); return err })
	if v != 3 || SchemaVersion != 3 {
		t.Errorf("version after upgrade = %d (SchemaVersion %d); want 3", v, SchemaVersion)
	}
	if evs, err := db.Events(ctx, d.ID); err != nil || len(evs) != 2 {
		t.Errorf("Events() after upgrade = %v, %v; want added and offline", evs, err)
	}
	if st, err := db.Statuses(ctx); err != nil || st[d.ID].Health != HealthOffline {
		t.Errorf("Statuses() after upgrade = %v, %v; want the device offline", st, err)
	}
	added, err := db.AddAlerts(ctx, []Alert{{Kind: "offline", At: down, DeviceID: d.ID, Message: "Gate stopped answering"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.Alerts(ctx, 0); err != nil || len(got) != 1 || got[0].ID != added[0].ID {
		t.Errorf("Alerts() after upgrade = %+v, %v; want the one added", got, err)
	}
	db.Close()
	db = openT(t, path)
	if db.Backup != "" {
		t.Errorf("reopening the upgraded file made another backup %s", db.Backup)
	}
	if n, err := db.UnacknowledgedAlerts(ctx); err != nil || n != 1 {
		t.Errorf("UnacknowledgedAlerts() after reopening = %d, %v; want 1", n, err)
	}
}
