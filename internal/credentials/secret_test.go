package credentials

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// TestSecretThroughKeyring: the mail password is saved to the credential
// store, read back by the next Open (the next start, or sitekeeper watch),
// replaced, and deleted; it is never among the logins.
func TestSecretThroughKeyring(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	v := Open(ctx, Options{})
	if got, err := v.LoadSecret(MailPassword); got != "" || err != nil {
		t.Fatalf("LoadSecret before any save = %q, %v; want \"\", nil", got, err)
	}
	if err := v.SaveSecret(MailPassword, "m@il pw"); err != nil {
		t.Fatal(err)
	}
	if got, err := keyring.Get(DefaultService, secretPrefix+MailPassword); got != "m@il pw" || err != nil {
		t.Errorf("credential store item = %q, %v; want the password", got, err)
	}
	w := Open(ctx, Options{})
	if !w.Persistent() || w.Len() != 0 {
		t.Errorf("after saving a secret: Persistent %v, %d logins; want true, 0", w.Persistent(), w.Len())
	}
	if got, err := w.LoadSecret(MailPassword); got != "m@il pw" || err != nil {
		t.Errorf("LoadSecret after reopening = %q, %v; want the password", got, err)
	}
	if err := w.SaveSecret(MailPassword, "new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := v.LoadSecret(MailPassword); got != "new" {
		t.Errorf("LoadSecret after replacing = %q; want new", got)
	}
	if err := w.SaveSecret(MailPassword, ""); err != nil { // empty deletes
		t.Fatal(err)
	}
	if _, err := keyring.Get(DefaultService, secretPrefix+MailPassword); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("the deleted secret is still in the store (err %v)", err)
	}
	if err := w.DeleteSecret(MailPassword); err != nil {
		t.Errorf("DeleteSecret of nothing saved = %v; want nil", err)
	}
	var fe *FieldError
	if err := w.SaveSecret(MailPassword, Secret(strings.Repeat("x", MaxPassword+1))); !errors.As(err, &fe) || fe.Field != "password" {
		t.Errorf("SaveSecret of a long password = %v; want a FieldError on password", err)
	}
}

// TestSecretWithoutStore: without a credential store the secret is kept
// for the session, as the logins are.
func TestSecretWithoutStore(t *testing.T) {
	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	v := Open(context.Background(), Options{})
	if v.Persistent() {
		t.Fatal("Persistent over a store that fails")
	}
	if err := v.SaveSecret(MailPassword, "pw"); err != nil {
		t.Fatal(err)
	}
	if got, err := v.LoadSecret(MailPassword); got != "pw" || err != nil {
		t.Errorf("LoadSecret = %q, %v; want pw, nil", got, err)
	}
	if err := v.DeleteSecret(MailPassword); err != nil {
		t.Fatal(err)
	}
	if got, _ := v.LoadSecret(MailPassword); got != "" {
		t.Errorf("LoadSecret after DeleteSecret = %q; want nothing", got)
	}
}

// TestSecretStoreRefuses: a store that refuses to save is a *StoreError.
func TestSecretStoreRefuses(t *testing.T) {
	f := &fakeKeyring{items: map[string]string{}, failSet: secretPrefix + MailPassword}
	v := Open(context.Background(), Options{Keyring: f})
	var se *StoreError
	if err := v.SaveSecret(MailPassword, "pw"); !errors.As(err, &se) || se.Op != "save" {
		t.Errorf("SaveSecret = %v; want a *StoreError{Op: save}", err)
	}
}
