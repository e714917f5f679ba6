package wsd

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"
)

const wsddHello = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery"><soap:Header><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello</wsa:Action><wsa:MessageID>urn:uuid:00a45842-e9b6-11f1-9e83-964b6237b6d0</wsa:MessageID><wsd:AppSequence InstanceId="1795710332" MessageNumber="0" /></soap:Header><soap:Body><wsd:Hello><wsa:EndpointReference><wsa:Address>urn:uuid:22222222-2222-3333-4444-555555555555</wsa:Address></wsa:EndpointReference><wsd:XAddrs>http://198.18.1.12:5357/x</wsd:XAddrs><wsd:MetadataVersion>1</wsd:MetadataVersion></wsd:Hello></soap:Body></soap:Envelope>`

func envelope(body string) string {
	return `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>` + body + `</s:Body></s:Envelope>`
}

func TestParseHostile(t *testing.T) {
	deep := strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000)
	tests := []struct {
		name  string
		in    []byte
		limit bool // a size, depth or count limit must be what stops it
	}{
		{"empty", nil, false},
		{"1 MB datagram", bytes.Repeat([]byte("<a>"), 1<<20/3), true},
		{"just over 64 KiB", []byte(envelope(strings.Repeat(" ", MaxDatagram))), true},
		{"100000-deep nesting", []byte(deep), true},
		{"100000-deep nesting in body", []byte(envelope(deep)), true},
		{"20000-deep nesting under 64 KiB", []byte(envelope(strings.Repeat("<a>", 20000))), true},
		{"too many elements", []byte(envelope(strings.Repeat("<a/>", 5000))), true},
		{"billion laughs", []byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` + envelope(`<d:Hello xmlns:d="`+NSDiscovery+`">&lol3;</d:Hello>`)), false},
		{"undeclared entity", []byte(envelope(`<x>&lol;</x>`)), false},
		{"truncated", []byte(wsddHello[:len(wsddHello)/2]), false},
		{"truncated after body", []byte(wsddHello[:len(wsddHello)-len("</soap:Envelope>")]), false},
		{"wrong root", []byte(`<html><body>hello</body></html>`), false},
		{"envelope in wrong namespace", []byte(`<Envelope xmlns="urn:x"><Body/></Envelope>`), false},
		{"no body", []byte(`<s:Envelope xmlns:s="` + NSSOAP12 + `"><s:Header/></s:Envelope>`), false},
		{"binary garbage", []byte("\x00\x01\x02\xff\xfe\x80garbage\x00"), false},
		{"text only", []byte("hello"), false},
		{"mismatched tags", []byte(envelope(`<a></b>`)), false},
		{"unsupported charset", []byte(`<?xml version="1.0" encoding="EBCDIC-XX"?>` + envelope("")), false},
		{"odd-length utf-16", []byte{0xFF, 0xFE, '<', 0, 'a'}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			m, err := Parse(tt.in)
			elapsed := time.Since(start)
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("Parse(%.40q) = %v, %v; want ErrMalformed", tt.in, m.Kind, err)
			}
			if tt.limit != errors.Is(err, ErrLimit) {
				t.Errorf("Parse(%.40q) = %v; want ErrLimit %v", tt.in, err, tt.limit)
			}
			// Generous: a shared 2-core machine under -race.
			if elapsed > 500*time.Millisecond {
				t.Errorf("Parse(%.40q) took %v; want well under 500ms", tt.in, elapsed)
			}
		})
	}
}

// TestParseEveryTruncation: no prefix of a real message parses.
func TestParseEveryTruncation(t *testing.T) {
	for n := range len(wsddHello) {
		if _, err := Parse([]byte(wsddHello[:n])); !errors.Is(err, ErrMalformed) {
			t.Fatalf("Parse(first %d bytes) error = %v; want ErrMalformed", n, err)
		}
	}
}

func TestParseHostileAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation measurement")
	}
	in := []byte(envelope(strings.Repeat("<a>", 20000)))
	allocs := testing.AllocsPerRun(5, func() { _, _ = Parse(in) })
	// The depth limit of 32 stops the decoder after 32 elements.
	if allocs > 1000 {
		t.Errorf("Parse(20000-deep) allocations = %v; want < 1000", allocs)
	}
}

func utf16(t *testing.T, e unicode.Endianness, bom unicode.BOMPolicy, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(e, bom).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseTolerates(t *testing.T) {
	helloWithName := func(decl, name string) string {
		return decl + `<s:Envelope xmlns:s="` + NSSOAP12 + `" xmlns:d="` + NSDiscovery + `"><s:Body><d:Hello><d:Scopes>onvif://www.onvif.org/name/` + name + `</d:Scopes></d:Hello></s:Body></s:Envelope>`
	}
	tests := []struct {
		name     string
		in       []byte
		wantName string
	}{
		{"iso-8859-1", []byte(helloWithName(`<?xml version="1.0" encoding="ISO-8859-1"?>`, "Cam\xe9ra")), "Caméra"},
		{"windows-1252", []byte(helloWithName(`<?xml version="1.0" encoding="windows-1252"?>`, "\x80uro")), "€uro"},
		{"utf-16le with bom", utf16(t, unicode.LittleEndian, unicode.UseBOM, helloWithName(`<?xml version="1.0" encoding="UTF-16"?>`, "Kamera-ä")), "Kamera-ä"},
		{"utf-16be without bom", utf16(t, unicode.BigEndian, unicode.IgnoreBOM, helloWithName(`<?xml version="1.0" encoding="UTF-16BE"?>`, "Kamera-ä")), "Kamera-ä"},
		{"utf-8 bom and whitespace", []byte("\uFEFF \r\n\t" + helloWithName(`<?xml version="1.0"?>`, "x")), "x"},
		{"trailing NUL padding", append([]byte(helloWithName("", "x")), 0, 0, 0, 0), "x"},
		{"percent-encoded name", []byte(helloWithName("", "AXIS%20Q6045-E")), "AXIS Q6045-E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse() error = %v; want nil", err)
			}
			if m.Kind != KindHello || len(m.Matches) != 1 {
				t.Fatalf("Parse() = %v with %d matches; want one Hello", m.Kind, len(m.Matches))
			}
			checkEqual(t, "name", m.Matches[0].ScopeInfo().Name, tt.wantName)
		})
	}
}

func TestParseNamespaces(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		wantKind    Kind
		wantVersion string
		wantTypes   []QName
	}{
		{"2009/01 discovery, 2005/08 addressing",
			`<s:Envelope xmlns:s="` + NSSOAP12 + `" xmlns:d="` + NSDiscovery2009 + `" xmlns:a="` + NSAddressing2005 + `" xmlns:dn="` + NSONVIFNetwork + `"><s:Header><a:MessageID>urn:uuid:1</a:MessageID></s:Header><s:Body><d:Hello><a:EndpointReference><a:Address>urn:uuid:2</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Hello></s:Body></s:Envelope>`,
			KindHello, NSDiscovery2009, []QName{nvt}},
		{"soap 1.1",
			`<e:Envelope xmlns:e="` + NSSOAP11 + `"><e:Body><Bye xmlns="` + NSDiscovery + `"/></e:Body></e:Envelope>`,
			KindBye, NSDiscovery, nil},
		{"default namespace per element (Bosch style)",
			`<Envelope xmlns="` + NSSOAP12 + `"><Body xmlns="` + NSSOAP12 + `"><ProbeMatches xmlns="` + NSDiscovery + `"><ProbeMatch xmlns="` + NSDiscovery + `"><Types xmlns="` + NSONVIFNetwork + `">NetworkVideoTransmitter</Types></ProbeMatch></ProbeMatches></Body></Envelope>`,
			KindProbeMatches, NSDiscovery, nil /* Types in a foreign namespace are not WS-Discovery Types */},
		{"declared prefix beats the well-known table",
			`<s:Envelope xmlns:s="` + NSSOAP12 + `" xmlns:d="` + NSDiscovery + `" xmlns:dn="urn:vendor"><s:Body><d:Probe><d:Types>dn:Thing unbound:Other Plain</d:Types></d:Probe></s:Body></s:Envelope>`,
			KindProbe, NSDiscovery, []QName{{"urn:vendor", "Thing"}, {"unbound", "Other"}, {"", "Plain"}}},
		{"no namespaces at all",
			`<Envelope><Body><Hello><Types>dn:NetworkVideoTransmitter</Types></Hello></Body></Envelope>`,
			KindHello, "", []QName{nvt}},
		{"discovery-looking body in another namespace",
			`<s:Envelope xmlns:s="` + NSSOAP12 + `"><s:Body><Hello xmlns="urn:other"/></s:Body></s:Envelope>`,
			KindUnknown, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse() error = %v; want nil", err)
			}
			if m.Kind != tt.wantKind || m.Version != tt.wantVersion {
				t.Fatalf("Parse() = %v, %q; want %v, %q", m.Kind, m.Version, tt.wantKind, tt.wantVersion)
			}
			var types []QName
			for _, mt := range m.Matches {
				types = append(types, mt.Types...)
			}
			checkSlice(t, "Types", types, tt.wantTypes)
		})
	}
}

func TestParseSeveralMatches(t *testing.T) {
	match := `<d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:%d</a:Address></a:EndpointReference><d:XAddrs>http://198.18.0.%d/onvif/device_service http://[fe80::1]/onvif/device_service</d:XAddrs></d:ProbeMatch>`
	var body strings.Builder
	for i := range 3 {
		body.WriteString(strings.ReplaceAll(strings.ReplaceAll(match, "%d", string(rune('1'+i))), "%", ""))
	}
	in := `<s:Envelope xmlns:s="` + NSSOAP12 + `" xmlns:d="` + NSDiscovery + `" xmlns:a="` + NSAddressing + `"><s:Body><d:ProbeMatches>` + body.String() + `</d:ProbeMatches></s:Body></s:Envelope>`
	m, err := Parse([]byte(in))
	if err != nil {
		t.Fatalf("Parse() error = %v", err)
	}
	if len(m.Matches) != 3 {
		t.Fatalf("Parse() matches = %d; want 3", len(m.Matches))
	}
	for i, mt := range m.Matches {
		n := string(rune('1' + i))
		checkEqual(t, "EPR", mt.EndpointRef, "urn:uuid:"+n)
		checkSlice(t, "XAddrs", mt.XAddrs, []string{"http://198.18.0." + n + "/onvif/device_service", "http://[fe80::1]/onvif/device_service"})
	}
}
