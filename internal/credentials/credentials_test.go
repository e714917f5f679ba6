package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"sitekeeper/internal/discovery"
)

// These tests use go-keyring's process-wide mock (keyring.MockInit), so
// none of them runs in parallel, and none touches the real store.

func mustAdd(t *testing.T, v *Vault, s Set) Set {
	t.Helper()
	got, err := v.Add(s)
	if err != nil {
		t.Fatalf("Add(%q): %v", s.Label, err)
	}
	return got
}

func TestRoundTripThroughKeyring(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	v := Open(ctx, Options{})
	if !v.Persistent() || v.StoreErr() != nil {
		t.Fatalf("Open over a working store: Persistent %v, StoreErr %v; want true, nil", v.Persistent(), v.StoreErr())
	}
	a := mustAdd(t, v, Set{Label: " Everywhere ", Username: "admin", Password: "s3cret"})
	b := mustAdd(t, v, Set{Label: "North", Username: "onvif", Password: "n0rth", Scope: Scope{Site: "North depot"}})
	c := mustAdd(t, v, Set{Username: "root", Password: "pass", Scope: Scope{Device: "dev-7"}})
	if a.Password != "" || a.ID == "" || a.Label != "Everywhere" {
		t.Errorf("Add returned %+v; want an ID, the label trimmed and no password", a)
	}
	if c.Label != "root" {
		t.Errorf("label of a set added without one = %q; want the user name", c.Label)
	}

	// A second Open (the next start, or the command line) sees the same.
	w := Open(ctx, Options{})
	got := w.List()
	want := []Set{a, b, c}
	if !slices.Equal(got, want) {
		t.Fatalf("List after reopening = %+v; want %+v", got, want)
	}
	if creds := w.For("north DEPOT", "dev-7"); !slices.Equal(creds, []discovery.Credential{
		{Username: "root", Password: "pass"}, {Username: "onvif", Password: "n0rth"}, {Username: "admin", Password: "s3cret"},
	}) {
		t.Errorf("For after reopening = %+v", creds)
	}

	if err := w.Remove(b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(DefaultService, setPrefix+b.ID); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("the removed set's item is still in the store (err %v)", err)
	}
	if got := Open(ctx, Options{}).List(); !slices.Equal(got, []Set{a, c}) {
		t.Errorf("List after Remove and reopening = %+v; want %+v", got, []Set{a, c})
	}
	if err := w.Remove(b.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Remove of a removed set = %v; want ErrNotFound", err)
	}
}

func TestFallbackWhenNoStore(t *testing.T) {
	noBus := errors.New("dbus: DBUS_SESSION_BUS_ADDRESS not set")
	keyring.MockInitWithError(noBus)
	v := Open(context.Background(), Options{})
	if v.Persistent() {
		t.Fatal("Persistent over a store that fails")
	}
	var se *StoreError
	if err := v.StoreErr(); !errors.As(err, &se) || se.Op != "open" || !errors.Is(err, noBus) {
		t.Fatalf("StoreErr = %v; want a *StoreError{Op: open} wrapping the store's error", err)
	}
	s := mustAdd(t, v, Set{Label: "All", Username: "admin", Password: "x"})
	if got := v.For("", ""); !slices.Equal(got, []discovery.Credential{{Username: "admin", Password: "x"}}) {
		t.Errorf("For on a session vault = %+v", got)
	}
	if err := v.Remove(s.ID); err != nil || v.Len() != 0 {
		t.Errorf("Remove on a session vault: %v, %d left", err, v.Len())
	}
}

// fakeKeyring is a store with hooks: block makes every call wait for it,
// failSet fails Set on that account.
type fakeKeyring struct {
	items   map[string]string
	block   chan struct{}
	failSet string
}

func (f *fakeKeyring) Get(_, account string) (string, error) {
	if f.block != nil {
		<-f.block
	}
	v, ok := f.items[account]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Set(_, account, value string) error {
	if account == f.failSet {
		return errors.New("access denied")
	}
	f.items[account] = value
	return nil
}

func (f *fakeKeyring) Delete(_, account string) error {
	if _, ok := f.items[account]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.items, account)
	return nil
}

func TestStoreThatDoesNotAnswer(t *testing.T) {
	f := &fakeKeyring{items: map[string]string{}, block: make(chan struct{})}
	defer close(f.block)
	v := Open(context.Background(), Options{Keyring: f, ProbeTimeout: time.Millisecond})
	if v.Persistent() || !errors.Is(v.StoreErr(), context.DeadlineExceeded) {
		t.Errorf("a store that does not answer: Persistent %v, StoreErr %v; want false, a deadline", v.Persistent(), v.StoreErr())
	}
}

func TestCorruptIndexIsNotOverwritten(t *testing.T) {
	for name, items := range map[string]map[string]string{
		"index not JSON":   {indexAccount: "{"},
		"newer index":      {indexAccount: `{"version":2,"sets":[]}`},
		"set without user": {indexAccount: `{"version":1,"sets":["a"]}`, setPrefix + "a": `{"label":"x"}`},
	} {
		t.Run(name, func(t *testing.T) {
			f := &fakeKeyring{items: items}
			before := fmt.Sprint(items)
			v := Open(context.Background(), Options{Keyring: f})
			if v.Persistent() || !errors.Is(v.StoreErr(), ErrCorrupt) {
				t.Fatalf("Persistent %v, StoreErr %v; want false, ErrCorrupt", v.Persistent(), v.StoreErr())
			}
			mustAdd(t, v, Set{Username: "admin", Password: "x"})
			if after := fmt.Sprint(f.items); after != before {
				t.Errorf("the store changed from %s to %s", before, after)
			}
		})
	}
}

func TestMissingSetIsSkipped(t *testing.T) {
	f := &fakeKeyring{items: map[string]string{
		indexAccount:       `{"version":1,"sets":["gone","here"]}`,
		setPrefix + "here": `{"label":"L","username":"u","password":"p"}`,
	}}
	v := Open(context.Background(), Options{Keyring: f})
	if got := v.List(); !v.Persistent() || len(got) != 1 || got[0].ID != "here" {
		t.Errorf("List = %+v (persistent %v); want the one set still in the store", got, v.Persistent())
	}
}

func TestAddUndoneWhenIndexFails(t *testing.T) {
	f := &fakeKeyring{items: map[string]string{}, failSet: indexAccount}
	v := Open(context.Background(), Options{Keyring: f})
	_, err := v.Add(Set{Username: "admin", Password: "x"})
	var se *StoreError
	if !errors.As(err, &se) || se.Op != "save" {
		t.Fatalf("Add = %v; want a *StoreError{Op: save}", err)
	}
	if len(f.items) != 0 || v.Len() != 0 {
		t.Errorf("after a failed Add the store holds %v and the vault %d sets; want nothing", f.items, v.Len())
	}
}

func TestAddChecksFields(t *testing.T) {
	long := strings.Repeat("x", MaxPassword+1)
	for _, c := range []struct {
		name  string
		s     Set
		field string
	}{
		{"no user", Set{Label: "L", Password: "p"}, "username"},
		{"blank user", Set{Username: "  ", Password: "p"}, "username"},
		{"no password", Set{Username: "u"}, "password"},
		{"long password", Set{Username: "u", Password: Secret(long)}, "password"},
		{"long label", Set{Label: strings.Repeat("é", MaxLabel+1), Username: "u", Password: "p"}, "label"},
		{"newline in user", Set{Username: "u\nx", Password: "p"}, "username"},
	} {
		_, err := NewSession(nil).Add(c.s)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: Add = %v; want a FieldError on %s", c.name, err, c.field)
		}
	}
}

func TestLargestSetFitsOneItem(t *testing.T) {
	f := &fakeKeyring{items: map[string]string{}}
	v := Open(context.Background(), Options{Keyring: f})
	s := Set{
		Label:    strings.Repeat("\"", MaxLabel),
		Username: strings.Repeat("\\", MaxUsername),
		Password: Secret(strings.Repeat("<", MaxPassword)),
		Scope:    Scope{Site: strings.Repeat("é", 100)},
	}
	mustAdd(t, v, s)
	for i := 1; i < MaxSets; i++ {
		mustAdd(t, v, Set{Username: "u", Password: Secret(fmt.Sprint(i))})
	}
	for k, item := range f.items {
		if len(item) > maxItem {
			t.Errorf("item %s is %d bytes; Credential Manager takes %d", k, len(item), maxItem)
		}
	}
	if _, err := v.Add(Set{Username: "u", Password: "p"}); err == nil {
		t.Errorf("Add of set %d succeeded; want a FieldError", MaxSets+1)
	}
}

func TestForOrder(t *testing.T) {
	v := NewSession(nil)
	for _, s := range []Set{
		{Username: "all1", Password: "a", Scope: Scope{}},
		{Username: "north", Password: "n", Scope: Scope{Site: "North"}},
		{Username: "dev", Password: "d", Scope: Scope{Device: "d1"}},
		{Username: "south", Password: "s", Scope: Scope{Site: "South"}},
		{Username: "all2", Password: "b", Scope: Scope{}},
		{Username: "north", Password: "n", Scope: Scope{}}, // the same login, for all sites
		{Username: "dev2", Password: "e", Scope: Scope{Device: "d2"}},
	} {
		mustAdd(t, v, s)
	}
	users := func(cs []discovery.Credential) string {
		var u []string
		for _, c := range cs {
			u = append(u, c.Username)
		}
		return strings.Join(u, ",")
	}
	for _, c := range []struct {
		site, device string
		want         string
	}{
		{"north", "d1", "dev,north,all1,all2"},
		{"South", "", "south,all1,all2,north"},
		{"", "d2", "dev2,all1,all2,north"},
		{"Elsewhere", "d9", "all1,all2,north"},
		{"", "", "all1,all2,north"},
	} {
		if got := users(v.For(c.site, c.device)); got != c.want {
			t.Errorf("For(%q, %q) = %s; want %s", c.site, c.device, got, c.want)
		}
	}
}

func TestPasswordNeverPrinted(t *testing.T) {
	s := Set{ID: "1", Label: "L", Username: "admin", Password: "hunter2"}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s), fmt.Sprintf("%s", s.Password), string(b)} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("the password shows in %s", out)
		}
	}
}
