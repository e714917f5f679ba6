//go:build linux

package lab

import (
	"bytes"
	"embed"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
)

// Vendor is the template a simulated device answers with: the scopes its
// real counterpart returned from GetScopes, which a device also puts in its
// ProbeMatch, and the spelling of its SOAP messages.
type Vendor struct {
	// Name is the manufacturer ("Axis").
	Name string
	// Scopes are the scope URIs, verbatim from the vendor's GetScopes capture.
	Scopes []string
	// OUI is the first half of the MAC address of the real device's capture.
	OUI [3]byte

	// envPrefix and wsaPrefix are the prefixes its messages use for SOAP and
	// WS-Addressing: gSOAP devices (Axis, Pelco) say SOAP-ENV:/wsa:, the
	// Hikvision family env:/wsadis: (hikvision-ProbeMatch-nsfixed.xml).
	envPrefix, wsaPrefix string
	file                 string
}

// vendorFiles holds copies of ../shared/fixtures/onvif/*-GetScopes.xml
// (provenance in vendors/SOURCES.md).
//
//go:embed vendors/*-GetScopes.xml
var vendorFiles embed.FS

// vendorTable lists the vendors in the order devices rotate through them;
// the OUIs are those in each vendor's GetNetworkInterfaces capture.
var vendorTable = []Vendor{
	{Name: "Axis", OUI: [3]byte{0x00, 0x40, 0x8c}, envPrefix: "SOAP-ENV", wsaPrefix: "wsa", file: "axis-GetScopes.xml"},
	{Name: "Hikvision", OUI: [3]byte{0xc0, 0x56, 0xe3}, envPrefix: "env", wsaPrefix: "wsadis", file: "hikvision-GetScopes.xml"},
	{Name: "Pelco", OUI: [3]byte{0x00, 0x04, 0x7d}, envPrefix: "SOAP-ENV", wsaPrefix: "wsa", file: "pelco-GetScopes.xml"},
	{Name: "TRENDnet", OUI: [3]byte{0x3c, 0x8c, 0xf8}, envPrefix: "env", wsaPrefix: "wsadis", file: "trendnet-GetScopes.xml"},
}

// Vendors returns the vendor templates in rotation order: device i is
// Vendors()[i%len(Vendors())]. The slice is shared; do not modify it.
func Vendors() []Vendor { return vendors() }

// vendors reads the templates once.
var vendors = sync.OnceValue(func() []Vendor {
	vs := make([]Vendor, len(vendorTable))
	for k, v := range vendorTable {
		data, err := vendorFiles.ReadFile("vendors/" + v.file)
		if err == nil {
			v.Scopes, err = scopeItems(data)
		}
		if err != nil {
			// The files are compiled in; vendor_test.go reads them all.
			panic(fmt.Sprintf("lab: vendor template %s: %v", v.file, err))
		}
		vs[k] = v
	}
	return vs
})

// scopeItems returns the text of every ScopeItem element of a
// GetScopesResponse, in order.
func scopeItems(data []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var scopes []string
	in := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			in = t.Name.Local == "ScopeItem"
		case xml.EndElement:
			in = false
		case xml.CharData:
			if s := strings.TrimSpace(string(t)); in && s != "" {
				scopes = append(scopes, s)
			}
		}
	}
	if len(scopes) == 0 {
		return nil, errors.New("no ScopeItem")
	}
	return scopes, nil
}

// Device is a simulated device of a lab and what it answers with.
type Device struct {
	Index int
	// Namespace is the name of its network namespace.
	Namespace string
	// Addr is its eth0 address; LinkLocal its IPv6 link-local one.
	Addr, LinkLocal netip.Addr
	// MAC is its eth0 hardware address: the vendor's OUI and the index.
	MAC net.HardwareAddr
	// Vendor is its template, rotating Axis, Hikvision, Pelco, TRENDnet.
	Vendor *Vendor
	// EndpointRef is its WS-Discovery endpoint reference, a urn:uuid that
	// ends in its MAC as Hikvision's do.
	EndpointRef string
	// XAddr is its ONVIF device service address.
	XAddr string
}

// Device describes device i, or returns the zero Device when i is not a
// device of the lab.
func (l *Lab) Device(i int) Device {
	if i < 0 || i >= l.devices {
		return Device{}
	}
	return device(l.prefix, i)
}

func device(prefix string, i int) Device {
	vs := Vendors()
	v := &vs[i%len(vs)]
	mac := net.HardwareAddr{v.OUI[0], v.OUI[1], v.OUI[2], byte(i >> 16), byte(i >> 8), byte(i)}
	addr := deviceAddr(i)
	return Device{
		Index:       i,
		Namespace:   deviceNS(prefix, i),
		Addr:        addr,
		LinkLocal:   LinkLocal(addr),
		MAC:         mac,
		Vendor:      v,
		EndpointRef: fmt.Sprintf("urn:uuid:5a1ab000-0000-1000-8000-%x", []byte(mac)),
		XAddr:       "http://" + addr.String() + "/onvif/device_service",
	}
}
