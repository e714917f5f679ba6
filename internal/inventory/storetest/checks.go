package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

// checkTests are the background-check settings cases, run by Run with the
// others.
var checkTests = []struct {
	name string
	fn   func(t *testing.T, st inventory.Store)
}{
	{"CheckSettingsRoundTrip", testCheckSettingsRoundTrip},
	{"CheckSettingsRefuseBadIntervals", testCheckSettingsBadIntervals},
}

// testCheckSettingsRoundTrip: the check settings come back as saved, with
// what a person typed trimmed, ended pauses kept (the store does not read
// the clock), and without disturbing the other settings.
func testCheckSettingsRoundTrip(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	in := inventory.Settings{Organisation: "Acme", Currency: "EUR", Checks: inventory.CheckSettings{
		IntervalSeconds:       300,
		SiteIntervalSeconds:   map[string]int{"Plant": 30},
		ClassIntervalSeconds:  map[inventory.Class]int{inventory.ClassRecorder: 10},
		DeviceIntervalSeconds: map[string]int{"d1": 86400},
		SNMPCommunity:         " plant-ro ",
		Pauses: []inventory.Pause{
			{Site: " Plant ", Until: t0.Add(4 * time.Hour), Reason: " power work "},
			{DeviceID: "d1", Until: t0.Add(-time.Hour)},
		},
	}}
	if err := st.PutSettings(ctx, in); err != nil {
		t.Fatalf("PutSettings(%+v) = %v", in, err)
	}
	want := in
	want.Checks.SNMPCommunity = "plant-ro"
	want.Checks.Pauses = []inventory.Pause{
		{Site: "Plant", Until: t0.Add(4 * time.Hour), Reason: "power work"},
		{DeviceID: "d1", Until: t0.Add(-time.Hour)},
	}
	if got := must(st.Settings(ctx)); !reflect.DeepEqual(got, want) {
		t.Errorf("Settings() = %+v; want %+v", got, want)
	}
	if in.Checks.Pauses[0].Site != " Plant " {
		t.Error("PutSettings changed the caller's pauses")
	}
	// A person resumes every pause: none are left.
	want.Checks.Pauses = nil
	if err := st.PutSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got := must(st.Settings(ctx)); !reflect.DeepEqual(got, want) {
		t.Errorf("Settings() after resuming = %+v; want %+v", got, want)
	}
}

// testCheckSettingsBadIntervals: an interval other than 0 or 10 s..24 h is
// refused as a FieldError naming it, and nothing is stored.
func testCheckSettingsBadIntervals(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	tests := []struct {
		name  string
		in    inventory.CheckSettings
		field string
	}{
		{"default too short", inventory.CheckSettings{IntervalSeconds: 9}, "check_interval"},
		{"default negative", inventory.CheckSettings{IntervalSeconds: -60}, "check_interval"},
		{"default over a day", inventory.CheckSettings{IntervalSeconds: 86401}, "check_interval"},
		{"site", inventory.CheckSettings{SiteIntervalSeconds: map[string]int{"Plant": 5}}, "site_check_interval[Plant]"},
		{"class", inventory.CheckSettings{ClassIntervalSeconds: map[inventory.Class]int{inventory.ClassCamera: 1}}, "class_check_interval[camera]"},
		{"device", inventory.CheckSettings{DeviceIntervalSeconds: map[string]int{"d1": 100000}}, "device_check_interval[d1]"},
	}
	for _, tt := range tests {
		err := st.PutSettings(ctx, inventory.Settings{Checks: tt.in})
		var fe *inventory.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%s: PutSettings(%+v) = %v; want a FieldError for %s", tt.name, tt.in, err, tt.field)
		}
	}
	if got := must(st.Settings(ctx)); !reflect.DeepEqual(got.Checks, inventory.CheckSettings{}) {
		t.Errorf("Settings().Checks after refusals = %+v; want none", got.Checks)
	}
	for _, n := range []int{0, 10, 60, 86400} {
		if err := st.PutSettings(ctx, inventory.Settings{Checks: inventory.CheckSettings{IntervalSeconds: n}}); err != nil {
			t.Errorf("PutSettings(interval %d s) = %v; want nil", n, err)
		}
	}
}
