//go:build linux

package lab

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"sitekeeper/internal/discovery/wsd"
)

// sharedFixtures is ../shared/fixtures/onvif beside the repository.
const sharedFixtures = "../../../shared/fixtures/onvif"

// TestVendorFilesMatchFixtures keeps the embedded copies equal to the
// shared captures they were taken from.
func TestVendorFilesMatchFixtures(t *testing.T) {
	for _, v := range vendorTable {
		shared, err := os.ReadFile(filepath.Join(sharedFixtures, v.file))
		if errors.Is(err, fs.ErrNotExist) {
			t.Skipf("no %s: shared/ must sit beside the repository", v.file)
		}
		if err != nil {
			t.Fatal(err)
		}
		ours, err := vendorFiles.ReadFile("vendors/" + v.file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours, shared) {
			t.Errorf("vendors/%s differs from %s/%s", v.file, sharedFixtures, v.file)
		}
	}
}

func TestVendors(t *testing.T) {
	vs := Vendors()
	if got := len(vs); got != 4 {
		t.Fatalf("len(Vendors()) = %d; want 4", got)
	}
	for _, v := range vs {
		want := wantScopes[v.Name]
		info := wsd.ParseScopes(v.Scopes)
		if info.Name != want.name || info.Hardware != want.hardware {
			t.Errorf("%s: scopes name %q hardware %q; want %q %q", v.Name, info.Name, info.Hardware, want.name, want.hardware)
		}
	}
	if got := len(vs[2].Scopes); got != 11 {
		t.Errorf("Pelco: %d scopes; want the 11 of pelco-GetScopes.xml", got)
	}
}

// TestProbeMatchParses builds each vendor's ProbeMatch and reads it back
// with the parser the app uses.
func TestProbeMatchParses(t *testing.T) {
	for i := range 4 {
		d := device("sktest", i)
		t.Run(d.Vendor.Name, func(t *testing.T) {
			raw := d.probeMatch("urn:uuid:m", "urn:uuid:<probe>&", 7, 3, d.XAddr)
			msg, err := wsd.Parse(raw)
			if err != nil {
				t.Fatalf("wsd.Parse = %v\n%s", err, raw)
			}
			if msg.Kind != wsd.KindProbeMatches || len(msg.Matches) != 1 {
				t.Fatalf("kind %v, %d matches; want one ProbeMatch", msg.Kind, len(msg.Matches))
			}
			if msg.Header.RelatesTo != "urn:uuid:<probe>&" || msg.Header.MessageID != "urn:uuid:m" {
				t.Errorf("header = %+v", msg.Header)
			}
			if a := msg.Header.AppSequence; a == nil || a.InstanceID != 7 || a.MessageNumber != 3 {
				t.Errorf("AppSequence = %+v; want instance 7, message 3", a)
			}
			m := msg.Matches[0]
			if m.EndpointRef != d.EndpointRef || !slices.Equal(m.XAddrs, []string{d.XAddr}) || !slices.Equal(m.Scopes, d.Vendor.Scopes) {
				t.Errorf("match = %+v; want EPR %s, XAddr %s, scopes %q", m, d.EndpointRef, d.XAddr, d.Vendor.Scopes)
			}
			if !slices.Equal(m.Types, deviceTypes) {
				t.Errorf("Types = %v; want %v", m.Types, deviceTypes)
			}
		})
	}
}

func TestAnswers(t *testing.T) {
	d := device("sktest", 0) // Axis
	nvt, tds, wsdp := wsd.TypeNetworkVideoTransmitter.QName(), wsd.TypeONVIFDevice.QName(), wsd.TypeWSDPDevice.QName()
	tests := []struct {
		name string
		p    wsd.Match
		want bool
	}{
		{"generic", wsd.Match{}, true},
		{"nvt", wsd.Match{Types: []wsd.QName{nvt}}, true},
		{"tds", wsd.Match{Types: []wsd.QName{tds}}, true},
		{"nvt and tds", wsd.Match{Types: []wsd.QName{nvt, tds}}, true},
		{"wsdp", wsd.Match{Types: []wsd.QName{wsdp}}, false},
		{"nvt and wsdp", wsd.Match{Types: []wsd.QName{nvt, wsdp}}, false},
		{"scope exact", wsd.Match{Scopes: []string{"onvif://www.onvif.org/hardware/Q6045-E"}}, true},
		{"scope prefix", wsd.Match{Scopes: []string{"onvif://www.onvif.org/type/"}}, true},
		{"scope partial segment", wsd.Match{Scopes: []string{"onvif://www.onvif.org/hardware/Q60"}}, false},
		{"scope other", wsd.Match{Scopes: []string{"onvif://www.onvif.org/hardware/D6230L"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.answers(tt.p); got != tt.want {
				t.Errorf("answers(%+v) = %v; want %v", tt.p, got, tt.want)
			}
		})
	}
}
