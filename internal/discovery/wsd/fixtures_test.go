package wsd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sitekeeper/internal/inventory"
)

// fixtureDir is ../shared/fixtures/onvif beside the repository.
const fixtureDir = "../../../../shared/fixtures/onvif"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if os.IsNotExist(err) {
		t.Skipf("fixture %s not found: shared/ must sit beside the repository (%s)", name, fixtureDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	nsWSDDHeaderTo = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
	actionPrefix   = "http://schemas.xmlsoap.org/ws/2005/04/discovery/"
)

// fixtureWant is what a discovery fixture must parse to.
type fixtureWant struct {
	kind      Kind
	header    Header
	epr       string
	types     []QName
	rawTypes  []string
	scopes    []string
	xaddrs    []string
	mv        uint64
	scopeInfo ScopeInfo
	class     inventory.Class
}

var (
	nvt       = QName{NSONVIFNetwork, "NetworkVideoTransmitter"}
	tdsDevice = QName{NSONVIFDevice, "Device"}
	wsdpDev   = QName{NSDevProf, "Device"}
	pubComp   = QName{NSPub, "Computer"}
)

var hikvisionWant = fixtureWant{
	kind:     KindProbeMatches,
	epr:      "urn:uuid:cea94000-fb96-11b3-8260-686dbc5cb15d",
	types:    []QName{nvt, tdsDevice},
	rawTypes: []string{"dn:NetworkVideoTransmitter", "tds:Device"},
	scopes: []string{"onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/Profile/Streaming",
		"onvif://www.onvif.org/MAC/68:6d:bc:5c:b1:5d", "onvif://www.onvif.org/hardware/DFI6256TE", "http:123"},
	xaddrs: []string{"http://192.168.12.123/onvif/device_service"},
	mv:     10,
	scopeInfo: ScopeInfo{Hardware: "DFI6256TE", MAC: "68:6d:bc:5c:b1:5d",
		Types: []string{"video_encoder"}, Profiles: []string{"Streaming"}},
	class: inventory.ClassCamera,
}

var tapoWant = fixtureWant{
	kind:     KindProbeMatches,
	epr:      "uuid:3fa1fe68-b915-4053-a3e1-c006c3afec0e",
	types:    []QName{nvt},
	rawTypes: []string{"tdn:NetworkVideoTransmitter"},
	scopes: []string{"onvif://www.onvif.org/name/TP-IPC", "onvif://www.onvif.org/hardware/MODEL",
		"onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/location/ShenZhen",
		"onvif://www.onvif.org/type/NetworkVideoTransmitter"},
	xaddrs: []string{"http://192.168.12.128:2020/onvif/device_service"},
	mv:     1,
	scopeInfo: ScopeInfo{Name: "TP-IPC", Hardware: "MODEL", Location: "ShenZhen",
		Types: []string{"NetworkVideoTransmitter"}, Profiles: []string{"Streaming"}},
	class: inventory.ClassCamera,
}

var fixtureWants = map[string]fixtureWant{
	"hikvision-ProbeMatch-nsfixed.xml":   hikvisionWant,
	"hikvision-ProbeMatch-nsless.xml":    hikvisionWant,
	"tplink-tapo-ProbeMatch-nsfixed.xml": tapoWant,
	"tplink-tapo-ProbeMatch-nsless.xml":  tapoWant,
	"videotec-predator-ProbeMatch-template.xml": {
		kind: KindProbeMatches,
		header: Header{Action: actionPrefix + "ProbeMatches", MessageID: "urn:uuid:01234567-dead-beef-baad-abcdeffedcba",
			RelatesTo: "RELATES_TO", To: nsWSDDHeaderTo, AppSequence: &AppSequence{InstanceID: 0, MessageNumber: 161}},
		epr:      "uuid:c9790c3a-701b-464d-a189-0060351c8ada",
		types:    []QName{nvt, tdsDevice},
		rawTypes: []string{"dn:NetworkVideoTransmitter", "tds:Device"},
		scopes: []string{"onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/type/video_encoder",
			"onvif://www.onvif.org/type/audio_encoder", "onvif://www.onvif.org/type/ptz",
			"onvif://www.onvif.org/hardware/HD_PREDATOR", "onvif://www.onvif.org/name/PREDATOR", "onvif://www.onvif.org/location/"},
		xaddrs: []string{"SERVICE_URI"},
		mv:     1,
		scopeInfo: ScopeInfo{Name: "PREDATOR", Hardware: "HD_PREDATOR",
			Types: []string{"video_encoder", "audio_encoder", "ptz"}, Profiles: []string{"Streaming"}},
		class: inventory.ClassCamera,
	},
	"wsdd-ProbeMatch.xml": {
		kind: KindProbeMatches,
		header: Header{Action: actionPrefix + "ProbeMatches", MessageID: "urn:uuid:fb8b1454-e9b5-11f1-9ffa-b29d5e50d81c",
			RelatesTo: "urn:uuid:15e4799a-19cf-4269-bf32-b9e4422e53fd", To: nsWSDDHeaderTo,
			AppSequence: &AppSequence{InstanceID: 1795710317, SequenceID: "urn:uuid:fb8b1648-e9b5-11f1-9ffa-b29d5e50d81c", MessageNumber: 1}},
		epr:      "urn:uuid:11111111-2222-3333-4444-555555555555",
		types:    []QName{wsdpDev, pubComp},
		rawTypes: []string{"wsdp:Device", "pub:Computer"},
		mv:       1,
		class:    inventory.ClassComputer,
	},
	"wsdd-ResolveMatch.xml": {
		kind: KindResolveMatches,
		header: Header{Action: actionPrefix + "ResolveMatches", MessageID: "urn:uuid:07cc6b1e-e9b6-11f1-9ffa-b29d5e50d81c",
			RelatesTo: "urn:uuid:027c4b4e-9ee8-4103-ab7d-72e42080f8bb", To: nsWSDDHeaderTo,
			AppSequence: &AppSequence{InstanceID: 1795710317, SequenceID: "urn:uuid:07cc6dc6-e9b6-11f1-9ffa-b29d5e50d81c", MessageNumber: 2}},
		epr:      "urn:uuid:11111111-2222-3333-4444-555555555555",
		types:    []QName{wsdpDev, pubComp},
		rawTypes: []string{"wsdp:Device", "pub:Computer"},
		xaddrs:   []string{"http://198.18.1.11:5357/11111111-2222-3333-4444-555555555555"},
		mv:       1,
		class:    inventory.ClassComputer,
	},
	"wsdd-Hello.xml": {
		kind: KindHello,
		header: Header{Action: actionPrefix + "Hello", MessageID: "urn:uuid:00a45842-e9b6-11f1-9e83-964b6237b6d0",
			To:          "urn:schemas-xmlsoap-org:ws:2005:04:discovery",
			AppSequence: &AppSequence{InstanceID: 1795710332, SequenceID: "urn:uuid:00a45964-e9b6-11f1-9e83-964b6237b6d0", MessageNumber: 0}},
		epr:    "urn:uuid:22222222-2222-3333-4444-555555555555",
		xaddrs: []string{"http://198.18.1.12:5357/22222222-2222-3333-4444-555555555555"},
		mv:     1,
		class:  inventory.ClassOther,
	},
	"wsdd-Bye.xml": {
		kind: KindBye,
		header: Header{Action: actionPrefix + "Bye", MessageID: "urn:uuid:024c4196-e9b6-11f1-9e83-964b6237b6d0",
			To:          "urn:schemas-xmlsoap-org:ws:2005:04:discovery",
			AppSequence: &AppSequence{InstanceID: 1795710332, SequenceID: "urn:uuid:024c43bc-e9b6-11f1-9e83-964b6237b6d0", MessageNumber: 1}},
		epr:   "urn:uuid:22222222-2222-3333-4444-555555555555",
		class: inventory.ClassOther,
	},
}

func TestParseFixtures(t *testing.T) {
	for name, want := range fixtureWants {
		t.Run(name, func(t *testing.T) {
			m, err := Parse(readFixture(t, name))
			if err != nil {
				t.Fatalf("Parse(%s) error = %v; want nil", name, err)
			}
			if m.Kind != want.kind || m.Version != NSDiscovery {
				t.Errorf("Parse(%s) kind, version = %v, %q; want %v, %q", name, m.Kind, m.Version, want.kind, NSDiscovery)
			}
			checkHeader(t, name, m.Header, want.header)
			if len(m.Matches) != 1 {
				t.Fatalf("Parse(%s) matches = %d; want 1", name, len(m.Matches))
			}
			mt := m.Matches[0]
			checkEqual(t, name+" EPR", mt.EndpointRef, want.epr)
			checkSlice(t, name+" Types", mt.Types, want.types)
			checkSlice(t, name+" RawTypes", mt.RawTypes, want.rawTypes)
			checkSlice(t, name+" Scopes", mt.Scopes, want.scopes)
			checkSlice(t, name+" XAddrs", mt.XAddrs, want.xaddrs)
			checkEqual(t, name+" MetadataVersion", mt.MetadataVersion, want.mv)
			si := mt.ScopeInfo()
			checkEqual(t, name+" scope name", si.Name, want.scopeInfo.Name)
			checkEqual(t, name+" scope hardware", si.Hardware, want.scopeInfo.Hardware)
			checkEqual(t, name+" scope location", si.Location, want.scopeInfo.Location)
			checkEqual(t, name+" scope MAC", si.MAC, want.scopeInfo.MAC)
			checkSlice(t, name+" scope types", si.Types, want.scopeInfo.Types)
			checkSlice(t, name+" scope profiles", si.Profiles, want.scopeInfo.Profiles)
			checkEqual(t, name+" class", mt.Class(), want.class)
		})
	}
}

// TestFixtureTableComplete fails when a discovery capture is added to the
// fixtures without expected values here.
func TestFixtureTableComplete(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.xml"))
	if len(files) == 0 {
		t.Skipf("no fixtures in %s: shared/ must sit beside the repository", fixtureDir)
	}
	for _, f := range files {
		base := filepath.Base(f)
		discovery := false
		for _, k := range []string{"ProbeMatch", "ResolveMatch", "Hello", "Bye"} {
			discovery = discovery || strings.Contains(base, k)
		}
		if _, ok := fixtureWants[base]; discovery && !ok {
			t.Errorf("fixture %s has no expected values in fixtureWants", base)
		}
	}
}

// TestParseOtherFixtures: the SOAP responses (GetScopes, Faults, the wsdd
// GetResponse) are well-formed envelopes but not WS-Discovery.
func TestParseOtherFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.xml"))
	if len(files) == 0 {
		t.Skipf("no fixtures in %s: shared/ must sit beside the repository", fixtureDir)
	}
	for _, f := range files {
		base := filepath.Base(f)
		if _, ok := fixtureWants[base]; ok {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(b)
		if err != nil || m.Kind != KindUnknown || len(m.Matches) != 0 {
			t.Errorf("Parse(%s) = %v, %d matches, %v; want Unknown, 0, nil", base, m.Kind, len(m.Matches), err)
		}
	}
}

func checkHeader(t *testing.T, name string, got, want Header) {
	t.Helper()
	gotSeq, wantSeq := got.AppSequence, want.AppSequence
	got.AppSequence, want.AppSequence = nil, nil
	checkEqual(t, name+" header", got, want)
	switch {
	case (gotSeq == nil) != (wantSeq == nil):
		t.Errorf("%s AppSequence = %v; want %v", name, gotSeq, wantSeq)
	case gotSeq != nil && *gotSeq != *wantSeq:
		t.Errorf("%s AppSequence = %+v; want %+v", name, *gotSeq, *wantSeq)
	}
}

func checkEqual[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %+v; want %+v", what, got, want)
	}
}

func checkSlice[T comparable](t *testing.T, what string, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v; want %v", what, got, want)
	}
}
