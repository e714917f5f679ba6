package inventory

import (
	"testing"
	"time"
)

func TestSuccessions(t *testing.T) {
	replaced := func(id, ip string, c Class, maker string) Device {
		return Device{ID: id, Known: Known{Name: id, Class: c, Site: "Head office", Location: "Gate", BudgetOwner: BudgetSplit{OT: 100}},
			Discovered: Discovered{IPs: []string{ip}, Manufacturer: maker}, Lifecycle: Lifecycle{State: StateReplaced}}
	}
	found := func(id, ip string, c Class, maker string) Device {
		return Device{ID: id, Discovered: Discovered{IPs: []string{ip}, Class: c, Manufacturer: maker}}
	}
	linked := replaced("linked", "10.0.0.9", ClassCamera, "Axis")
	linked.Lifecycle.Successor = "someone"
	all := []Device{
		replaced("gate", "10.0.0.13", ClassCamera, "Hikvision"),
		replaced("door", "10.0.0.30", ClassAccessControl, "Axis"),
		replaced("nvr", "10.0.0.5", ClassRecorder, "Hanwha"),
		replaced("lone", "10.0.0.7", ClassIntercom, "2N"),
		linked,
		found("n-gate", "10.0.0.13", ClassCamera, "Axis"),        // same address
		found("n-door", "10.0.0.31", ClassAccessControl, "AXIS"), // same type and maker
		found("n-cam2", "10.0.0.32", ClassCamera, "Axis"),        // a second new camera: no old one left
		found("n-rec1", "10.0.0.40", ClassRecorder, "Dahua"),
		found("n-rec2", "10.0.0.41", ClassRecorder, "Dahua"), // two new recorders: ambiguous
		found("old-known", "10.0.0.7", ClassIntercom, "2N"),  // not added by this scan
	}
	got := Successions(all, []string{"n-gate", "n-door", "n-cam2", "n-rec1", "n-rec2"})
	want := map[string]string{"gate": "n-gate", "door": "n-door"}
	if len(got) != len(want) {
		t.Fatalf("Successions = %+v; want %v", got, want)
	}
	for _, s := range got {
		if want[s.Old.ID] != s.New.ID {
			t.Errorf("%s paired with %s (%s); want %s", s.Old.ID, s.New.ID, s.Why, want[s.Old.ID])
		}
	}
	o, n := all[0], all[5]
	n.Known.Location = "Gate, new pole"
	Succeed(&o, &n)
	if o.Lifecycle.Successor != "n-gate" || n.Known.Site != "Head office" || n.Known.Location != "Gate, new pole" || n.Known.BudgetOwner.OT != 100 {
		t.Errorf("Succeed: old %+v new %+v", o.Lifecycle, n.Known)
	}
}

func TestReconcileAddedIDs(t *testing.T) {
	st := NewMemory()
	found := []Discovered{{IPs: []string{"10.0.0.1"}, MAC: "00:40:8c:00:00:01"}, {IPs: []string{"10.0.0.2"}, MAC: "00:40:8c:00:00:02"}}
	res, err := st.Reconcile(t.Context(), found, time.Now())
	if err != nil || len(res.AddedIDs) != 2 || res.AddedIDs[0] != res.IDs[0] {
		t.Fatalf("first scan: %+v, %v; want both added", res, err)
	}
	res, err = st.Reconcile(t.Context(), found, time.Now())
	if err != nil || len(res.AddedIDs) != 0 {
		t.Errorf("second scan: %+v, %v; want none added", res, err)
	}
}
