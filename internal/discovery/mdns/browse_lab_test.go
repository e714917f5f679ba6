//go:build linux

package mdns

import (
	"context"
	"errors"
	"maps"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/lab"
)

// labWait is the browse's wait in the lab: avahi answers in 20-120 ms.
const labWait = 2 * time.Second

// avahiPeer is one avahi host of a lab test and what browsing must find.
type avahiPeer struct {
	mac   net.HardwareAddr // nil: random
	cfg   lab.AvahiConfig
	class inventory.Class
	// MAC, Manufacturer and Model expected of the first service (the
	// others carry none); a MAC of "host" means the host's eth0 address.
	mac2, manufacturer, model string
	host                      lab.Host
}

// startPeers adds a host per peer to l and starts their avahi daemons in
// parallel (each probes its names for about a second), stopped when t ends.
func startPeers(t *testing.T, l *lab.Lab, peers []*avahiPeer) {
	t.Helper()
	lab.SkipUnlessAvahi(t)
	ctx := context.Background()
	for _, p := range peers {
		h, err := l.AddHost(ctx, p.mac)
		if err != nil {
			t.Fatalf("AddHost = %v", err)
		}
		p.host = h
	}
	errs := make([]error, len(peers))
	var wg sync.WaitGroup
	for i, p := range peers {
		wg.Go(func() {
			a, err := l.StartAvahi(ctx, p.host, p.cfg)
			if err != nil {
				errs[i] = err
				return
			}
			t.Cleanup(func() {
				if err := a.Stop(); err != nil {
					t.Errorf("Stop avahi in %s = %v", p.host.Namespace, err)
				}
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("StartAvahi = %v", err)
	}
}

// browseLab browses from the scanner's namespace and returns the results
// by (instance, service), failing on a repeated non-update report.
func browseLab(t *testing.T, l *lab.Lab, cfg Config) (map[[2]string]Result, Stats) {
	t.Helper()
	got := map[[2]string]Result{}
	var st Stats
	start := time.Now()
	err := l.InScanner(func() error {
		var err error
		st, err = Browse(context.Background(), cfg, func(r Result) {
			k := [2]string{r.Instance, r.Service}
			if _, dup := got[k]; dup && !r.Update {
				t.Errorf("%q %s reported twice without Update", r.Instance, r.Service)
			}
			got[k] = r
		})
		return err
	})
	if err != nil {
		t.Fatalf("Browse in the scanner namespace = %v", err)
	}
	t.Logf("browse: %d results in %v; stats %+v", len(got), time.Since(start), st)
	return got, st
}

// airPrintTXT is an IPP Everywhere/AirPrint printer's TXT record, as HP
// LaserJets publish it.
var airPrintTXT = []string{
	"txtvers=1", "qtotal=1", "rp=ipp/print", "ty=HP LaserJet Pro M404dn", "product=(HP LaserJet Pro M404dn)",
	"usb_MFG=HP", "usb_MDL=LaserJet Pro M404dn", "usb_CMD=PJL,PML,PCLXL,URF,PCL,PDF,POSTSCRIPT",
	"pdl=application/octet-stream,application/pdf,application/postscript,application/vnd.hp-PCL,application/vnd.hp-PCLXL,image/jpeg,image/pwg-raster,image/urf",
	"note=2nd floor copy room", "adminurl=http://hp-m404dn.local./#hId-pgAirPrint", "priority=10",
	"Color=F", "Duplex=T", "TLS=1.2", "UUID=564e4333-4d30-3837-3437-a0b3cc123456",
	"URF=CP1,IS1,MT1-2-8-9-10-11,OB10,PQ4,RS600,V1.4,W8,DM1", "kind=document,envelope", "PaperMax=legal-A4",
	"mopria-certified=2.0", "print_wfds=T", "air=none", "Scan=F", "Fax=F", "Transparent=T", "Binary=T", "TBCP=F",
}

func TestLabBrowse(t *testing.T) {
	t.Parallel()
	l := lab.UpForTest(t, "mdn", 2)
	const camName = "AXIS M3045-V - ACCC8E000001"
	camMAC := net.HardwareAddr{0xac, 0xcc, 0x8e, 0x00, 0x00, 0x01}
	peers := []*avahiPeer{
		{
			mac: camMAC,
			cfg: lab.AvahiConfig{HostName: "axis-accc8e000001", Services: []lab.AvahiService{
				{Name: camName, Type: "_axis-video._tcp", Port: 80, TXT: []string{"macaddress=ACCC8E000001"}},
				{Name: camName, Type: "_rtsp._tcp", Port: 554, TXT: []string{"path=/axis-media/media.amp"}},
				{Name: camName, Type: "_http._tcp", Port: 80, TXT: []string{"path=/"}},
				{Name: camName, Type: "_onvif._tcp", Port: 80, TXT: []string{"path=/onvif/device_service"}},
			}},
			class: inventory.ClassCamera, mac2: "host", manufacturer: "Axis", model: "M3045-V",
		},
		{
			cfg: lab.AvahiConfig{HostName: "hp-m404dn", Services: []lab.AvahiService{
				// A full AirPrint TXT: over 700 bytes, more than a
				// one-shot reply holds (avahi drops it from those).
				{Name: "HP LaserJet Pro M404dn [A1B2C3]", Type: "_ipp._tcp", Port: 631, TXT: airPrintTXT},
			}},
			class: inventory.ClassPrinter, manufacturer: "HP", model: "LaserJet Pro M404dn",
		},
		{
			cfg: lab.AvahiConfig{HostName: "hap-doorbell", Services: []lab.AvahiService{
				{Name: "Front Door", Type: "_hap._tcp", Port: 51826, TXT: []string{
					"c#=2", "ff=0", "id=AA:BB:CC:DD:EE:03", "md=Video Doorbell", "s#=1", "sf=1", "ci=18"}},
			}},
			// HAP's id looks like a MAC but is not one.
			class: inventory.ClassIntercom, model: "Video Doorbell",
		},
	}
	start := time.Now()
	startPeers(t, l, peers)
	t.Logf("3 avahi peers established in %v", time.Since(start))

	got, st := browseLab(t, l, Config{Wait: labWait})

	for _, p := range peers {
		wantHost := p.cfg.HostName + ".local."
		for i, s := range p.cfg.Services {
			r, ok := got[[2]string{s.Name, s.Type}]
			if !ok {
				t.Errorf("%q %s not found", s.Name, s.Type)
				continue
			}
			wantMAC, wantMfr, wantModel := p.mac2, p.manufacturer, p.model
			if wantMAC == "host" {
				wantMAC = p.host.MAC.String()
			}
			if i > 0 {
				wantMAC, wantMfr, wantModel = "", "", ""
			}
			wantTXT := ParseTXT(s.TXT)
			switch {
			case r.Host != wantHost:
				t.Errorf("%q %s Host = %q; want %q (one host for all its services)", s.Name, s.Type, r.Host, wantHost)
			case !slices.Equal(r.Addrs, []netip.Addr{p.host.Addr}):
				t.Errorf("%q %s Addrs = %v; want [%v] from its A record", s.Name, s.Type, r.Addrs, p.host.Addr)
			case r.Port != s.Port:
				t.Errorf("%q %s Port = %d; want %d", s.Name, s.Type, r.Port, s.Port)
			case !maps.Equal(r.TXT, wantTXT):
				t.Errorf("%q %s TXT = %v; want %v", s.Name, s.Type, r.TXT, wantTXT)
			case r.Interface != "eth0":
				t.Errorf("%q %s Interface = %q; want eth0", s.Name, s.Type, r.Interface)
			case r.MAC != wantMAC || r.Manufacturer != wantMfr || r.Model != wantModel:
				t.Errorf("%q %s MAC, Manufacturer, Model = %q, %q, %q; want %q, %q, %q",
					s.Name, s.Type, r.MAC, r.Manufacturer, r.Model, wantMAC, wantMfr, wantModel)
			}
			if c := Classify(r); c != p.class && s.Type != "_http._tcp" {
				t.Errorf("Classify(%q %s) = %q; want %q", s.Name, s.Type, c, p.class)
			}
		}
	}
	if len(got) != 6 {
		t.Errorf("Browse found %d instances; want 6: %v", len(got), slices.Collect(maps.Keys(got)))
	}
	for _, typ := range []string{"_axis-video._tcp", "_rtsp._tcp", "_http._tcp", "_onvif._tcp", "_ipp._tcp", "_hap._tcp"} {
		if !slices.Contains(st.Services, typ) {
			t.Errorf("Stats.Services = %v; want %s from the meta-query", st.Services, typ)
		}
	}
	if !slices.Equal(st.Interfaces, []string{"eth0"}) || st.Skipped["lo"] == "" || st.NoListener != nil {
		t.Errorf("Stats = %+v; want eth0 browsed with its port-5353 listener, and lo skipped", st)
	}
}

// TestLabBrowseRenamed: two avahi peers publish the same instance name;
// the later one renames itself "... #2" and both are found.
func TestLabBrowseRenamed(t *testing.T) {
	t.Parallel()
	l := lab.UpForTest(t, "mdr", 0)
	const name = "AXIS M3045-V - ACCC8E000009"
	svc := []lab.AvahiService{{Name: name, Type: "_axis-video._tcp", Port: 80, TXT: []string{"macaddress=ACCC8E000009"}}}
	first := &avahiPeer{cfg: lab.AvahiConfig{HostName: "cam-a", Services: svc}}
	second := &avahiPeer{cfg: lab.AvahiConfig{HostName: "cam-b", Services: svc}}
	start := time.Now()
	// One after the other, so that the newcomer is the one to rename.
	startPeers(t, l, []*avahiPeer{first})
	startPeers(t, l, []*avahiPeer{second})
	t.Logf("2 conflicting avahi peers established in %v", time.Since(start))

	got, _ := browseLab(t, l, Config{Wait: labWait, Services: []string{"_axis-video._tcp"}})
	byHost := map[string]Result{}
	for _, r := range got {
		byHost[r.Host] = r
	}
	a, b := byHost["cam-a.local."], byHost["cam-b.local."]
	if len(got) != 2 || a.Instance != name || b.Instance == name || b.Instance == "" {
		t.Fatalf("Browse = %v; want %q on cam-a and a renamed instance on cam-b", got, name)
	}
	t.Logf("renamed instance: %q", b.Instance)
	if !slices.Equal(a.Addrs, []netip.Addr{first.host.Addr}) || !slices.Equal(b.Addrs, []netip.Addr{second.host.Addr}) {
		t.Errorf("Addrs = %v and %v; want %v and %v", a.Addrs, b.Addrs, first.host.Addr, second.host.Addr)
	}
}
