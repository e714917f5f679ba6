package inventory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// DB is the inventory in one bbolt file.
type DB struct {
	*engine
	path string
	// Backup is the copy taken before this open migrated the file, or "".
	Backup string
}

// LockTimeout is how long Open waits for another process to let go of the
// file before it gives up with ErrLocked.
const LockTimeout = 2 * time.Second

// FileName is the inventory's file name in the default location.
const FileName = "inventory.db"

// DefaultPath is where the inventory lives unless --db says otherwise: the
// user's config directory (%AppData% on Windows, ~/.config on Linux,
// ~/Library/Application Support on macOS).
func DefaultPath() (string, error) {
	dir, err := ConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, FileName), nil
}

// ConfigDir is SiteKeeper's folder in the user's config directory, where
// the default inventory and the firmware catalog live.
func ConfigDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user's config directory: %w", err)
	}
	return filepath.Join(dir, "SiteKeeper"), nil
}

// PathError is an inventory error with the file it concerns, in the manner
// of fs.PathError.
type PathError struct {
	Op   string
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

// Open opens (or creates) the inventory at path, migrates it to
// SchemaVersion, first copying the file aside if it holds data, and returns
// ErrLocked if another process holds it for longer than LockTimeout,
// ErrCorrupt if it is not a readable inventory, and ErrNewerSchema, leaving
// the file untouched, if a newer SiteKeeper wrote it.
func Open(path string) (*DB, error) {
	return openWith(path, LockTimeout, migrations)
}

func openWith(path string, timeout time.Duration, migs []migration) (db *DB, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, &PathError{"open", path, err}
	}
	// Check the version read-only first, so that a newer file is never
	// opened for writing (bbolt may touch a read-write file on open).
	if fi, statErr := os.Stat(path); statErr == nil && fi.Size() > 0 {
		v, err := peekVersion(path, timeout)
		if err != nil {
			return nil, &PathError{"open", path, err}
		}
		if v > SchemaVersion {
			return nil, &PathError{"open", path, fmt.Errorf("%w (file version %d, this SiteKeeper reads up to %d)", ErrNewerSchema, v, SchemaVersion)}
		}
	}
	bdb, err := openBolt(path, timeout, false)
	if err != nil {
		return nil, &PathError{"open", path, err}
	}
	kv := &boltKV{db: bdb, path: path}
	defer func() {
		if err != nil {
			_ = bdb.Close()
		}
	}()
	backup, err := migrate(kv, path, migs)
	if err != nil {
		return nil, &PathError{"migrate", path, err}
	}
	return &DB{engine: newEngine(kv), path: path, Backup: backup}, nil
}

// Path is the file the inventory lives in.
func (db *DB) Path() string { return db.path }

func openBolt(path string, timeout time.Duration, readOnly bool) (db *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		// bbolt panics on some kinds of damage; a damaged file is an
		// error a person can act on, not a crash.
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w (%v)", ErrCorrupt, r)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: readOnly})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, ErrLocked
	}
	// Errors from the operating system (permissions, a missing folder, a
	// full disk) are the file system's; everything else bbolt says about
	// an existing file ("invalid database", "file size too small",
	// checksum and version mismatches) means the content is not ours.
	var pathErr *fs.PathError
	var errno syscall.Errno
	if errors.As(err, &pathErr) || errors.As(err, &errno) {
		return nil, err
	}
	return nil, fmt.Errorf("%w (%v)", ErrCorrupt, err)
}

// peekVersion reads the schema version of an existing file without writing.
func peekVersion(path string, timeout time.Duration) (int, error) {
	db, err := openBolt(path, timeout, true)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	kv := &boltKV{db: db, path: path}
	var v int
	err = kv.view(context.Background(), func(tx kvTx) error {
		v, err = readVersion(tx)
		return err
	})
	return v, err
}

func readVersion(tx kvTx) (int, error) {
	raw := tx.get(bucketMeta, keySchemaVersion)
	if raw == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("%w (schema version %q)", ErrCorrupt, raw)
	}
	return v, nil
}

// migrate brings the file to the newest version in migs, in one
// transaction, after copying a file that already held data to
// "<path>.v<old>-<time>.bak". It returns the copy's path, or "".
func migrate(kv *boltKV, path string, migs []migration) (string, error) {
	var from int
	if err := kv.view(context.Background(), func(tx kvTx) error {
		var err error
		from, err = readVersion(tx)
		return err
	}); err != nil {
		return "", err
	}
	target := migs[len(migs)-1].to
	if from >= target {
		return "", nil
	}
	if from == 0 {
		// No version: a new file, or some other program's bbolt file,
		// which must not be written into.
		foreign := false
		if err := kv.db.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func([]byte, *bolt.Bucket) error { foreign = true; return nil })
		}); err != nil {
			return "", err
		}
		if foreign {
			return "", fmt.Errorf("%w (it holds data but no SiteKeeper schema version)", ErrCorrupt)
		}
	}
	backup := ""
	if from > 0 {
		backup = fmt.Sprintf("%s.v%d-%s.bak", path, from, time.Now().UTC().Format("20060102T150405Z"))
		if err := kv.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(backup, 0o600) }); err != nil {
			return "", fmt.Errorf("copy the inventory before upgrading it: %w", err)
		}
	}
	err := kv.update(context.Background(), func(tx kvTx) error {
		for _, m := range migs {
			if m.to <= from {
				continue
			}
			if err := m.run(tx); err != nil {
				return fmt.Errorf("upgrade to version %d (%s): %w", m.to, m.about, err)
			}
		}
		if err := tx.createBucket(bucketMeta); err != nil {
			return err
		}
		return tx.put(bucketMeta, keySchemaVersion, []byte(strconv.Itoa(target)))
	})
	return backup, err
}

// boltKV adapts bbolt to kvTx.
type boltKV struct {
	db   *bolt.DB
	path string // for errors: damage found while reading names the file
}

func (b *boltKV) view(ctx context.Context, fn func(kvTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.named("read", guard(func() error { return b.db.View(func(tx *bolt.Tx) error { return fn(boltTx{tx}) }) }))
}

func (b *boltKV) update(ctx context.Context, fn func(kvTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.named("write", guard(func() error { return b.db.Update(func(tx *bolt.Tx) error { return fn(boltTx{tx}) }) }))
}

// named puts the file's name on damage, which a person must be able to find.
func (b *boltKV) named(op string, err error) error {
	var pe *PathError
	if b.path != "" && errors.Is(err, ErrCorrupt) && !errors.As(err, &pe) {
		return &PathError{Op: op, Path: b.path, Err: err}
	}
	return err
}

func (b *boltKV) close() error { return b.db.Close() }

// guard turns a bbolt panic on a damaged page into ErrCorrupt. A page
// number pointing outside the mapped file faults rather than panics, so
// faults are turned into panics for the duration.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w (%v)", ErrCorrupt, r)
		}
	}()
	return fn()
}

type boltTx struct{ tx *bolt.Tx }

func (t boltTx) bucket(name []byte) (*bolt.Bucket, error) {
	b := t.tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("%w (bucket %s is missing)", ErrCorrupt, name)
	}
	return b, nil
}

func (t boltTx) get(bucket, key []byte) []byte {
	b := t.tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	return bytes.Clone(b.Get(key))
}

func (t boltTx) put(bucket, key, value []byte) error {
	b, err := t.bucket(bucket)
	if err != nil {
		return err
	}
	return b.Put(key, value)
}

func (t boltTx) del(bucket, key []byte) error {
	b, err := t.bucket(bucket)
	if err != nil {
		return err
	}
	return b.Delete(key)
}

func (t boltTx) scan(bucket, prefix []byte, fn func(k, v []byte) error) error {
	b, err := t.bucket(bucket)
	if err != nil {
		return err
	}
	c := b.Cursor()
	k, v := c.First()
	if len(prefix) > 0 {
		k, v = c.Seek(prefix)
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (t boltTx) scanBack(bucket []byte, fn func(k, v []byte) error) error {
	b, err := t.bucket(bucket)
	if err != nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (t boltTx) nextSequence(bucket []byte) (uint64, error) {
	b, err := t.bucket(bucket)
	if err != nil {
		return 0, err
	}
	return b.NextSequence()
}

func (t boltTx) createBucket(name []byte) error {
	_, err := t.tx.CreateBucketIfNotExists(name)
	return err
}
