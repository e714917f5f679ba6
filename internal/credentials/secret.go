package credentials

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// Secrets are the few passwords SiteKeeper itself needs, such as the mail
// server's for e-mail alerts: one password each, under a name. They live
// beside the logins, in the credential store when the Vault is Persistent,
// else in memory for this session only, and never in a file.
//
//	account "secret:<name>"   the password itself
const secretPrefix = "secret:"

// MailPassword is the name of the mail server's password, the one e-mail
// alerts log in with.
const MailPassword = "mail"

// SaveSecret keeps value as the secret called name, replacing any; an empty
// value deletes it. A value longer than MaxPassword is a *FieldError; a
// credential store that refuses is a *StoreError. It talks to the
// credential store, so call it off the UI goroutine.
func (v *Vault) SaveSecret(name string, value Secret) error {
	if value == "" {
		return v.DeleteSecret(name)
	}
	if len(value) > MaxPassword {
		return &FieldError{Field: "password", Reason: fmt.Sprintf("is longer than %d characters", MaxPassword)}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.kr != nil {
		if err := v.kr.Set(v.service, secretPrefix+name, string(value)); err != nil {
			return &StoreError{Op: "save", Err: err}
		}
		return nil
	}
	if v.secrets == nil {
		v.secrets = map[string]Secret{}
	}
	v.secrets[name] = value
	return nil
}

// LoadSecret returns the secret called name, or "" when none is saved. A
// credential store that fails is a *StoreError. It may wait for a person
// to unlock the credential store, so call it off the UI goroutine.
func (v *Vault) LoadSecret(name string) (Secret, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.kr == nil {
		return v.secrets[name], nil
	}
	s, err := v.kr.Get(v.service, secretPrefix+name)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", &StoreError{Op: "open", Err: err}
	}
	return Secret(s), nil
}

// DeleteSecret forgets the secret called name; forgetting one that is not
// saved is not an error.
func (v *Vault) DeleteSecret(name string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.kr == nil {
		delete(v.secrets, name)
		return nil
	}
	if err := v.kr.Delete(v.service, secretPrefix+name); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return &StoreError{Op: "remove", Err: err}
	}
	return nil
}
