package wsd

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error wraps
// ErrMalformed, that a parsed message has a coherent shape, and that a
// parsed endpoint reference survives a Resolve round trip.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(wsddHello))
	f.Add(Probe([]Type{TypeNetworkVideoTransmitter, TypeONVIFDevice}, testID))
	f.Add(Resolve("urn:uuid:1", testID))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + envelope("<Hello/>")))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Parse(in)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse() error = %v; want it to wrap ErrMalformed", err)
			}
			return
		}
		switch m.Kind {
		case KindHello, KindBye, KindProbe, KindResolve:
			if len(m.Matches) != 1 {
				t.Fatalf("Parse() %v with %d matches; want 1", m.Kind, len(m.Matches))
			}
		case KindUnknown:
			if len(m.Matches) != 0 {
				t.Fatalf("Parse() Unknown with %d matches; want 0", len(m.Matches))
			}
		}
		for _, mt := range m.Matches {
			if len(mt.Types) != len(mt.RawTypes) {
				t.Fatalf("Parse() %d Types, %d RawTypes; want equal", len(mt.Types), len(mt.RawTypes))
			}
			_ = mt.Class()
			r, err := Parse(Resolve(mt.EndpointRef, testID))
			if err != nil || len(r.Matches) != 1 || r.Matches[0].EndpointRef != mt.EndpointRef {
				t.Fatalf("Parse(Resolve(%q)) = %+v, %v; want the same EPR", mt.EndpointRef, r.Matches, err)
			}
		}
	})
}

func BenchmarkParseProbeMatch(b *testing.B) {
	in := readFixture(b, "hikvision-ProbeMatch-nsfixed.xml")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseWSDDProbeMatch(b *testing.B) {
	in := readFixture(b, "wsdd-ProbeMatch.xml")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}
