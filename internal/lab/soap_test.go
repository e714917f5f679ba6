//go:build linux

package lab

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"sitekeeper/internal/onvif"
)

// TestSOAPFilesMatchFixtures keeps the embedded copies equal to the shared
// captures they were taken from.
func TestSOAPFilesMatchFixtures(t *testing.T) {
	entries, err := soapFiles.ReadDir("vendors")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		shared, err := os.ReadFile(filepath.Join(sharedFixtures, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			t.Skipf("no %s: shared/ must sit beside the repository", e.Name())
		}
		if err != nil {
			t.Fatal(err)
		}
		ours, _ := soapFiles.ReadFile("vendors/" + e.Name())
		if !bytes.Equal(ours, shared) {
			t.Errorf("vendors/%s differs from %s/%s", e.Name(), sharedFixtures, e.Name())
		}
	}
}

// TestSOAPHandler serves one device of each vendor on 127.0.0.1 (no lab
// needed) and reads it back with the app's ONVIF client.
func TestSOAPHandler(t *testing.T) {
	for i := range len(Vendors()) {
		d := device("sktx", i+4) // index 4..7: not the captures' own values
		t.Run(d.Vendor.Name, func(t *testing.T) {
			_, srv := serveDevice(t, d, DeviceMode{})
			c, err := onvif.New(srv.URL+DeviceServicePath, onvif.Config{})
			if err != nil {
				t.Fatal(err)
			}
			info, err := c.GetDeviceInformation(t.Context())
			if err != nil {
				t.Fatalf("GetDeviceInformation = %v", err)
			}
			if info.SerialNumber != DeviceSerial(d) {
				t.Errorf("SerialNumber = %q; want %q", info.SerialNumber, DeviceSerial(d))
			}
			ifs, err := c.GetNetworkInterfaces(t.Context())
			if err != nil || len(ifs) == 0 {
				t.Fatalf("GetNetworkInterfaces = %v, %v", ifs, err)
			}
			if ifs[0].MAC != d.MAC.String() || len(ifs[0].IPv4) == 0 || ifs[0].IPv4[0].Prefix.Addr() != d.Addr {
				t.Errorf("interface 0: MAC %s IPv4 %v; want %s, %s first", ifs[0].MAC, ifs[0].IPv4, d.MAC, d.Addr)
			}
			if _, err := c.GetSystemDateAndTime(t.Context()); err != nil {
				t.Errorf("GetSystemDateAndTime = %v", err)
			}
			if svcs, err := c.GetCapabilities(t.Context()); err != nil || svcs[onvif.NamespaceDevice] != "http://"+d.Addr.String()+DeviceServicePath {
				t.Errorf("GetCapabilities = %v, %v; want the device service at %s", svcs, err, d.Addr)
			}
			var fault *onvif.Fault
			if _, err := c.GetServices(t.Context()); d.Vendor.Name == "Axis" && !errors.As(err, &fault) {
				t.Errorf("Axis GetServices = %v; want its captured fault", err)
			} else if d.Vendor.Name != "Axis" && err != nil {
				t.Errorf("GetServices = %v", err)
			}
		})
	}
}

func TestSOAPUnknownAction(t *testing.T) {
	s, srv := serveDevice(t, device("sktx", 1), DeviceMode{})
	body := `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetSystemUris xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`
	resp, err := srv.Client().Post(srv.URL+DeviceServicePath, "application/soap+xml", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != 400 || !bytes.Contains(buf.Bytes(), []byte("ter:ActionNotSupported")) {
		t.Errorf("GetSystemUris: status %d body %s; want 400 and ter:ActionNotSupported", resp.StatusCode, buf.Bytes())
	}
	if tot, faults := s.Requests(); tot != 1 || faults != 1 {
		t.Errorf("Requests() = %d, %d; want 1, 1", tot, faults)
	}
}
