package alert

import (
	"reflect"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

var (
	cet = time.FixedZone("CET", 3600)
	// now is Thursday 26 November 2026, 10:10 local time.
	now = time.Date(2026, 11, 26, 10, 10, 0, 0, cet)
)

func at(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, cet).UTC()
}

func devices() map[string]inventory.Device {
	gate := inventory.Device{ID: "cam1", Known: inventory.Known{Name: "Gate camera", Site: "Head office", Class: inventory.ClassCamera}}
	gate.Discovered.IPs = []string{"192.168.1.20"}
	sw := inventory.Device{ID: "sw1", Known: inventory.Known{Name: "Core switch", Class: inventory.ClassNetwork}}
	return map[string]inventory.Device{"cam1": gate, "sw1": sw}
}

func TestFromChanges(t *testing.T) {
	offline := func(day, h, m int) inventory.DeviceStatus {
		return inventory.DeviceStatus{Health: inventory.HealthOffline, Since: at(day, h, m), LastCheck: at(day, h, m)}
	}
	tests := []struct {
		name    string
		prev    map[string]inventory.DeviceStatus
		changes []inventory.StatusChange
		want    []inventory.Alert
	}{
		{
			name:    "a camera goes offline today",
			prev:    map[string]inventory.DeviceStatus{"cam1": {Health: inventory.HealthOnline, Since: at(20, 8, 0)}},
			changes: []inventory.StatusChange{{DeviceID: "cam1", At: at(26, 9, 30), To: inventory.HealthOffline, Cause: "the device does not answer at all (ping: no reply)"}},
			want: []inventory.Alert{{Kind: KindOffline, At: at(26, 9, 30), DeviceID: "cam1",
				Message: "Gate camera (192.168.1.20) at Head office stopped answering at 09:30. Recordings from it may be missing since then. Check its power and network cable."}},
		},
		{
			name:    "a switch goes offline on another day: no recordings, the day named",
			changes: []inventory.StatusChange{{DeviceID: "sw1", At: at(23, 22, 5), To: inventory.HealthOffline}},
			want: []inventory.Alert{{Kind: KindOffline, At: at(23, 22, 5), DeviceID: "sw1",
				Message: "Core switch stopped answering at Mon 23 Nov 22:05. Check its power and network cable."}},
		},
		{
			name:    "back online, the outage from prev",
			prev:    map[string]inventory.DeviceStatus{"cam1": offline(26, 9, 30)},
			changes: []inventory.StatusChange{{DeviceID: "cam1", At: at(26, 10, 5), To: inventory.HealthOnline}},
			want: []inventory.Alert{{Kind: KindOnline, At: at(26, 10, 5), DeviceID: "cam1",
				Message: "Gate camera (192.168.1.20) at Head office is answering again (it was offline from 09:30 to 10:05, 35 min)."}},
		},
		{
			name:    "back online after days",
			prev:    map[string]inventory.DeviceStatus{"sw1": offline(23, 22, 5)},
			changes: []inventory.StatusChange{{DeviceID: "sw1", At: at(26, 9, 0), To: inventory.HealthOnline}},
			want: []inventory.Alert{{Kind: KindOnline, At: at(26, 9, 0), DeviceID: "sw1",
				Message: "Core switch is answering again (it was offline from Mon 23 Nov 22:05 to 09:00, 2 days 10 h)."}},
		},
		{
			name: "down and up in one batch, without prev",
			changes: []inventory.StatusChange{
				{DeviceID: "sw1", At: at(26, 10, 0), To: inventory.HealthOnline}, // out of order: sorted
				{DeviceID: "sw1", At: at(26, 8, 0), To: inventory.HealthOffline},
			},
			want: []inventory.Alert{
				{Kind: KindOffline, At: at(26, 8, 0), DeviceID: "sw1", Message: "Core switch stopped answering at 08:00. Check its power and network cable."},
				{Kind: KindOnline, At: at(26, 10, 0), DeviceID: "sw1", Message: "Core switch is answering again (it was offline from 08:00 to 10:00, 2 h)."},
			},
		},
		{
			name: "a first check online and heartbeats are not news",
			prev: map[string]inventory.DeviceStatus{"sw1": offline(26, 8, 0)},
			changes: []inventory.StatusChange{
				{DeviceID: "cam1", At: at(26, 9, 0), To: inventory.HealthOnline},
				{DeviceID: "cam1", At: at(26, 9, 30), To: inventory.HealthOnline},
				{DeviceID: "sw1", At: at(26, 9, 30), To: inventory.HealthOffline},
			},
			want: nil,
		},
		{
			name: "degraded: the cause capitalised, its technical parenthesis dropped",
			prev: map[string]inventory.DeviceStatus{"cam1": {Health: inventory.HealthOnline, Since: at(20, 8, 0)}},
			changes: []inventory.StatusChange{{DeviceID: "cam1", At: at(26, 9, 45), To: inventory.HealthDegraded,
				Cause: "the video service answers with an error (503 Service Unavailable)"}},
			want: []inventory.Alert{{Kind: KindDegraded, At: at(26, 9, 45), DeviceID: "cam1",
				Message: "Gate camera (192.168.1.20) at Head office needs attention: The video service answers with an error."}},
		},
		{
			name: "degraded: a parenthesis inside the cause stays",
			prev: map[string]inventory.DeviceStatus{"cam1": {Health: inventory.HealthOnline, Since: at(20, 8, 0)}},
			changes: []inventory.StatusChange{{DeviceID: "cam1", At: at(26, 9, 45), To: inventory.HealthDegraded,
				Cause: "the device is on, but its video stream service (rtsp) does not work, so video may not be recorded: port 554 refused the connection"}},
			want: []inventory.Alert{{Kind: KindDegraded, At: at(26, 9, 45), DeviceID: "cam1",
				Message: "Gate camera (192.168.1.20) at Head office needs attention: The device is on, but its video stream service (rtsp) does not work, so video may not be recorded: port 554 refused the connection."}},
		},
		{
			name: "degraded after offline",
			prev: map[string]inventory.DeviceStatus{"sw1": offline(26, 8, 0)},
			changes: []inventory.StatusChange{{DeviceID: "sw1", At: at(26, 9, 0), To: inventory.HealthDegraded,
				Cause: "https:443: its certificate expires in 10 days (on 6 Dec 2026)"}},
			want: []inventory.Alert{{Kind: KindDegraded, At: at(26, 9, 0), DeviceID: "sw1",
				Message: "Core switch is answering again but needs attention: HTTPS:443: its certificate expires in 10 days."}},
		},
		{
			name: "a wrong clock alone is its own kind",
			prev: map[string]inventory.DeviceStatus{"cam1": {Health: inventory.HealthOnline, Since: at(20, 8, 0)}},
			changes: []inventory.StatusChange{{DeviceID: "cam1", At: at(26, 9, 45), To: inventory.HealthDegraded, Problems: []string{"clock_drift"},
				Cause: "the device's clock is 2 h 0 min ahead: recordings' timestamps stop being reliable evidence; set its time, or point it at a time (NTP) server"}},
			want: []inventory.Alert{{Kind: KindClockDrift, At: at(26, 9, 45), DeviceID: "cam1",
				Message: "Gate camera (192.168.1.20) at Head office needs attention: The device's clock is 2 h 0 min ahead: recordings' timestamps stop being reliable evidence; set its time, or point it at a time (NTP) server."}},
		},
		{
			name: "an expiring certificate alone is its own kind; a first check is news",
			changes: []inventory.StatusChange{{DeviceID: "sw1", At: at(26, 9, 0), To: inventory.HealthDegraded, Problems: []string{"certificate_expiring"},
				Cause: "https:443: its certificate expires in 10 days (6 December 2026): renew it before then"}},
			want: []inventory.Alert{{Kind: KindCertificateExpiring, At: at(26, 9, 0), DeviceID: "sw1",
				Message: "Core switch needs attention: HTTPS:443: its certificate expires in 10 days (6 December 2026): renew it before then."}},
		},
		{
			name: "a clock with another problem needs attention",
			prev: map[string]inventory.DeviceStatus{"cam1": {Health: inventory.HealthOnline, Since: at(20, 8, 0)}},
			changes: []inventory.StatusChange{{DeviceID: "cam1", At: at(26, 9, 45), To: inventory.HealthDegraded, Problems: []string{"clock_drift", "video"},
				Cause: "the device's clock is 2 h 0 min ahead; port 554 refused the connection"}},
			want: []inventory.Alert{{Kind: KindDegraded, At: at(26, 9, 45), DeviceID: "cam1",
				Message: "Gate camera (192.168.1.20) at Head office needs attention: The device's clock is 2 h 0 min ahead; port 554 refused the connection."}},
		},
		{
			name: "degraded: a flapping cause passes through whole",
			prev: map[string]inventory.DeviceStatus{"cam1": {Health: inventory.HealthOnline, Since: at(26, 8, 0)}},
			changes: []inventory.StatusChange{{DeviceID: "cam1", At: at(26, 9, 0), To: inventory.HealthDegraded,
				Cause: "flapping: 5 changes in the last hour; RTSP port 554 closed (connection refused)"}},
			want: []inventory.Alert{{Kind: KindDegraded, At: at(26, 9, 0), DeviceID: "cam1",
				Message: "Gate camera (192.168.1.20) at Head office needs attention: Flapping: 5 changes in the last hour; RTSP port 554 closed (connection refused)."}},
		},
		{
			name: "offline while flapping says so",
			prev: map[string]inventory.DeviceStatus{"sw1": {Health: inventory.HealthOnline, Since: at(26, 8, 0)}},
			changes: []inventory.StatusChange{{DeviceID: "sw1", At: at(26, 9, 0), To: inventory.HealthOffline,
				Cause: "flapping: 5 changes in the last hour; no answer"}},
			want: []inventory.Alert{{Kind: KindOffline, At: at(26, 9, 0), DeviceID: "sw1",
				Message: "Core switch stopped answering at 09:00. Check its power and network cable. Flapping: 5 changes in the last hour; no answer."}},
		},
		{
			name:    "fully working again after needing attention",
			prev:    map[string]inventory.DeviceStatus{"cam1": {Health: inventory.HealthDegraded, Since: at(26, 9, 45)}},
			changes: []inventory.StatusChange{{DeviceID: "cam1", At: at(26, 10, 0), To: inventory.HealthOnline, Cause: "steady again after flapping; the device answers"}},
			want: []inventory.Alert{{Kind: KindOnline, At: at(26, 10, 0), DeviceID: "cam1",
				Message: "Gate camera (192.168.1.20) at Head office works fully again (it needed attention from 09:45 to 10:00, 15 min). Steady again after flapping; the device answers."}},
		},
		{
			name:    "a device not in the list is named by its ID",
			changes: []inventory.StatusChange{{DeviceID: "gone42", At: at(26, 9, 0), To: inventory.HealthOffline}},
			want: []inventory.Alert{{Kind: KindOffline, At: at(26, 9, 0), DeviceID: "gone42",
				Message: "Unnamed device gone42 stopped answering at 09:00. Check its power and network cable."}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FromChanges(tc.changes, devices(), tc.prev, now); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("FromChanges() =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

// TestFromChangesKeepsPrev: one map across batches tells the second batch
// when the outage began.
func TestFromChangesKeepsPrev(t *testing.T) {
	prev := map[string]inventory.DeviceStatus{}
	FromChanges([]inventory.StatusChange{{DeviceID: "cam1", At: at(26, 9, 0), To: inventory.HealthOnline}}, devices(), prev, now)
	first := FromChanges([]inventory.StatusChange{{DeviceID: "cam1", At: at(26, 9, 30), To: inventory.HealthOffline}}, devices(), prev, now)
	beat := FromChanges([]inventory.StatusChange{{DeviceID: "cam1", At: at(26, 9, 50), To: inventory.HealthOffline}}, devices(), prev, now)
	back := FromChanges([]inventory.StatusChange{{DeviceID: "cam1", At: at(26, 10, 5), To: inventory.HealthOnline}}, devices(), prev, now)
	if len(first) != 1 || len(beat) != 0 || len(back) != 1 {
		t.Fatalf("FromChanges over batches = %d, %d, %d alerts; want 1, 0 (a heartbeat), 1", len(first), len(beat), len(back))
	}
	if want := "Gate camera (192.168.1.20) at Head office is answering again (it was offline from 09:30 to 10:05, 35 min)."; back[0].Message != want {
		t.Errorf("back online = %q; want %q", back[0].Message, want)
	}
	if s := prev["cam1"]; s.Health != inventory.HealthOnline || !s.Since.Equal(at(26, 10, 5)) {
		t.Errorf("prev[cam1] = %+v; want online since 10:05", s)
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{20 * time.Second, "less than a minute"},
		{35 * time.Minute, "35 min"},
		{59*time.Minute + 40*time.Second, "1 h"},
		{2*time.Hour + 5*time.Minute, "2 h 5 min"},
		{24 * time.Hour, "1 day"},
		{26 * time.Hour, "1 day 2 h"},
		{72 * time.Hour, "3 days"},
		{82*time.Hour + 10*time.Minute, "3 days 10 h"},
	}
	for _, tc := range tests {
		if got := duration(tc.in); got != tc.want {
			t.Errorf("duration(%v) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestFromStored(t *testing.T) {
	a := inventory.Alert{ID: "x1", Kind: KindOffline, At: at(26, 9, 30), DeviceID: "cam1", Message: "Gate camera stopped answering."}
	d := devices()["cam1"]
	got := FromStored(a, &d)
	if got.Alert != a || got.Device != "Gate camera" || got.Site != "Head office" || got.Address != "192.168.1.20" {
		t.Errorf("FromStored() = %+v; want the alert naming Gate camera at Head office, 192.168.1.20", got)
	}
	if got.Subject() != "Offline: Gate camera (Head office)" {
		t.Errorf("Subject() = %q", got.Subject())
	}
	if got := FromStored(a, nil); got.Alert != a || got.Device != "" || got.Subject() != "Offline from SiteKeeper" {
		t.Errorf("FromStored(no device) = %+v, subject %q", got, got.Subject())
	}
}
