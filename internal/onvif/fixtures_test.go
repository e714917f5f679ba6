package onvif

import (
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fixtureDir holds the captured device responses; CI checks shared/ out
// beside the repository.
const fixtureDir = "../../../shared/fixtures/onvif"

// readFixture returns a fixture's bytes, skipping the test if the shared
// folder is not checked out.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("fixture %s not found: check out shared/ beside the repository (want %s)", name, fixtureDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parsers maps an operation to its response parser, boxed for the table.
var parsers = map[string]func([]byte, string) (any, error){
	"GetSystemDateAndTime": box(parseSystemDateAndTime),
	"GetDeviceInformation": box(parseDeviceInformation),
	"GetNetworkInterfaces": box(parseNetworkInterfaces),
	"GetScopes":            box(parseScopes),
	"GetServices":          box(parseServices),
	"GetCapabilities":      box(parseCapabilities),
}

func box[T any](f func([]byte, string) (T, error)) func([]byte, string) (any, error) {
	return func(b []byte, cs string) (any, error) { return f(b, cs) }
}

// fixtureCase is the expected parse of one fixture file: either want (a
// value of the parser's result type) or fault.
type fixtureCase struct {
	op    string
	want  any
	fault *Fault
}

// notOurs are fixtures for other packages (WS-Discovery, media service).
func notOurs(name string) bool {
	for _, s := range []string{"ProbeMatch", "wsdd-", "GetStreamUri", "GetSnapshotUri"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

func utc(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

var notAuthorized = &Fault{
	Code:    xml.Name{Space: nsSOAP12, Local: "Sender"},
	Subcode: xml.Name{Space: nsError, Local: "NotAuthorized"},
}

// fixtureCases lists every file in fixtureDir that this package parses.
// The network-side cases live in fixtures_net_test.go.
var fixtureCases = map[string]fixtureCase{
	"axis-GetDeviceInformation.xml": {op: "GetDeviceInformation", want: DeviceInfo{
		Manufacturer: "AXIS", Model: "AXIS Q6045-E", FirmwareVersion: "5.55.1.2",
		SerialNumber: "00408CFAB754", HardwareID: "1C9.2"}},
	"bosch-GetDeviceInformation.xml": {op: "GetDeviceInformation", want: DeviceInfo{
		Manufacturer: "Bosch", Model: "FLEXIDOME indoor 5100i IR", FirmwareVersion: "8.71.0066",
		SerialNumber: "404754734001050102", HardwareID: "F000B543"}},
	"hikvision-GetDeviceInformation.xml": {op: "GetDeviceInformation", want: DeviceInfo{
		Manufacturer: "HIKVISION", Model: "DS-2CD2012-I", FirmwareVersion: "V5.2.0 build 140721",
		SerialNumber: "DS-2CD2012-I20150201CCWR501088621", HardwareID: "88"}},
	"hikvision-ptz-GetDeviceInformation.xml": {op: "GetDeviceInformation", want: DeviceInfo{
		Manufacturer: "HIKVISION", Model: "DS-2DF7276-AEL", FirmwareVersion: "V5.1.6 build 140401",
		SerialNumber: "DS-2DF7276-AEL20140613CCWR468714298B", HardwareID: "88"}},
	"pelco-GetDeviceInformation.xml": {op: "GetDeviceInformation", want: DeviceInfo{
		Manufacturer: "Pelco", Model: "D6230L", FirmwareVersion: "2.9.0.4.9340-A0.0",
		SerialNumber: "J250117", HardwareID: "00:04:7d:0e:b8:5c"}},
	"trendnet-GetDeviceInformation.xml": {op: "GetDeviceInformation", want: DeviceInfo{
		Manufacturer: "TRENDnet", Model: "TV-IP320PI", FirmwareVersion: "V5.3.4 build 160830",
		SerialNumber: "TV-IP320PI20161206AAWR863642784", HardwareID: "88"}},

	"axis-GetSystemDateAndTime.xml": {op: "GetSystemDateAndTime", want: DateTime{
		Type: "Manual", DaylightSavings: true, TZ: "MST7MDT,M3.2.0,M11.1.0",
		UTC: utc(2018, 2, 27, 23, 9, 59), Local: utc(2018, 2, 27, 16, 9, 59)}},
	"bosch-GetSystemDateAndTime.xml": {op: "GetSystemDateAndTime", want: DateTime{
		Type: "Manual", DaylightSavings: true, TZ: "UTC5:0",
		UTC: utc(2023, 5, 24, 21, 25, 5)}},
	"hikvision-GetSystemDateAndTime.xml": {op: "GetSystemDateAndTime", want: DateTime{
		Type: "Manual", DaylightSavings: false, TZ: "CST7:00:00",
		UTC: utc(2018, 2, 27, 18, 34, 41), Local: utc(2018, 2, 27, 11, 34, 41)}},
	"hikvision-ptz-GetSystemDateAndTime.xml": {op: "GetSystemDateAndTime", want: DateTime{
		Type: "Manual", DaylightSavings: true, TZ: "CST7:00:00DST01:00:00,M3.2.0/02:00:00,M11.1.0/02:00:00",
		UTC: utc(2018, 2, 27, 18, 28, 1), Local: utc(2018, 2, 27, 11, 28, 1)}},
	"pelco-GetSystemDateAndTime.xml": {op: "GetSystemDateAndTime", want: DateTime{
		Type: "Manual", DaylightSavings: false, TZ: "MST7MDT,M3.2.0,M11.1.0",
		UTC: utc(2018, 2, 27, 18, 10, 11)}},
	"trendnet-GetSystemDateAndTime.xml": {op: "GetSystemDateAndTime", want: DateTime{
		Type: "NTP", DaylightSavings: true, TZ: "CST+7:00:00DST01:00:00,M3.2.0/02:00:00,M11.1.0/02:00:00",
		UTC: utc(2018, 2, 27, 18, 36, 51), Local: utc(2018, 2, 27, 11, 36, 51)}},

	"axis-Fault-NotAuthorized.xml": {op: "GetDeviceInformation", fault: &Fault{
		Code: notAuthorized.Code, Subcode: notAuthorized.Subcode, Reason: "Sender not authorized"}},
	"trendnet-Fault-NotAuthorized.xml": {op: "GetDeviceInformation", fault: &Fault{
		Code: notAuthorized.Code, Subcode: notAuthorized.Subcode,
		Reason: "The action requested requires authorization and the sender is not authorized"}},
	"axis-GetServices-Fault-ActionFailed.xml": {op: "GetServices", fault: &Fault{
		Code:    xml.Name{Space: nsSOAP12, Local: "Receiver"},
		Subcode: xml.Name{Space: nsError, Local: "Action"}, Reason: "Action failed"}},
}

// TestFixtures parses every captured response in fixtureDir that this
// package handles and compares it with the values written out above.
func TestFixtures(t *testing.T) {
	entries, err := os.ReadDir(fixtureDir)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not found: check out shared/ beside the repository to run the fixture tests", fixtureDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".xml") {
			continue
		}
		tc, ok := fixtureCases[name]
		if !ok {
			if !notOurs(name) {
				t.Errorf("fixture %s has no expected values in fixtureCases", name)
			}
			continue
		}
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			got, err := parsers[tc.op](readFixture(t, name), "")
			if tc.fault != nil {
				var f *Fault
				if !errors.As(err, &f) || !reflect.DeepEqual(f, tc.fault) {
					t.Fatalf("%s(%s) = %v, %#v; want fault %#v", tc.op, name, got, err, tc.fault)
				}
				wantNA := tc.fault.Subcode.Local == "NotAuthorized"
				if errors.Is(err, ErrNotAuthorized) != wantNA {
					t.Errorf("errors.Is(%v, ErrNotAuthorized) = %v; want %v", err, !wantNA, wantNA)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s(%s) error = %v; want nil", tc.op, name, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s(%s) =\n%#v\nwant\n%#v", tc.op, name, got, tc.want)
			}
		})
	}
	for name := range fixtureCases {
		if !seen[name] {
			t.Errorf("fixture %s listed in fixtureCases but missing from %s", name, fixtureDir)
		}
	}
}
