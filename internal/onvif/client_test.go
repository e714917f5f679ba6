package onvif

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func newClient(t *testing.T, url string, cfg Config) *Client {
	t.Helper()
	c, err := New(url, cfg)
	if err != nil {
		t.Fatalf("New(%q) error = %v", url, err)
	}
	return c
}

// TestClientAnonymous runs every call against a replayed Hikvision camera
// that needs no credentials.
func TestClientAnonymous(t *testing.T) {
	dev := &fakeDevice{t: t, vendor: "hikvision"}
	srv := dev.start()
	c := newClient(t, srv.URL+"/onvif/device_service", Config{})
	ctx := context.Background()

	info, err := c.GetDeviceInformation(ctx)
	if err != nil || info.Model != "DS-2CD2012-I" || info.SerialNumber != "DS-2CD2012-I20150201CCWR501088621" {
		t.Errorf("GetDeviceInformation() = %+v, %v; want model DS-2CD2012-I", info, err)
	}
	ifs, err := c.GetNetworkInterfaces(ctx)
	if err != nil || len(ifs) != 1 || ifs[0].MAC != "c0:56:e3:f9:55:68" {
		t.Errorf("GetNetworkInterfaces() = %+v, %v; want one interface c0:56:e3:f9:55:68", ifs, err)
	}
	sc, err := c.GetScopes(ctx)
	if err != nil || sc.Name() != "HIKVISION DS-2CD2012-I" || sc.Hardware() != "DS-2CD2012-I" {
		t.Errorf("GetScopes() = %v, %v; want name HIKVISION DS-2CD2012-I", sc, err)
	}
	svc, err := c.GetServices(ctx)
	if err != nil || svc[NamespaceMedia] != "http://10.10.1.65/onvif/Media" {
		t.Errorf("GetServices() = %v, %v; want media http://10.10.1.65/onvif/Media", svc, err)
	}
	capa, err := c.GetCapabilities(ctx)
	if err != nil || capa[NamespaceDevice] != "http://10.10.1.65/onvif/device_service" {
		t.Errorf("GetCapabilities() = %v, %v; want device service", capa, err)
	}
	dt, err := c.GetSystemDateAndTime(ctx)
	if err != nil || dt.TZ != "CST7:00:00" || dt.Offset < -2*time.Second || dt.Offset > 2*time.Second {
		t.Errorf("GetSystemDateAndTime() = %+v, %v; want TZ CST7:00:00 and offset ~0", dt, err)
	}
	if dev.wsseSeen != 0 {
		t.Errorf("anonymous client sent %d Security headers; want 0", dev.wsseSeen)
	}
}

// TestClientNotAuthorized: a device refusing anonymous calls gives a typed
// fault that matches ErrNotAuthorized, wrapped in *Error with op and address.
func TestClientNotAuthorized(t *testing.T) {
	dev := &fakeDevice{t: t, vendor: "trendnet", wsse: true, user: "admin", pass: "secret"}
	srv := dev.start()
	addr := srv.URL + "/onvif/device_service"
	_, err := newClient(t, addr, Config{}).GetDeviceInformation(context.Background())
	var oe *Error
	var f *Fault
	switch {
	case !errors.Is(err, ErrNotAuthorized):
		t.Fatalf("GetDeviceInformation() error = %v; want ErrNotAuthorized", err)
	case !errors.As(err, &oe) || oe.Op != "GetDeviceInformation" || oe.Addr != addr:
		t.Errorf("GetDeviceInformation() error = %#v; want *Error{Op: GetDeviceInformation, Addr: %s}", err, addr)
	case !errors.As(err, &f) || f.Subcode.Local != "NotAuthorized":
		t.Errorf("GetDeviceInformation() error = %v; want *Fault with subcode NotAuthorized", err)
	}
}

// TestClientUsernameTokenSkewedClock: the device clock is two hours behind
// and it checks Created against its own clock. The client must learn the
// offset and sign with device time; signing with the PC clock must fail.
func TestClientUsernameTokenSkewedClock(t *testing.T) {
	tests := []struct {
		name      string
		pass      string
		pcClock   bool // pin the offset to 0, i.e. sign with the PC clock
		wantErrNA bool
	}{
		{name: "device clock", pass: "secret"},
		{name: "pc clock rejected", pass: "secret", pcClock: true, wantErrNA: true},
		{name: "wrong password", pass: "wrong", wantErrNA: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := &fakeDevice{t: t, vendor: "pelco", wsse: true, user: "admin", pass: "secret", skew: -2 * time.Hour}
			srv := dev.start()
			c := newClient(t, srv.URL+"/onvif/device_service", Config{Username: "admin", Password: tt.pass})
			if tt.pcClock {
				c.SetClockOffset(0)
			}
			info, err := c.GetDeviceInformation(context.Background())
			if tt.wantErrNA {
				if !errors.Is(err, ErrNotAuthorized) {
					t.Errorf("GetDeviceInformation() = %+v, %v; want ErrNotAuthorized", info, err)
				}
				return
			}
			if err != nil || info.Manufacturer != "Pelco" {
				t.Fatalf("GetDeviceInformation() = %+v, %v; want Pelco", info, err)
			}
			off, synced := c.ClockOffset()
			if d := off + 2*time.Hour; !synced || d < -2*time.Second || d > 2*time.Second {
				t.Errorf("ClockOffset() = %v, %v; want about -2h, true", off, synced)
			}
			if want := []string{"GetSystemDateAndTime", "GetDeviceInformation"}; strings.Join(dev.ops, ",") != strings.Join(want, ",") {
				t.Errorf("device saw %v; want %v", dev.ops, want)
			}
		})
	}
}

// TestClientHTTPDigest: a device that demands HTTP Digest on every request.
func TestClientHTTPDigest(t *testing.T) {
	tests := []struct {
		name       string
		user, pass string
		wantErr    error
	}{
		{name: "good credentials", user: "admin", pass: "secret"},
		{name: "no credentials", wantErr: ErrNotAuthorized},
		{name: "wrong password", user: "admin", pass: "nope", wantErr: ErrNotAuthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := &fakeDevice{t: t, vendor: "axis", httpDigest: true, user: "admin", pass: "secret"}
			srv := dev.start()
			c := newClient(t, srv.URL+"/onvif/device_service", Config{Username: tt.user, Password: tt.pass})
			info, err := c.GetDeviceInformation(context.Background())
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && info.Model != "AXIS Q6045-E") {
				t.Errorf("GetDeviceInformation() = %+v, %v; want AXIS Q6045-E, error %v", info, err, tt.wantErr)
			}
			var se *StatusError
			if tt.wantErr != nil && (!errors.As(err, &se) || se.StatusCode != http.StatusUnauthorized) {
				t.Errorf("GetDeviceInformation() error = %v; want *StatusError 401", err)
			}
		})
	}
}

// TestClientConcurrent: one client shared by goroutines, credentials set,
// lazy clock sync racing with calls (run under -race).
func TestClientConcurrent(t *testing.T) {
	dev := &fakeDevice{t: t, vendor: "hikvision", wsse: true, user: "admin", pass: "secret", skew: 90 * time.Minute}
	srv := dev.start()
	c := newClient(t, srv.URL, Config{Username: "admin", Password: "secret"})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			if _, err := c.GetScopes(context.Background()); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("GetScopes() error = %v; want nil", err)
	}
}

func TestNewBadAddr(t *testing.T) {
	for _, x := range []string{"", "192.0.2.1", "ftp://192.0.2.1/", "http://", "http://[::1"} {
		if _, err := New(x, Config{}); err == nil {
			t.Errorf("New(%q) error = nil; want error", x)
		}
	}
}

// serveFunc starts a 127.0.0.1 test server with a plain handler.
func serveFunc(t *testing.T, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestClientRefused401WithoutChallenge: a device that refuses a bad
// WS-UsernameToken with 401 and a fault but no Digest challenge (Hikvision
// and its OEMs) reads as ErrNotAuthorized, not as a broken reply — the
// digest transport must not swallow the fault.
func TestClientRefused401WithoutChallenge(t *testing.T) {
	dev := &fakeDevice{t: t, vendor: "hikvision", wsse: true, refuse401: true, user: "admin", pass: "secret"}
	srv := dev.start()
	for _, tc := range []struct {
		pass string
		ok   bool
	}{{"wrong", false}, {"secret", true}} {
		c, err := New(srv.URL+"/onvif/device_service", Config{Username: "admin", Password: tc.pass})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetDeviceInformation(t.Context())
		if tc.ok && err != nil {
			t.Errorf("password %q: GetDeviceInformation = %v; want answered", tc.pass, err)
		}
		if !tc.ok && !errors.Is(err, ErrNotAuthorized) {
			t.Errorf("password %q: GetDeviceInformation = %v; want ErrNotAuthorized", tc.pass, err)
		}
	}
}
