package watch

import (
	"net/netip"
	"slices"
	"testing"

	"sitekeeper/internal/inventory"
)

func TestHealthCheckerTarget(t *testing.T) {
	cam := inventory.Device{ID: "c", Discovered: inventory.Discovered{
		IPs:      []string{"198.18.1.10"},
		Class:    inventory.ClassCamera,
		XAddrs:   []string{"http://198.18.1.10/onvif/device_service", "http://[fe80::198:18:1:10]/onvif/device_service"},
		Services: []string{"_axis-video._tcp:80", "_rtsp._tcp:554", "_https._tcp:443"},
	}}
	tg := HealthChecker{}.Target(&cam)
	if tg.Addr != netip.MustParseAddr("198.18.1.10") || tg.XAddr != "http://198.18.1.10/onvif/device_service" || !slices.Equal(tg.Ports, []uint16{80, 554, 443}) {
		t.Errorf("camera target = %+v", tg)
	}
	printer := inventory.Device{ID: "p", Discovered: inventory.Discovered{IPs: []string{"198.18.200.10"}, Class: inventory.ClassPrinter, Services: []string{"_ipp._tcp:631"}}}
	if tg := (HealthChecker{}).Target(&printer); tg.XAddr != "" || !slices.Equal(tg.Ports, []uint16{631}) {
		t.Errorf("printer target = %+v; want IPP's port only", tg)
	}
	bare := inventory.Device{ID: "b", Known: inventory.Known{Name: "Door controller"}, Discovered: inventory.Discovered{IPs: []string{"198.18.1.99"}}}
	if tg := (HealthChecker{}).Target(&bare); !slices.Equal(tg.Ports, []uint16{80}) {
		t.Errorf("bare target = %+v; want port 80", tg)
	}
}

func TestCheckable(t *testing.T) {
	for _, tc := range []struct {
		d    inventory.Device
		want bool
	}{
		{inventory.Device{Discovered: inventory.Discovered{IPs: []string{"198.18.1.10"}}}, true},
		{inventory.Device{Known: inventory.Known{Name: "typed in, no address"}}, false},
		{inventory.Device{Discovered: inventory.Discovered{IPs: []string{"198.18.1.10"}}, Lifecycle: inventory.Lifecycle{State: inventory.StateSpare}}, false},
	} {
		if got := Checkable(&tc.d); got != tc.want {
			t.Errorf("Checkable(%+v) = %v; want %v", tc.d, got, tc.want)
		}
	}
}
