package discovery

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/onvif"
)

// fixtures is ../shared/fixtures/onvif beside the repository.
const fixtures = "../../../shared/fixtures/onvif"

var reAction = regexp.MustCompile(`<(?:[\w.-]+:)?Body[^>]*>\s*<(?:[\w.-]+:)?(\w+)`)

// fixtureDevice replays one vendor's captures on 127.0.0.1. needAuth makes
// it answer GetDeviceInformation and GetNetworkInterfaces with the captured
// NotAuthorized fault unless the request carries a UsernameToken; hang makes
// GetDeviceInformation never answer.
type fixtureDevice struct {
	vendor   string
	needAuth bool
	hang     bool
	// user, when set, is the only user name needAuth accepts; tries counts
	// the requests that carried a UsernameToken; sent, when set, records
	// their user names.
	user  string
	tries *atomic.Int32
	sent  *userLog
}

// userLog is the user names a fake device was sent, in order.
type userLog struct {
	mu    sync.Mutex
	names []string
}

func (l *userLog) add(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, name)
}

func (l *userLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.names)
}

var reUsername = regexp.MustCompile(`<(?:[\w.-]+:)?Username>([^<]*)<`)

// authorized reports whether a request body carries an acceptable token.
func (f fixtureDevice) authorized(body string) bool {
	if !strings.Contains(body, "UsernameToken") {
		return false
	}
	if f.tries != nil {
		f.tries.Add(1)
	}
	if f.sent != nil {
		if m := reUsername.FindStringSubmatch(body); m != nil {
			f.sent.add(m[1])
		}
	}
	return f.user == "" || strings.Contains(body, ">"+f.user+"</")
}

func (f fixtureDevice) start(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body bytes.Buffer
		if _, err := body.ReadFrom(http.MaxBytesReader(w, r.Body, 1<<16)); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		m := reAction.FindStringSubmatch(body.String())
		if m == nil {
			http.Error(w, "no action", http.StatusBadRequest)
			return
		}
		action := m[1]
		file := f.vendor + "-" + action + ".xml"
		status := http.StatusOK
		switch {
		case f.hang && action == "GetDeviceInformation":
			<-r.Context().Done()
			return
		case f.needAuth && action != "GetSystemDateAndTime" && !f.authorized(body.String()):
			file, status = "trendnet-Fault-NotAuthorized.xml", http.StatusBadRequest
		}
		data, err := os.ReadFile(filepath.Join(fixtures, file))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		w.WriteHeader(status)
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func requireFixtures(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(fixtures); err != nil {
		t.Skipf("no %s: shared/ must sit beside the repository", fixtures)
	}
}

// result is the WS-Discovery result of a device at srv, as the scanner
// would report it, with vendor's scopes.
func result(t *testing.T, srv *httptest.Server, scopes ...string) wsd.Result {
	t.Helper()
	m := wsd.Match{
		EndpointRef: "urn:uuid:11111111-2222-3333-4444-555555555555",
		Types:       []wsd.QName{wsd.TypeNetworkVideoTransmitter.QName()},
		Scopes:      scopes,
		XAddrs:      []string{"http://[fe80::1]/onvif/device_service", srv.URL + "/onvif/device_service"},
	}
	return wsd.Result{
		Match:     m,
		From:      netip.MustParseAddrPort("127.0.0.1:3702"),
		Interface: "eth7",
		Class:     m.Class(),
		Scope:     m.ScopeInfo(),
	}
}

func TestIdentify(t *testing.T) {
	requireFixtures(t)
	tests := []struct {
		vendor string
		want   inventory.Discovered
	}{
		{"axis", inventory.Discovered{Manufacturer: "AXIS", Model: "AXIS Q6045-E", Firmware: "5.55.1.2", Serial: "00408CFAB754", HardwareID: "1C9.2", MAC: "00:40:8c:fa:b7:54"}},
		{"hikvision", inventory.Discovered{Manufacturer: "HIKVISION", Model: "DS-2CD2012-I", Firmware: "V5.2.0 build 140721", Serial: "DS-2CD2012-I20150201CCWR501088621", HardwareID: "88", MAC: "c0:56:e3:f9:55:68"}},
		{"pelco", inventory.Discovered{Manufacturer: "Pelco", Model: "D6230L", Firmware: "2.9.0.4.9340-A0.0", Serial: "J250117", HardwareID: "00:04:7d:0e:b8:5c", MAC: "00:04:7d:0e:b8:5c"}},
		{"trendnet", inventory.Discovered{Manufacturer: "TRENDnet", Model: "TV-IP320PI", Firmware: "V5.3.4 build 160830", Serial: "TV-IP320PI20161206AAWR863642784", HardwareID: "88", MAC: "3c:8c:f8:a1:32:dc"}},
	}
	for _, tt := range tests {
		t.Run(tt.vendor, func(t *testing.T) {
			srv := fixtureDevice{vendor: tt.vendor}.start(t)
			r := result(t, srv)
			d := NewIdentifier(IdentifyConfig{}).Identify(t.Context(), r)
			if d.Err != nil || d.NeedsCredentials || d.NoAnswer {
				t.Fatalf("Identify() err %v, needs credentials %v, no answer %v; want identified", d.Err, d.NeedsCredentials, d.NoAnswer)
			}
			got := d.Discovered
			if got.Manufacturer != tt.want.Manufacturer || got.Model != tt.want.Model || got.Firmware != tt.want.Firmware ||
				got.Serial != tt.want.Serial || got.HardwareID != tt.want.HardwareID || got.MAC != tt.want.MAC {
				t.Errorf("Identify() = %q %q %q %q %q %q; want %q %q %q %q %q %q",
					got.Manufacturer, got.Model, got.Firmware, got.Serial, got.HardwareID, got.MAC,
					tt.want.Manufacturer, tt.want.Model, tt.want.Firmware, tt.want.Serial, tt.want.HardwareID, tt.want.MAC)
			}
			if !slices.Equal(got.Sources, []string{"wsd", "onvif"}) || !slices.Equal(got.IPs, []string{"127.0.0.1"}) ||
				got.Interface != "eth7" || got.Class != inventory.ClassCamera || got.EndpointRef != r.Match.EndpointRef ||
				!slices.Equal(got.XAddrs, r.Match.XAddrs) {
				t.Errorf("Identify() sources %q ips %q iface %q class %q epr %q xaddrs %q; want wsd+onvif, 127.0.0.1, eth7, camera, %s, %q",
					got.Sources, got.IPs, got.Interface, got.Class, got.EndpointRef, got.XAddrs, r.Match.EndpointRef, r.Match.XAddrs)
			}
		})
	}
}

var hikScopes = []string{
	"onvif://www.onvif.org/type/video_encoder",
	"onvif://www.onvif.org/name/HIKVISION%20DS-2CD2012-I",
	"onvif://www.onvif.org/hardware/DS-2CD2012-I",
	"onvif://www.onvif.org/MAC/c0:56:e3:f9:55:68",
}

func TestIdentifyNotAuthorized(t *testing.T) {
	requireFixtures(t)
	srv := fixtureDevice{vendor: "hikvision", needAuth: true}.start(t)
	d := NewIdentifier(IdentifyConfig{}).Identify(t.Context(), result(t, srv, hikScopes...))
	if !d.NeedsCredentials || d.NoAnswer || !errors.Is(d.Err, onvif.ErrNotAuthorized) {
		t.Fatalf("Identify() needs credentials %v, no answer %v, err %v; want true, false, ErrNotAuthorized", d.NeedsCredentials, d.NoAnswer, d.Err)
	}
	// What WS-Discovery said is kept.
	if d.Model != "DS-2CD2012-I" || d.MAC != "c0:56:e3:f9:55:68" || d.Manufacturer != "" || !slices.Equal(d.Sources, []string{"wsd"}) {
		t.Errorf("Identify() model %q mac %q manufacturer %q sources %q; want DS-2CD2012-I, c0:56:e3:f9:55:68, \"\", [wsd]", d.Model, d.MAC, d.Manufacturer, d.Sources)
	}

	// With credentials it is identified.
	d = NewIdentifier(IdentifyConfig{Credentials: []Credential{{"admin", "12345"}}}).Identify(t.Context(), result(t, srv, hikScopes...))
	if d.Err != nil || d.Manufacturer != "HIKVISION" || d.MAC != "c0:56:e3:f9:55:68" {
		t.Errorf("Identify(with credentials) err %v manufacturer %q mac %q; want nil, HIKVISION, c0:56:e3:f9:55:68", d.Err, d.Manufacturer, d.MAC)
	}
}

func TestIdentifyHang(t *testing.T) {
	requireFixtures(t)
	srv := fixtureDevice{vendor: "hikvision", hang: true}.start(t)
	start := time.Now()
	d := NewIdentifier(IdentifyConfig{CallTimeout: 200 * time.Millisecond}).Identify(t.Context(), result(t, srv, hikScopes...))
	if el := time.Since(start); el > 10*time.Second { // generous: CI is loaded; a hang would be minutes
		t.Errorf("Identify() took %v; want about the 200ms call timeout", el)
	}
	if !d.NoAnswer || d.NeedsCredentials || d.Err == nil {
		t.Fatalf("Identify() no answer %v, needs credentials %v, err %v; want true, false, a timeout", d.NoAnswer, d.NeedsCredentials, d.Err)
	}
	if d.Model != "DS-2CD2012-I" || d.MAC != "c0:56:e3:f9:55:68" || !slices.Equal(d.IPs, []string{"127.0.0.1"}) {
		t.Errorf("Identify() model %q mac %q ips %q; want the WS-Discovery values", d.Model, d.MAC, d.IPs)
	}
}

func TestIdentifyNoXAddr(t *testing.T) {
	r := wsd.Result{Match: wsd.Match{EndpointRef: "urn:uuid:x"}, From: netip.MustParseAddrPort("127.0.0.1:3702")}
	d := NewIdentifier(IdentifyConfig{}).Identify(context.Background(), r)
	if d.Err == nil || d.NoAnswer || d.NeedsCredentials || d.EndpointRef != "urn:uuid:x" {
		t.Errorf("Identify(no xaddrs) = %+v; want a partial result with Err", d)
	}
}

func TestPickMAC(t *testing.T) {
	ifs := []onvif.NetworkInterface{
		{Name: "eth0", Enabled: false, MAC: "00:00:00:00:00:01", IPv4: []onvif.Address{{Prefix: netip.MustParsePrefix("10.0.0.5/24")}}},
		{Name: "eth1", Enabled: true, MAC: "00:00:00:00:00:02", IPv4: []onvif.Address{{Prefix: netip.MustParsePrefix("10.0.1.5/24")}}},
		{Name: "eth2", Enabled: true, MAC: "00:00:00:00:00:03", IPv4: []onvif.Address{{Prefix: netip.MustParsePrefix("10.0.2.5/24")}}},
	}
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"source matches", "10.0.2.5", "00:00:00:00:00:03"},
		{"source matches a disabled one", "10.0.0.5", "00:00:00:00:00:01"},
		{"no match: first enabled", "192.0.2.1", "00:00:00:00:00:02"},
	}
	for _, tt := range tests {
		if got := pickMAC(ifs, netip.MustParseAddr(tt.src)); got != tt.want {
			t.Errorf("%s: pickMAC(%s) = %s; want %s", tt.name, tt.src, got, tt.want)
		}
	}
}

// TestIdentifyCredentialTries: a device is asked with at most
// MaxCredentialTries credentials (accounts lock after a few failures), and
// the credential that worked on one device goes first on the next.
func TestIdentifyCredentialTries(t *testing.T) {
	requireFixtures(t)
	creds := []Credential{{"a", "x"}, {"b", "x"}, {"c", "x"}, {"d", "x"}, {"e", "x"}}

	var tries atomic.Int32
	locked := fixtureDevice{vendor: "hikvision", needAuth: true, user: "e", tries: &tries}.start(t)
	d := NewIdentifier(IdentifyConfig{Credentials: creds}).Identify(t.Context(), result(t, locked, hikScopes...))
	if !d.NeedsCredentials || tries.Load() != MaxCredentialTries {
		t.Errorf("a device that takes only the 5th credential: needs credentials %v after %d tries; want true after %d", d.NeedsCredentials, tries.Load(), MaxCredentialTries)
	}

	id := NewIdentifier(IdentifyConfig{Credentials: creds})
	var first, second atomic.Int32
	if d := id.Identify(t.Context(), result(t, fixtureDevice{vendor: "hikvision", needAuth: true, user: "b", tries: &first}.start(t), hikScopes...)); d.Err != nil {
		t.Fatalf("first device: %v", d.Err)
	}
	if d := id.Identify(t.Context(), result(t, fixtureDevice{vendor: "hikvision", needAuth: true, user: "b", tries: &second}.start(t), hikScopes...)); d.Err != nil {
		t.Fatalf("second device: %v", d.Err)
	}
	// The first device cost a and b for GetDeviceInformation; the second
	// starts with b. (GetNetworkInterfaces adds one signed call each.)
	if first.Load() != 3 || second.Load() != 2 {
		t.Errorf("signed requests: first device %d, second %d; want 3 and 2", first.Load(), second.Load())
	}
}

// TestIdentifyCredentialsFor: with CredentialsFor each device is asked
// with its own list, told what WS-Discovery said of it; the login that
// last worked goes first on a device whose list holds it and is never sent
// to one whose list does not.
func TestIdentifyCredentialsFor(t *testing.T) {
	requireFixtures(t)
	a, b, c, d := Credential{"a", "x"}, Credential{"b", "x"}, Credential{"c", "x"}, Credential{"d", "x"}
	lists := map[string][]Credential{} // by endpoint reference
	var asked []inventory.Discovered
	var mu sync.Mutex
	id := NewIdentifier(IdentifyConfig{
		Credentials: []Credential{a}, // replaced by CredentialsFor
		CredentialsFor: func(dd inventory.Discovered) []Credential {
			mu.Lock()
			defer mu.Unlock()
			asked = append(asked, dd)
			return lists[dd.EndpointRef]
		},
	})
	identify := func(name, user string, list []Credential) (Device, []string) {
		t.Helper()
		var sent userLog
		srv := fixtureDevice{vendor: "hikvision", needAuth: true, user: user, sent: &sent}.start(t)
		r := result(t, srv, hikScopes...)
		r.Match.EndpointRef = "urn:uuid:" + name
		mu.Lock()
		lists[r.Match.EndpointRef] = list
		mu.Unlock()
		return id.Identify(t.Context(), r), sent.get()
	}
	// GetDeviceInformation until one is accepted, then GetNetworkInterfaces
	// with the accepted one.
	for _, tc := range []struct {
		name, user string
		list       []Credential
		wantSent   []string
		wantOK     bool
	}{
		{"first", "b", []Credential{a, b}, []string{"a", "b", "b"}, true},
		// b worked last: it goes first where the list holds it...
		{"holds b", "b", []Credential{c, d, b}, []string{"b", "b"}, true},
		// ...and is not sent where the list does not.
		{"without b", "d", []Credential{c, d}, []string{"c", "d", "d"}, true},
		// d worked last; an empty list is anonymous only.
		{"empty list", "d", nil, nil, false},
		// Never more than MaxCredentialTries, the last good one included.
		{"long list", "z", []Credential{a, b, c, {"e", "x"}, d}, []string{"d", "a", "b"}, false},
	} {
		got, sent := identify(tc.name, tc.user, tc.list)
		if ok := got.Err == nil && got.Manufacturer == "HIKVISION"; ok != tc.wantOK || got.NeedsCredentials == tc.wantOK {
			t.Errorf("%s: identified %v, needs credentials %v (err %v); want identified %v", tc.name, ok, got.NeedsCredentials, got.Err, tc.wantOK)
		}
		if !slices.Equal(sent, tc.wantSent) {
			t.Errorf("%s: users sent %q; want %q", tc.name, sent, tc.wantSent)
		}
	}

	// CredentialsFor is told what WS-Discovery said, and only asked for a
	// device that refused.
	if len(asked) != 5 {
		t.Fatalf("CredentialsFor called %d times; want 5, once per device that refused", len(asked))
	}
	if dd := asked[0]; dd.EndpointRef != "urn:uuid:first" || dd.MAC != "c0:56:e3:f9:55:68" || !slices.Equal(dd.IPs, []string{"127.0.0.1"}) {
		t.Errorf("CredentialsFor(%q %q %q); want urn:uuid:first, the MAC of the scopes, 127.0.0.1", dd.EndpointRef, dd.MAC, dd.IPs)
	}
	open := fixtureDevice{vendor: "axis"}.start(t)
	if got := id.Identify(t.Context(), result(t, open)); got.Err != nil || len(asked) != 5 {
		t.Errorf("a device that answers anonymously: err %v, CredentialsFor called %d times in all; want nil, still 5", got.Err, len(asked))
	}
}

func TestCredentialTries(t *testing.T) {
	a, b, c, d, e := Credential{"a", "1"}, Credential{"b", "2"}, Credential{"c", "3"}, Credential{"d", "4"}, Credential{"e", "5"}
	for _, tc := range []struct {
		name  string
		creds []Credential
		good  *Credential
		want  []Credential
	}{
		{"none", nil, &a, []Credential{}},
		{"no good yet", []Credential{a, b}, nil, []Credential{a, b}},
		{"good first", []Credential{a, b, c}, &c, []Credential{c, a, b}},
		{"good absent", []Credential{a, b}, &c, []Credential{a, b}},
		{"at most three", []Credential{a, b, c, d, e}, nil, []Credential{a, b, c}},
		{"good last of five", []Credential{a, b, c, d, e}, &e, []Credential{e, a, b}},
		{"same user, other password", []Credential{{"a", "9"}, b}, &a, []Credential{{"a", "9"}, b}},
		{"repeats once", []Credential{a, a, b, a, c, d}, nil, []Credential{a, b, c}},
	} {
		if got := credentialTries(tc.creds, tc.good); !slices.Equal(got, tc.want) {
			t.Errorf("%s: credentialTries(%v, %v) = %v; want %v", tc.name, tc.creds, tc.good, got, tc.want)
		}
	}
}

func TestPickXAddr(t *testing.T) {
	xaddrs := []string{"http://198.18.1.10/onvif/device_service", "http://[fe80::198:18:1:10]/onvif/device_service", "https://[fe80::198:18:1:10]:8443/onvif/device_service"}
	for _, tc := range []struct {
		from   string
		xaddrs []string
		want   string
	}{
		{"198.18.1.10:3702", xaddrs, xaddrs[0]},
		{"[::ffff:198.18.1.10]:3702", xaddrs, xaddrs[0]},
		{"[fe80::198:18:1:10%eth0]:3702", xaddrs, "http://[fe80::198:18:1:10%25eth0]/onvif/device_service"},
		{"[fe80::198:18:1:10%eth0]:3702", xaddrs[2:], "https://[fe80::198:18:1:10%25eth0]:8443/onvif/device_service"},
		// Another host's address is never asked.
		{"198.18.1.11:3702", xaddrs, ""},
		{"[fe80::1%eth0]:3702", xaddrs, ""},
		{"198.18.1.10:3702", []string{"ftp://198.18.1.10/", "http:///x", "%zz"}, ""},
	} {
		r := wsd.Result{Match: wsd.Match{XAddrs: tc.xaddrs}, From: netip.MustParseAddrPort(tc.from)}
		if got := pickXAddr(r); got != tc.want {
			t.Errorf("pickXAddr(from %s, %q) = %q; want %q", tc.from, tc.xaddrs, got, tc.want)
		}
	}
	r := wsd.Result{From: netip.MustParseAddrPort("[fe80::198:18:1:10%eth0]:3702")}
	if ips := fromWSD(r).IPs; len(ips) != 1 || ips[0] != "fe80::198:18:1:10" {
		t.Errorf("fromWSD IPs = %q; want the link-local address without its zone", ips)
	}
}
