package credentials

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/zalando/go-keyring"
)

// How the sets sit in the credential store, under one service name:
//
//	account "index"      {"version":1,"sets":["<id>",...]}  the IDs, in the order saved
//	account "set:<id>"   {"label":..,"username":..,"password":..,"site":..,"device":..}
//
// One item per set, holding the whole set, because go-keyring can neither
// list a service's items nor store more than 2,560 bytes in one Windows
// Credential Manager item: the index says which items exist, and each set
// fits its own item whatever the number of sets. Label, user name and scope
// sit with the password rather than in the inventory file, so that nothing
// about a login (a user name helps an attacker too) is on disk outside the
// credential store, and the two can never disagree.
const (
	indexAccount = "index"
	setPrefix    = "set:"
	indexVersion = 1
	// maxItem is the largest value one item takes on every platform.
	maxItem = 2560
	// DefaultService is the service name of SiteKeeper's items.
	DefaultService = "SiteKeeper"
	// DefaultProbeTimeout bounds Open's first read of the credential store,
	// which may wait for a person to unlock it.
	DefaultProbeTimeout = 10 * time.Second
)

// Keyring is the credential store: go-keyring's Get, Set and Delete.
// A Vault calls it under its lock, one call at a time.
type Keyring interface {
	Get(service, account string) (string, error)
	Set(service, account, value string) error
	Delete(service, account string) error
}

// OSKeyring is the operating system's credential store through go-keyring
// (or go-keyring's mock after keyring.MockInit, in tests).
type OSKeyring struct{}

// Get reads an item; keyring.ErrNotFound when there is none.
func (OSKeyring) Get(service, account string) (string, error) { return keyring.Get(service, account) }

// Set writes an item, replacing one of the same account.
func (OSKeyring) Set(service, account, value string) error {
	return keyring.Set(service, account, value)
}

// Delete removes an item; keyring.ErrNotFound when there is none.
func (OSKeyring) Delete(service, account string) error { return keyring.Delete(service, account) }

// ErrCorrupt is a StoreError's cause when SiteKeeper's items in the
// credential store cannot be read as what SiteKeeper wrote.
var ErrCorrupt = errors.New("credentials: the stored logins are not in a form this version reads")

// StoreError is a credential store that refused or failed an operation.
type StoreError struct {
	Op  string // "open", "save", "remove"
	Err error  // from go-keyring or the OS; context.DeadlineExceeded when it did not answer
}

func (e *StoreError) Error() string { return "credential store " + e.Op + ": " + e.Err.Error() }

func (e *StoreError) Unwrap() error { return e.Err }

// Options configure Open.
type Options struct {
	// Service names SiteKeeper's items (DefaultService when empty).
	Service string
	// Keyring is the store; nil means OSKeyring.
	Keyring Keyring
	// ProbeTimeout bounds the first read (DefaultProbeTimeout when 0).
	ProbeTimeout time.Duration
}

// Open reads the saved sets from the credential store. It never fails:
// when the store does not answer, refuses, or holds what this version
// cannot read, the Vault keeps sets for this session only and StoreErr says
// why. A store that does not answer within ProbeTimeout or before ctx ends
// counts as absent; its call is left to finish on its own goroutine, since
// go-keyring cannot cancel it.
func Open(ctx context.Context, opt Options) *Vault {
	if opt.Service == "" {
		opt.Service = DefaultService
	}
	if opt.Keyring == nil {
		opt.Keyring = OSKeyring{}
	}
	if opt.ProbeTimeout <= 0 {
		opt.ProbeTimeout = DefaultProbeTimeout
	}
	type loaded struct {
		sets []Set
		err  error
	}
	done := make(chan loaded, 1) // buffered: a late answer must not block
	go func() {
		sets, err := load(opt.Keyring, opt.Service)
		done <- loaded{sets, err}
	}()
	ctx, cancel := context.WithTimeout(ctx, opt.ProbeTimeout)
	defer cancel()
	var r loaded
	select {
	case r = <-done:
	case <-ctx.Done():
		r.err = ctx.Err()
	}
	if r.err != nil {
		return NewSession(&StoreError{Op: "open", Err: r.err})
	}
	return &Vault{service: opt.Service, kr: opt.Keyring, sets: r.sets}
}

type storedIndex struct {
	Version int      `json:"version"`
	Sets    []string `json:"sets"`
}

type storedSet struct {
	Label    string `json:"label"`
	Username string `json:"username"`
	Password string `json:"password"`
	Site     string `json:"site,omitempty"`
	Device   string `json:"device,omitempty"`
}

// load reads the index and every set in it. A set the index names but the
// store lacks (a removal cut short) is skipped.
func load(kr Keyring, service string) ([]Set, error) {
	ids, err := readIndex(kr, service)
	if err != nil {
		return nil, err
	}
	var out []Set
	for _, id := range ids {
		v, err := kr.Get(service, setPrefix+id)
		if errors.Is(err, keyring.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var s storedSet
		if err := json.Unmarshal([]byte(v), &s); err != nil || s.Username == "" {
			return nil, fmt.Errorf("set %s: %w", id, ErrCorrupt)
		}
		out = append(out, Set{ID: id, Label: s.Label, Username: s.Username, Password: Secret(s.Password),
			Scope: Scope{Site: s.Site, Device: s.Device}})
	}
	return out, nil
}

// readIndex returns the IDs the index lists; none when there is no index.
func readIndex(kr Keyring, service string) ([]string, error) {
	v, err := kr.Get(service, indexAccount)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ix storedIndex
	if err := json.Unmarshal([]byte(v), &ix); err != nil || ix.Version != indexVersion {
		return nil, fmt.Errorf("index: %w", ErrCorrupt)
	}
	return ix.Sets, nil
}

func writeIndex(kr Keyring, service string, ids []string) error {
	b, err := encode(storedIndex{Version: indexVersion, Sets: ids})
	if err != nil {
		return err
	}
	if len(b) > maxItem {
		return &FieldError{Field: "sets", Reason: "are too many to list in the credential store"}
	}
	return kr.Set(service, indexAccount, string(b))
}

// storeAdd writes the set's item, then the index with its ID added. The
// index is read again first, so that sets another SiteKeeper saved in the
// meantime stay listed. If the index cannot be written, the item goes too.
func (v *Vault) storeAdd(s Set) error {
	b, err := encode(storedSet{Label: s.Label, Username: s.Username, Password: string(s.Password),
		Site: s.Scope.Site, Device: s.Scope.Device})
	if err != nil {
		return err
	}
	if len(b) > maxItem {
		return &FieldError{Field: "set", Reason: "is too long to keep in the credential store"}
	}
	if err := v.kr.Set(v.service, setPrefix+s.ID, string(b)); err != nil {
		return &StoreError{Op: "save", Err: err}
	}
	ids, err := readIndex(v.kr, v.service)
	if err == nil {
		err = writeIndex(v.kr, v.service, append(ids, s.ID))
	}
	if err != nil {
		_ = v.kr.Delete(v.service, setPrefix+s.ID) // best effort: unlisted, it would never be read
		var fe *FieldError
		if errors.As(err, &fe) {
			return err
		}
		return &StoreError{Op: "save", Err: err}
	}
	return nil
}

// storeRemove deletes the set's item first, so that its password is gone
// even if the index cannot be written (load skips listed IDs it cannot
// find), then the ID from the index.
func (v *Vault) storeRemove(id string) error {
	if err := v.kr.Delete(v.service, setPrefix+id); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return &StoreError{Op: "remove", Err: err}
	}
	ids, err := readIndex(v.kr, v.service)
	if err == nil {
		err = writeIndex(v.kr, v.service, slices.DeleteFunc(ids, func(s string) bool { return s == id }))
	}
	if err != nil {
		return &StoreError{Op: "remove", Err: err}
	}
	return nil
}

// encode is JSON without HTML escaping, which would make a password with
// < > & six times longer.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
