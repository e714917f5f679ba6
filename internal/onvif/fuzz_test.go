package onvif

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedFuzz adds every fixture whose name contains op (and every fault) to
// the corpus, so the fuzzer starts from real device output.
func seedFuzz(f *testing.F, op string) {
	names, _ := filepath.Glob(filepath.Join(fixtureDir, "*.xml"))
	for _, n := range names {
		if strings.Contains(n, op) || strings.Contains(n, "Fault") {
			if b, err := os.ReadFile(n); err == nil {
				f.Add(b, "")
			}
		}
	}
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`), "")
	f.Add([]byte(`<a/>`), "windows-1252")
}

// fuzzParser checks that a parser of untrusted device output never panics
// (nor hangs, which the fuzzer reports as a timeout).
func fuzzParser[T any](f *testing.F, op string, parse func([]byte, string) (T, error)) {
	seedFuzz(f, op)
	f.Fuzz(func(t *testing.T, body []byte, cs string) {
		_, _ = parse(body, cs)
	})
}

func FuzzParseSystemDateAndTime(f *testing.F) {
	fuzzParser(f, "GetSystemDateAndTime", parseSystemDateAndTime)
}

func FuzzParseDeviceInformation(f *testing.F) {
	fuzzParser(f, "GetDeviceInformation", parseDeviceInformation)
}

func FuzzParseNetworkInterfaces(f *testing.F) {
	fuzzParser(f, "GetNetworkInterfaces", parseNetworkInterfaces)
}

func FuzzParseScopes(f *testing.F) {
	fuzzParser(f, "GetScopes", parseScopes)
}

func FuzzParseServices(f *testing.F) {
	fuzzParser(f, "GetServices", parseServices)
}

func FuzzParseCapabilities(f *testing.F) {
	fuzzParser(f, "GetCapabilities", parseCapabilities)
}
