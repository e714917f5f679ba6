package wsd

import (
	"bytes"
	"os"
	"regexp"
	"testing"
)

const testID = "urn:uuid:00000000-1111-4222-8333-444444444444"

// The golden files are lab/wsd_probe.py's probe_xml output for the same
// message ID, generated without sending anything.
func TestProbeMatchesReferenceProber(t *testing.T) {
	tests := []struct {
		name  string
		types []Type
		file  string
	}{
		{"NetworkVideoTransmitter", []Type{TypeNetworkVideoTransmitter}, "testdata/probe-nvt.golden"},
		{"ONVIFDevice", []Type{TypeONVIFDevice}, "testdata/probe-tds.golden"},
		{"WSDPDevice", []Type{TypeWSDPDevice}, "testdata/probe-wsdp.golden"},
		{"generic", nil, "testdata/probe-none.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if got := Probe(tt.types, testID); !bytes.Equal(got, want) {
				t.Errorf("Probe(%v) =\n%s\nwant\n%s", tt.types, got, want)
			}
		})
	}
}

func TestProbeWSDPExactTypes(t *testing.T) {
	got := Probe([]Type{TypeWSDPDevice}, testID)
	for _, want := range []string{`<d:Types>wsdp:Device</d:Types>`, `xmlns:wsdp="http://schemas.xmlsoap.org/ws/2006/02/devprof"`} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("Probe(wsdp) lacks %s", want)
		}
	}
	if bytes.Contains(got, []byte("Scopes")) {
		t.Errorf("Probe(wsdp) carries Scopes; wsdd ignores such probes")
	}
}

func TestProbeRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		types []Type
		want  []QName
		raw   []string
	}{
		{"nvt", []Type{TypeNetworkVideoTransmitter}, []QName{nvt}, []string{"dn:NetworkVideoTransmitter"}},
		{"tds", []Type{TypeONVIFDevice}, []QName{tdsDevice}, []string{"tds:Device"}},
		{"wsdp", []Type{TypeWSDPDevice}, []QName{wsdpDev}, []string{"wsdp:Device"}},
		{"two", []Type{TypeNetworkVideoTransmitter, TypeONVIFDevice}, []QName{nvt, tdsDevice}, []string{"dn:NetworkVideoTransmitter", "tds:Device"}},
		{"unknown type skipped", []Type{Type(99), TypeWSDPDevice}, []QName{wsdpDev}, []string{"wsdp:Device"}},
		{"generic", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(Probe(tt.types, testID))
			if err != nil {
				t.Fatalf("Parse(Probe(%v)) error = %v", tt.types, err)
			}
			if m.Kind != KindProbe || m.Header.MessageID != testID || m.Header.Action != actionPrefix+"Probe" || len(m.Matches) != 1 {
				t.Fatalf("Parse(Probe(%v)) = %+v; want one Probe with ID %s", tt.types, m, testID)
			}
			checkSlice(t, "Types", m.Matches[0].Types, tt.want)
			checkSlice(t, "RawTypes", m.Matches[0].RawTypes, tt.raw)
		})
	}
}

func TestResolveRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		epr  string
	}{
		{"wsdd", "urn:uuid:11111111-2222-3333-4444-555555555555"},
		{"tapo without urn", "uuid:3fa1fe68-b915-4053-a3e1-c006c3afec0e"},
		{"hostile markup", `x</a:Address><evil attr="1">&amp;`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(Resolve(tt.epr, testID))
			if err != nil {
				t.Fatalf("Parse(Resolve(%q)) error = %v", tt.epr, err)
			}
			if m.Kind != KindResolve || len(m.Matches) != 1 || m.Header.Action != actionPrefix+"Resolve" {
				t.Fatalf("Parse(Resolve(%q)) = %+v; want one Resolve", tt.epr, m)
			}
			checkEqual(t, "Resolve EPR", m.Matches[0].EndpointRef, tt.epr)
			checkEqual(t, "Resolve MessageID", m.Header.MessageID, testID)
		})
	}
}

func TestNewMessageID(t *testing.T) {
	re := regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := make(map[string]bool)
	for range 1000 {
		id := NewMessageID()
		if !re.MatchString(id) {
			t.Fatalf("NewMessageID() = %q; want urn:uuid: and a v4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("NewMessageID() repeated %q", id)
		}
		seen[id] = true
	}
}
