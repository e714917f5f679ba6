//go:build linux

package discovery_test

import (
	"context"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/lab"
)

// TestLabIdentifyModes scans one site whose devices want credentials, run
// a wrong clock, answer slowly, never or with garbage, with credentials
// [wrong, right], and checks what identification made of each.
func TestLabIdentifyModes(t *testing.T) {
	const (
		callTimeout = 2 * time.Second
		wait        = time.Second
		slow        = 600 * time.Millisecond // per call; three calls, each under callTimeout
	)
	right := discovery.Credential{Username: "admin", Password: "right"}
	wrong := discovery.Credential{Username: "admin", Password: "wrong"}
	ut := func(skew time.Duration) lab.DeviceMode {
		return lab.DeviceMode{Auth: lab.AuthUsernameToken, Username: right.Username, Password: right.Password, ClockSkew: skew}
	}
	dig := func(pass string) lab.DeviceMode {
		return lab.DeviceMode{Auth: lab.AuthDigest, Username: right.Username, Password: pass}
	}
	// Device i is lab.Vendors()[i%4]: Axis, Hikvision, Pelco, TRENDnet.
	const (
		anonymous  = 0 // Axis
		digestAuth = 1 // Hikvision
		utAuth     = 2 // Pelco: refuses with 400
		hanging    = 3 // TRENDnet
		skewed     = 4 // Axis, clock 2 h fast, UsernameToken
		brokenXML  = 5 // Hikvision
		slowDevice = 6 // Pelco
		locked     = 7 // TRENDnet, Digest with a password nobody gave
		htmlPage   = 8 // Axis
		truncated  = 9 // Hikvision
	)
	modes := map[int]lab.DeviceMode{
		digestAuth: dig(right.Password),
		utAuth:     ut(0),
		hanging:    {Hang: true},
		skewed:     ut(2 * time.Hour),
		brokenXML:  {Malformed: lab.MalformedXML},
		slowDevice: {Delay: slow},
		locked:     dig("nobody-knows"),
		htmlPage:   {Malformed: lab.MalformedContent},
		truncated:  {Malformed: lab.MalformedTruncated},
	}
	const n = 10
	l := lab.UpForTest(t, labFamily, n)
	lab.ServeForTest(t, l, lab.ResponderConfig{}) // answers at once
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	soap, err := l.ServeONVIF(ctx, lab.SOAPConfig{Modes: modes})
	if err != nil {
		t.Fatalf("ServeONVIF = %v", err)
	}
	defer soap.Close()

	var (
		mu   sync.Mutex
		got  = map[string]discovery.Device{}
		when = map[string]time.Duration{}
	)
	cfg := discovery.Config{
		WSD:      wsd.Config{Wait: wait},
		Identify: discovery.IdentifyConfig{Credentials: []discovery.Credential{wrong, right}, CallTimeout: callTimeout},
	}
	start := time.Now()
	stats, err := scanLab(t, ctx, l, soap, cfg, func(d discovery.Device) {
		mu.Lock()
		defer mu.Unlock()
		got[d.EndpointRef] = d
		when[d.EndpointRef] = time.Since(start)
	})
	took := time.Since(start)
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	t.Logf("scan took %v; stats %+v", took, stats)
	// Every identification starts as the device's first reply arrives
	// (at once): the slowest is the hanging device, one call timeout.
	if limit := wait + callTimeout + 2*time.Second; took > limit {
		t.Errorf("scan took %v; want under %v", took, limit)
	}

	dev := func(i int) (discovery.Device, lab.SOAPStats, time.Duration) {
		t.Helper()
		ld := l.Device(i)
		d, ok := got[ld.EndpointRef]
		if !ok {
			t.Fatalf("device %d (%s) not reported", i, ld.Addr)
		}
		return d, soap.Stats(i), when[ld.EndpointRef]
	}
	identified := func(name string, i int) (discovery.Device, lab.SOAPStats) {
		t.Helper()
		d, st, _ := dev(i)
		want := wantManufacturer[l.Device(i).Vendor.Name]
		if d.Err != nil || d.NeedsCredentials || d.NoAnswer || d.Manufacturer != want.manufacturer ||
			d.Serial != lab.DeviceSerial(l.Device(i)) || d.MAC != l.Device(i).MAC.String() ||
			!slices.Equal(d.Sources, []string{"wsd", "onvif"}) {
			t.Errorf("%s device %d: err %v, needs credentials %v, no answer %v, %q serial %q mac %s sources %q; want identified as %q",
				name, i, d.Err, d.NeedsCredentials, d.NoAnswer, d.Manufacturer, d.Serial, d.MAC, d.Sources, want.manufacturer)
		}
		return d, st
	}
	notIdentified := func(name string, i int) discovery.Device {
		t.Helper()
		d, st, _ := dev(i)
		if d.Err == nil || d.Manufacturer != "" || slices.Contains(d.Sources, "onvif") || d.NeedsCredentials || st.Requests == 0 {
			t.Errorf("%s device %d: err %v, manufacturer %q, sources %q, needs credentials %v, %d requests; want an error, not identified",
				name, i, d.Err, d.Manufacturer, d.Sources, d.NeedsCredentials, st.Requests)
		}
		return d
	}

	if _, st := identified("anonymous", anonymous); st.Challenged+st.Rejected+st.Accepted != 0 {
		t.Errorf("anonymous device: stats %+v; want no credentials checked", st)
	}
	// The right credential got in; the wrong one was tried at most once
	// (after a device accepted "right", it goes first).
	for _, c := range []struct {
		name string
		i    int
	}{{"digest", digestAuth}, {"usernametoken", utAuth}, {"usernametoken, clock 2h fast", skewed}} {
		if _, st := identified(c.name, c.i); st.Accepted < 2 || st.Rejected > 1 {
			t.Errorf("%s device %d: stats %+v; want >= 2 calls accepted (information, interfaces), <= 1 rejected", c.name, c.i, st)
		}
	}
	if _, _, at := dev(slowDevice); at < 3*slow {
		t.Errorf("slow device reported after %v; want after its three %v calls", at, slow)
	}
	identified("slow", slowDevice)

	d, _, at := dev(hanging)
	if !d.NoAnswer || d.Err == nil || d.NeedsCredentials {
		t.Errorf("hanging device: no answer %v, err %v, needs credentials %v; want no answer", d.NoAnswer, d.Err, d.NeedsCredentials)
	}
	if limit := callTimeout + 1500*time.Millisecond; at > limit {
		t.Errorf("hanging device reported after %v; want within the %v call timeout + margin", at, callTimeout)
	}

	for _, c := range []struct {
		name string
		i    int
	}{{"broken xml", brokenXML}, {"html page", htmlPage}} {
		// It answered, with nonsense: not "no answer".
		if d := notIdentified(c.name, c.i); d.NoAnswer {
			t.Errorf("%s device: no answer; want an answer that could not be used (%v)", c.name, d.Err)
		}
	}
	notIdentified("truncated", truncated) // cut mid-reply: either verdict will do

	d, st, _ := dev(locked)
	if !d.NeedsCredentials || d.NoAnswer || d.Manufacturer != "" {
		t.Errorf("locked device: needs credentials %v, no answer %v, manufacturer %q (%v); want needs credentials", d.NeedsCredentials, d.NoAnswer, d.Manufacturer, d.Err)
	}
	if st.Accepted != 0 || st.Rejected != 2 {
		t.Errorf("locked device: stats %+v; want both credentials rejected, none accepted", st)
	}

	if stats.Devices != n || stats.Identified != 5 || stats.NeedCredentials != 1 || stats.NoAnswer+stats.Failed != 4 {
		t.Errorf("Stats = %+v; want %d devices: 5 identified, 1 needs credentials, 4 no answer or failed", stats, n)
	}

	// With five wrong credentials, the locked device is asked with at most
	// MaxCredentialTries of them: accounts lock after a few failures.
	before := soap.Stats(locked)
	ld := l.Device(locked)
	five := []discovery.Credential{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}}
	id := discovery.NewIdentifier(discovery.IdentifyConfig{Credentials: five, CallTimeout: callTimeout, Dial: l.ScannerDial})
	defer id.CloseIdleConnections()
	d = id.Identify(ctx, wsd.Result{
		Match: wsd.Match{EndpointRef: ld.EndpointRef, XAddrs: []string{ld.XAddr}},
		From:  netip.AddrPortFrom(ld.Addr, 3702),
	})
	after := soap.Stats(locked)
	if !d.NeedsCredentials || after.Rejected-before.Rejected != discovery.MaxCredentialTries || after.Foreign != 0 {
		t.Errorf("locked device, 5 credentials: needs credentials %v, %d rejected, %d foreign connections; want true, %d, 0",
			d.NeedsCredentials, after.Rejected-before.Rejected, after.Foreign, discovery.MaxCredentialTries)
	}
}
