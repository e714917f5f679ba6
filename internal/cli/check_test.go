package cli

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"sitekeeper/internal/inventory"
)

// appliedChecks records what followSettings applies.
type appliedChecks struct {
	mu  sync.Mutex
	got []inventory.CheckSettings
}

func (a *appliedChecks) Apply(s inventory.CheckSettings) {
	a.mu.Lock()
	a.got = append(a.got, s)
	a.mu.Unlock()
}

func (a *appliedChecks) list() []inventory.CheckSettings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]inventory.CheckSettings(nil), a.got...)
}

// failingSettings fails to read the settings once err is set.
type failingSettings struct {
	inventory.Store
	mu  sync.Mutex
	err error
}

func (f *failingSettings) Settings(ctx context.Context) (inventory.Settings, error) {
	f.mu.Lock()
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return inventory.Settings{}, err
	}
	return f.Store.Settings(ctx)
}

// TestFollowSettings: `sitekeeper watch` applies check settings changed
// in the store within a minute, only when they changed, and keeps what is
// in force when it cannot read them.
func TestFollowSettings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		mem := inventory.NewMemory()
		defer mem.Close()
		st := &failingSettings{Store: mem}
		start := inventory.CheckSettings{IntervalSeconds: 60}
		if err := mem.PutSettings(ctx, inventory.Settings{Checks: start}); err != nil {
			t.Fatal(err)
		}
		a := &appliedChecks{}
		var errs []error
		done := make(chan struct{})
		go func() {
			defer close(done)
			followSettings(ctx, st, a, start, time.Minute, func(err error) { errs = append(errs, err) })
		}()

		time.Sleep(90 * time.Second)
		synctest.Wait()
		if got := a.list(); len(got) != 0 {
			t.Errorf("applied %+v with nothing changed; want nothing", got)
		}
		paused := inventory.CheckSettings{IntervalSeconds: 300, Pauses: []inventory.Pause{{Site: "Plant", Until: time.Now().Add(time.Hour).UTC().Round(0)}}}
		if err := mem.PutSettings(ctx, inventory.Settings{Checks: paused}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		st.mu.Lock()
		st.err = errors.New("disk gone")
		st.mu.Unlock()
		time.Sleep(time.Minute)
		synctest.Wait()
		cancel()
		<-done

		if got := a.list(); len(got) != 1 || !reflect.DeepEqual(got[0], paused) {
			t.Errorf("applied %+v; want once %+v", got, paused)
		}
		if len(errs) != 1 {
			t.Errorf("errors told = %v; want one", errs)
		}
	})
}
