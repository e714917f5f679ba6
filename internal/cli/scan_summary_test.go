package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/inventory"
)

// TestScanReportNotSeen: a device an earlier scan found and this one did
// not is named in the report and the summary, by its name and address.
func TestScanReportNotSeen(t *testing.T) {
	ctx := context.Background()
	st := inventory.NewMemory()
	cam := func(ip, mac string) discovery.Device {
		return discovery.Device{Discovered: inventory.Discovered{IPs: []string{ip}, MAC: mac, Sources: []string{"wsd"}}}
	}
	both := []discovery.Device{cam("198.18.1.10", "00:40:8c:00:00:10"), cam("198.18.1.11", "00:40:8c:00:00:11")}
	first, err := st.Reconcile(ctx, discoveredOf(both), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	gate, err := st.Device(ctx, first.IDs[1])
	if err != nil {
		t.Fatal(err)
	}
	gate.Known.Name = "Gate camera"
	if err := st.Save(ctx, gate); err != nil {
		t.Fatal(err)
	}
	res, err := st.Reconcile(ctx, discoveredOf(both[:1]), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r, err := buildReport(ctx, st, both[:1], res, discovery.Stats{}, discovery.Diagnosis{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.NotSeen) != 1 || r.NotSeen[0] != "Gate camera (198.18.1.11)" {
		t.Fatalf("NotSeen = %q; want the gate camera", r.NotSeen)
	}
	var b strings.Builder
	summarise(&b, r, res, scanLogins{}, discovery.Diagnosis{})
	if want := "1 device found by an earlier scan did not answer this time: Gate camera (198.18.1.11). It may be switched off"; !strings.Contains(b.String(), want) {
		t.Errorf("summary:\n%s\nlacks %q", b.String(), want)
	}
	if r, _ := buildReport(ctx, st, both[:1], res, discovery.Stats{}, discovery.Diagnosis{}, false); len(r.NotSeen) != 0 {
		t.Errorf("--no-save report names %q as not seen; want none", r.NotSeen)
	}
}
