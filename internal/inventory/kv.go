package inventory

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"sync"
)

// kvTx is the little a Store needs from a transactional key-value engine:
// bbolt on disk (bolt.go) or a map in memory (Memory). Values handed to
// callbacks are valid only during the callback; get returns a copy.
type kvTx interface {
	get(bucket, key []byte) []byte
	put(bucket, key, value []byte) error
	del(bucket, key []byte) error
	// scan calls fn for each key with the prefix, in key order, until fn
	// returns an error.
	scan(bucket, prefix []byte, fn func(k, v []byte) error) error
	// scanBack calls fn for every key of the bucket, last key first,
	// until fn returns an error.
	scanBack(bucket []byte, fn func(k, v []byte) error) error
	nextSequence(bucket []byte) (uint64, error)
	createBucket(bucket []byte) error
}

// kvEngine runs transactions. update runs fn in one atomic write
// transaction: if fn returns an error, nothing of it is kept.
type kvEngine interface {
	view(ctx context.Context, fn func(kvTx) error) error
	update(ctx context.Context, fn func(kvTx) error) error
	close() error
}

// Memory is a Store that keeps everything in memory and loses it on exit: for
// tests, and for scans that should not be saved. It passes the same
// conformance suite as the bbolt store.
type Memory struct{ *engine }

// NewMemory returns an empty in-memory Store with the current schema.
func NewMemory() *Memory {
	m := &memKV{buckets: map[string]*memBucket{}}
	for _, b := range allBuckets {
		m.buckets[string(b)] = &memBucket{data: map[string][]byte{}}
	}
	return &Memory{newEngine(m)}
}

type memBucket struct {
	data map[string][]byte
	seq  uint64
}

type memKV struct {
	mu      sync.RWMutex
	buckets map[string]*memBucket
}

func (m *memKV) view(ctx context.Context, fn func(kvTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return fn(&memTx{kv: m, buckets: m.buckets})
}

// update works on copy-on-write buckets and swaps them in only when fn
// succeeds, so a failed transaction leaves nothing behind.
func (m *memKV) update(ctx context.Context, fn func(kvTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	tx := &memTx{kv: m, buckets: maps.Clone(m.buckets), writable: true, copied: map[string]bool{}}
	if err := fn(tx); err != nil {
		return err
	}
	m.buckets = tx.buckets
	return nil
}

func (m *memKV) close() error { return nil }

type memTx struct {
	kv       *memKV
	buckets  map[string]*memBucket
	writable bool
	copied   map[string]bool
}

func (t *memTx) bucket(name []byte, write bool) (*memBucket, error) {
	b, ok := t.buckets[string(name)]
	if !ok {
		return nil, ErrCorrupt
	}
	if write && !t.copied[string(name)] {
		b = &memBucket{data: maps.Clone(b.data), seq: b.seq}
		t.buckets[string(name)] = b
		t.copied[string(name)] = true
	}
	return b, nil
}

func (t *memTx) get(bucket, key []byte) []byte {
	b, err := t.bucket(bucket, false)
	if err != nil {
		return nil
	}
	return bytes.Clone(b.data[string(key)])
}

func (t *memTx) put(bucket, key, value []byte) error {
	b, err := t.bucket(bucket, true)
	if err != nil {
		return err
	}
	b.data[string(key)] = bytes.Clone(value)
	return nil
}

func (t *memTx) del(bucket, key []byte) error {
	b, err := t.bucket(bucket, true)
	if err != nil {
		return err
	}
	delete(b.data, string(key))
	return nil
}

func (t *memTx) scan(bucket, prefix []byte, fn func(k, v []byte) error) error {
	b, err := t.bucket(bucket, false)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(b.data))
	for k := range b.data {
		if bytes.HasPrefix([]byte(k), prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := fn([]byte(k), b.data[k]); err != nil {
			return err
		}
	}
	return nil
}

func (t *memTx) scanBack(bucket []byte, fn func(k, v []byte) error) error {
	b, err := t.bucket(bucket, false)
	if err != nil {
		return err
	}
	keys := slices.Collect(maps.Keys(b.data))
	slices.Sort(keys)
	for _, k := range slices.Backward(keys) {
		if err := fn([]byte(k), b.data[k]); err != nil {
			return err
		}
	}
	return nil
}

func (t *memTx) nextSequence(bucket []byte) (uint64, error) {
	b, err := t.bucket(bucket, true)
	if err != nil {
		return 0, err
	}
	b.seq++
	return b.seq, nil
}

func (t *memTx) createBucket(name []byte) error {
	if _, ok := t.buckets[string(name)]; !ok {
		t.buckets[string(name)] = &memBucket{data: map[string][]byte{}}
		t.copied[string(name)] = true
	}
	return nil
}
