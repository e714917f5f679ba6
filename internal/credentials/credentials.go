// Package credentials keeps the logins (user name and password) that a scan
// tries on devices that refuse to say what they are anonymously. A person
// saves them once, for every site, one site or one device; they live in the
// operating system's credential store (Windows Credential Manager, the macOS
// Keychain, Secret Service on Linux) through github.com/zalando/go-keyring,
// and never in the inventory file or any other file. Where no credential
// store answers, a Vault keeps them in memory for the session only and says
// why (Persistent, StoreErr).
package credentials

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Limits of one set, so that a set always fits in one credential store
// item: Windows Credential Manager refuses more than 2,560 bytes, the macOS
// Keychain about 3,000 for service, account and password together.
const (
	MaxLabel    = 80  // characters
	MaxUsername = 128 // bytes
	MaxPassword = 256 // bytes
	// MaxSets is how many sets a Vault holds: the index item listing their
	// IDs must fit in one Credential Manager item too.
	MaxSets = 128
)

// Secret is a password. It prints as "******" with every fmt verb and
// marshals to JSON as "", so that a log line, an error or a JSON dump of a
// Set can never show it; string(s) is the password.
type Secret string

// String returns a mask, never the password.
func (Secret) String() string { return "******" }

// GoString returns a mask, never the password.
func (Secret) GoString() string { return `"******"` }

// MarshalJSON writes "", never the password.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`""`), nil }

// Scope is where a set is tried: on one device when Device is set (an
// inventory device ID), else on the devices of one site when Site is set,
// else everywhere.
type Scope struct {
	Site   string `json:"site,omitempty"`
	Device string `json:"device,omitempty"`
}

// AllSites reports whether the set is tried on every device.
func (s Scope) AllSites() bool { return s.Site == "" && s.Device == "" }

// Set is one saved login.
type Set struct {
	// ID is the Vault's name for the set, given by Add.
	ID string
	// Label is what a person calls it: "Front gate cameras".
	Label    string
	Username string
	Password Secret
	Scope    Scope
}

// FieldError is a set that cannot be saved as it is.
type FieldError struct {
	Field  string // "label", "username", "password", "sets"
	Reason string // plain words: "is empty", "is longer than 256 bytes"
}

func (e *FieldError) Error() string { return "credentials: " + e.Field + " " + e.Reason }

// ErrNotFound is the error of Remove for an ID that the Vault does not hold.
var ErrNotFound = errors.New("credentials: no such set")

// Vault holds the saved sets: in the OS credential store when one answered
// Open's probe, else in memory until the program ends. Its methods are safe
// for concurrent use; Add and Remove talk to the credential store, which
// may ask the person to unlock it, so call them off the UI goroutine.
type Vault struct {
	service string
	kr      Keyring // nil: session only
	// storeErr is why the vault is session only; nil when persistent.
	storeErr error

	mu   sync.Mutex
	sets []Set // in the order saved
	// secrets are SaveSecret's, when the vault is session only.
	secrets map[string]Secret
}

// NewSession returns a Vault that keeps sets in memory only, because of why
// (returned by StoreErr; it may be nil for "by choice", as in tests).
func NewSession(why error) *Vault {
	if why == nil {
		why = ErrSessionOnly
	}
	return &Vault{storeErr: why}
}

// ErrSessionOnly is StoreErr of a Vault made session-only on purpose.
var ErrSessionOnly = errors.New("credentials: kept for this session only")

// Persistent reports whether saved sets outlive the program (they are in
// the OS credential store).
func (v *Vault) Persistent() bool { return v.kr != nil }

// StoreErr is why the Vault keeps sets for this session only: a
// *StoreError from the credential store probe, or ErrSessionOnly; nil when
// Persistent. The words a person reads about it are written by the caller.
func (v *Vault) StoreErr() error { return v.storeErr }

// List returns the saved sets in the order they were saved, without their
// passwords.
func (v *Vault) List() []Set {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := slices.Clone(v.sets)
	for i := range out {
		out[i].Password = ""
	}
	return out
}

// Len is how many sets are saved.
func (v *Vault) Len() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.sets)
}

// Add saves s (its ID is ignored) and returns it with its new ID and
// without its password. A set that is not valid is a *FieldError; a
// credential store that refuses is a *StoreError, and nothing is saved.
func (v *Vault) Add(s Set) (Set, error) {
	s.Label = strings.TrimSpace(s.Label)
	s.Username = strings.TrimSpace(s.Username)
	s.Scope.Site = strings.TrimSpace(s.Scope.Site)
	s.Scope.Device = strings.TrimSpace(s.Scope.Device)
	if s.Label == "" {
		s.Label = s.Username
	}
	if err := check(s); err != nil {
		return Set{}, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.sets) >= MaxSets {
		return Set{}, &FieldError{Field: "sets", Reason: fmt.Sprintf("are %d already, the most SiteKeeper keeps", MaxSets)}
	}
	s.ID = v.newID()
	if v.kr != nil {
		if err := v.storeAdd(s); err != nil {
			return Set{}, err
		}
	}
	v.sets = append(v.sets, s)
	s.Password = ""
	return s, nil
}

// Remove deletes the set with this ID, from the credential store too.
func (v *Vault) Remove(id string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	i := slices.IndexFunc(v.sets, func(s Set) bool { return s.ID == id })
	if i < 0 {
		return ErrNotFound
	}
	if v.kr != nil {
		if err := v.storeRemove(id); err != nil {
			return err
		}
	}
	v.sets = slices.Delete(v.sets, i, i+1)
	return nil
}

func check(s Set) error {
	switch {
	case s.Username == "":
		return &FieldError{Field: "username", Reason: "is empty"}
	case s.Password == "":
		return &FieldError{Field: "password", Reason: "is empty"}
	case utf8.RuneCountInString(s.Label) > MaxLabel:
		return &FieldError{Field: "label", Reason: fmt.Sprintf("is longer than %d characters", MaxLabel)}
	case len(s.Username) > MaxUsername:
		return &FieldError{Field: "username", Reason: fmt.Sprintf("is longer than %d characters", MaxUsername)}
	case len(s.Password) > MaxPassword:
		return &FieldError{Field: "password", Reason: fmt.Sprintf("is longer than %d characters", MaxPassword)}
	case strings.ContainsFunc(s.Username, isControl):
		return &FieldError{Field: "username", Reason: "has a control character in it"}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// newID returns 12 hex digits not used yet: short, because the index item
// lists them all within Credential Manager's 2,560 bytes.
func (v *Vault) newID() string {
	for {
		var b [6]byte
		_, _ = rand.Read(b[:]) // never fails (crypto/rand)
		id := hex.EncodeToString(b[:])
		if !slices.ContainsFunc(v.sets, func(s Set) bool { return s.ID == id }) {
			return id
		}
	}
}
