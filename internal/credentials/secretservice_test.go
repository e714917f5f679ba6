//go:build linux

package credentials

import (
	"context"
	"os"
	"slices"
	"testing"

	"sitekeeper/internal/discovery"
)

// TestSecretServiceRoundTrip saves, reads back and removes a set through a
// real Secret Service. It runs only with SITEKEEPER_SECRET_SERVICE_TEST=1,
// inside a throwaway session bus with an unlocked throwaway keyring, never
// the developer's own:
//
//	HOME=$(mktemp -d) dbus-run-session -- sh -c \
//	  'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
//	   SITEKEEPER_SECRET_SERVICE_TEST=1 go test -run SecretService ./internal/credentials/'
func TestSecretServiceRoundTrip(t *testing.T) {
	if os.Getenv("SITEKEEPER_SECRET_SERVICE_TEST") != "1" {
		t.Skip("set SITEKEEPER_SECRET_SERVICE_TEST=1 inside dbus-run-session with gnome-keyring (see the comment)")
	}
	ctx := context.Background()
	opt := Options{Service: "SiteKeeper-test"} // not the real service name
	v := Open(ctx, opt)
	if !v.Persistent() {
		t.Fatalf("Secret Service not usable: %v", v.StoreErr())
	}
	for _, s := range v.List() { // a previous failed run
		_ = v.Remove(s.ID)
	}
	s, err := v.Add(Set{Label: "Lab", Username: "admin", Password: "pä$$ wörd", Scope: Scope{Site: "Lab"}})
	if err != nil {
		t.Fatal(err)
	}
	w := Open(ctx, opt)
	if got := w.For("lab", ""); !slices.Equal(got, []discovery.Credential{{Username: "admin", Password: "pä$$ wörd"}}) {
		t.Fatalf("For after reopening = %+v", got)
	}
	if err := w.Remove(s.ID); err != nil {
		t.Fatal(err)
	}
	if n := Open(ctx, opt).Len(); n != 0 {
		t.Errorf("%d sets after Remove; want 0", n)
	}
}
