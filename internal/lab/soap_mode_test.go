//go:build linux

package lab

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/icholy/digest"

	"sitekeeper/internal/onvif"
)

// serveDevice serves device d with mode m on 127.0.0.1 (no lab needed)
// until t ends.
func serveDevice(t *testing.T, d Device, m DeviceMode) (*SOAPServers, *httptest.Server) {
	t.Helper()
	return serveDeviceAt(t, d, m, nil)
}

// serveDeviceAt is serveDevice with the true time given by now.
func serveDeviceAt(t *testing.T, d Device, m DeviceMode, now func() time.Time) (*SOAPServers, *httptest.Server) {
	t.Helper()
	dev := testDevice(t, d, m, now)
	s := &SOAPServers{devices: []*soapDevice{dev}}
	srv := httptest.NewServer(s.handler(dev))
	t.Cleanup(srv.Close)
	return s, srv
}

func testDevice(t *testing.T, d Device, m DeviceMode, now func() time.Time) *soapDevice {
	t.Helper()
	if err := m.check(); err != nil {
		t.Fatalf("mode %+v: %v", m, err)
	}
	dev, err := newSOAPDevice(d, m, now)
	if err != nil {
		t.Fatal(err)
	}
	return dev
}

func client(t *testing.T, srv *httptest.Server, user, pass string, timeout time.Duration) *onvif.Client {
	t.Helper()
	c, err := onvif.New(srv.URL+DeviceServicePath, onvif.Config{Username: user, Password: pass, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Device indexes by vendor: device i has Vendors()[i%4].
const (
	axisIndex      = 4 // gSOAP: refuses with 400
	hikvisionIndex = 5 // Hikvision family: refuses with 401
)

func TestSOAPClockSkew(t *testing.T) {
	now := time.Date(2026, 11, 26, 23, 30, 15, 0, time.UTC)
	for _, skew := range []time.Duration{0, 2 * time.Hour, -26 * time.Hour} {
		t.Run(skew.String(), func(t *testing.T) {
			_, srv := serveDeviceAt(t, device("sktx", axisIndex), DeviceMode{ClockSkew: skew}, func() time.Time { return now })
			dt, err := client(t, srv, "", "", 0).GetSystemDateAndTime(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if want := now.Add(skew); !dt.UTC.Equal(want) {
				t.Errorf("UTC = %v; want %v", dt.UTC, want)
			}
			// The Axis capture's local time is UTC-7 (MST); that stays.
			if want := now.Add(skew - 7*time.Hour); !dt.Local.Equal(want) {
				t.Errorf("Local = %v; want %v", dt.Local, want)
			}
		})
	}
}

// TestSOAPUsernameToken: the app's client, signing with the device's clock,
// gets in with the right password however far the device's clock is off;
// anonymous and wrong-password calls are refused as each vendor family
// refuses; GetSystemDateAndTime stays anonymous.
func TestSOAPUsernameToken(t *testing.T) {
	for _, tt := range []struct {
		name   string
		index  int
		skew   time.Duration
		status int
	}{
		{"axis", axisIndex, 0, http.StatusBadRequest},
		{"axis 2h fast", axisIndex, 2 * time.Hour, http.StatusBadRequest},
		{"hikvision 3h slow", hikvisionIndex, -3 * time.Hour, http.StatusUnauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := DeviceMode{Auth: AuthUsernameToken, Username: "admin", Password: "s3cret", ClockSkew: tt.skew}
			s, srv := serveDevice(t, device("sktx", tt.index), m)

			anon := client(t, srv, "", "", 0)
			if _, err := anon.GetSystemDateAndTime(t.Context()); err != nil {
				t.Errorf("anonymous GetSystemDateAndTime = %v; want answered", err)
			}
			if _, err := anon.GetDeviceInformation(t.Context()); !errors.Is(err, onvif.ErrNotAuthorized) {
				t.Errorf("anonymous GetDeviceInformation = %v; want ErrNotAuthorized", err)
			}
			status, body := post(t, srv, deviceInfoRequest(""), nil)
			if status != tt.status || !bytes.Contains(body, []byte("ter:NotAuthorized")) {
				t.Errorf("unsigned request: status %d, body %s; want %d and ter:NotAuthorized", status, body, tt.status)
			}
			info, err := client(t, srv, "admin", "s3cret", 0).GetDeviceInformation(t.Context())
			if err != nil || info.SerialNumber == "" {
				t.Errorf("right password: GetDeviceInformation = %+v, %v; want answered", info, err)
			}
			if _, err := client(t, srv, "admin", "wrong", 0).GetDeviceInformation(t.Context()); !errors.Is(err, onvif.ErrNotAuthorized) {
				t.Errorf("wrong password: GetDeviceInformation = %v; want ErrNotAuthorized", err)
			}
			got := s.Stats(0)
			if got.Challenged != 2 || got.Rejected != 1 || got.Accepted != 1 {
				t.Errorf("Stats = %+v; want 2 challenged, 1 rejected, 1 accepted", got)
			}
		})
	}
}

// utRequest is a GetDeviceInformation request signed with a UsernameToken
// built here, independently of internal/onvif.
func utRequest(user, pass, passType string, nonce []byte, created time.Time) string {
	c := created.UTC().Format("2006-01-02T15:04:05.000Z")
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(c))
	h.Write([]byte(pass))
	return deviceInfoRequest(fmt.Sprintf(`<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">`+
		`<wsse:UsernameToken><wsse:Username>%s</wsse:Username><wsse:Password Type="%s">%s</wsse:Password>`+
		`<wsse:Nonce>%s</wsse:Nonce><wsu:Created>%s</wsu:Created></wsse:UsernameToken></wsse:Security>`,
		user, passType, base64.StdEncoding.EncodeToString(h.Sum(nil)), base64.StdEncoding.EncodeToString(nonce), c))
}

func deviceInfoRequest(header string) string {
	return `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>` + header +
		`</s:Header><s:Body><tds:GetDeviceInformation xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`
}

// TestCheckUsernameToken is the verifier alone, on tokens made here.
func TestCheckUsernameToken(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	skew := 2 * time.Hour
	dev := testDevice(t, device("sktx", axisIndex), DeviceMode{Auth: AuthUsernameToken, Username: "admin", Password: "s3cret", ClockSkew: skew}, func() time.Time { return now })
	devNow := now.Add(skew)
	nonce := func(k byte) []byte { return bytes.Repeat([]byte{k}, 16) }
	tests := []struct {
		name string
		body string
		want error
	}{
		{"right, device clock", utRequest("admin", "s3cret", typePasswordDigest, nonce(1), devNow), nil},
		{"right, 4m59s ahead", utRequest("admin", "s3cret", typePasswordDigest, nonce(2), devNow.Add(4*time.Minute+59*time.Second)), nil},
		{"right, 4m59s behind", utRequest("admin", "s3cret", typePasswordDigest, nonce(3), devNow.Add(-4*time.Minute-59*time.Second)), nil},
		{"replayed nonce", utRequest("admin", "s3cret", typePasswordDigest, nonce(1), devNow), errReplay},
		{"wrong password", utRequest("admin", "S3cret", typePasswordDigest, nonce(4), devNow), errBadPassword},
		{"unknown user", utRequest("root", "s3cret", typePasswordDigest, nonce(5), devNow), errUnknownUser},
		{"stale: 6 min behind", utRequest("admin", "s3cret", typePasswordDigest, nonce(6), devNow.Add(-6*time.Minute)), errStale},
		{"stale: 6 min ahead", utRequest("admin", "s3cret", typePasswordDigest, nonce(7), devNow.Add(6*time.Minute)), errStale},
		{"signed with the PC clock", utRequest("admin", "s3cret", typePasswordDigest, nonce(8), now), errStale},
		{"password as text", utRequest("admin", "s3cret", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText", nonce(9), devNow), errBadToken},
		{"no token", deviceInfoRequest(""), errNoCredentials},
		{"not xml", "<s:Envelope", errBadToken},
	}
	for _, tt := range tests {
		if err := dev.checkUsernameToken([]byte(tt.body)); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: checkUsernameToken = %v; want %v", tt.name, err, tt.want)
		}
	}
}

func post(t *testing.T, srv *httptest.Server, body string, header http.Header) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+DeviceServicePath, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusUnauthorized && header != nil {
		header.Set("X-Challenge", resp.Header.Get("WWW-Authenticate"))
	}
	return resp.StatusCode, b
}

// TestSOAPDigest: HTTP Digest with the app's client and, for the refusals,
// with answers computed here.
func TestSOAPDigest(t *testing.T) {
	m := DeviceMode{Auth: AuthDigest, Username: "admin", Password: "s3cret"}
	s, srv := serveDevice(t, device("sktx", axisIndex), m)

	if _, err := client(t, srv, "", "", 0).GetSystemDateAndTime(t.Context()); err != nil {
		t.Errorf("anonymous GetSystemDateAndTime = %v; want answered", err)
	}
	h := http.Header{}
	status, body := post(t, srv, deviceInfoRequest(""), h)
	chal, err := digest.ParseChallenge(h.Get("X-Challenge"))
	if status != http.StatusUnauthorized || err != nil || !chal.SupportsQOP("auth") || chal.Algorithm != "MD5" || chal.Nonce == "" {
		t.Fatalf("anonymous: status %d, challenge %+v (%v); want 401 with an MD5 qop=auth challenge", status, chal, err)
	}
	if !bytes.Contains(body, []byte("ter:NotAuthorized")) {
		t.Errorf("anonymous: body %s; want the ter:NotAuthorized fault", body)
	}

	answer := func(pass, nonce, uri string) http.Header {
		c, err := digest.Digest(&digest.Challenge{Realm: chal.Realm, Nonce: nonce, Algorithm: "MD5", QOP: []string{"auth"}},
			digest.Options{Method: http.MethodPost, URI: uri, Username: "admin", Password: pass, Count: 1})
		if err != nil {
			t.Fatal(err)
		}
		return http.Header{"Authorization": {c.String()}}
	}
	for _, tt := range []struct {
		name   string
		header http.Header
		want   error
	}{
		{"right", answer("s3cret", chal.Nonce, DeviceServicePath), nil},
		{"wrong password", answer("S3cret", chal.Nonce, DeviceServicePath), errBadPassword},
		{"nonce never issued", answer("s3cret", "0123456789abcdef", DeviceServicePath), errUnknownNonce},
		{"other uri", answer("s3cret", chal.Nonce, "/elsewhere"), errBadToken},
		{"basic", http.Header{"Authorization": {"Basic YWRtaW46czNjcmV0"}}, errBadToken},
	} {
		req := httptest.NewRequest(http.MethodPost, DeviceServicePath, nil)
		req.Header = tt.header
		if err := s.devices[0].checkDigest(req); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: checkDigest = %v; want %v", tt.name, err, tt.want)
		}
	}

	if _, err := client(t, srv, "admin", "wrong", 0).GetDeviceInformation(t.Context()); !errors.Is(err, onvif.ErrNotAuthorized) {
		t.Errorf("wrong password: GetDeviceInformation = %v; want ErrNotAuthorized", err)
	}
	before := s.Stats(0)
	if info, err := client(t, srv, "admin", "s3cret", 0).GetDeviceInformation(t.Context()); err != nil || info.SerialNumber == "" {
		t.Errorf("right password: GetDeviceInformation = %+v, %v; want answered", info, err)
	}
	if after := s.Stats(0); after.Accepted != before.Accepted+1 || after.Rejected != before.Rejected {
		t.Errorf("right password: stats %+v -> %+v; want one more accepted, no more rejected", before, after)
	}
}

func TestSOAPDelay(t *testing.T) {
	const delay = 300 * time.Millisecond
	_, srv := serveDevice(t, device("sktx", axisIndex), DeviceMode{Delay: delay})
	start := time.Now()
	if _, err := client(t, srv, "", "", 5*time.Second).GetDeviceInformation(t.Context()); err != nil {
		t.Fatalf("GetDeviceInformation = %v", err)
	}
	if el := time.Since(start); el < delay {
		t.Errorf("answered after %v; want at least %v", el, delay)
	}
	if _, err := client(t, srv, "", "", delay/3).GetDeviceInformation(t.Context()); err == nil {
		t.Errorf("GetDeviceInformation with a %v timeout answered; want a timeout", delay/3)
	}
}

func TestSOAPHang(t *testing.T) {
	s, srv := serveDevice(t, device("sktx", axisIndex), DeviceMode{Hang: true})
	start := time.Now()
	_, err := client(t, srv, "", "", 200*time.Millisecond).GetSystemDateAndTime(t.Context())
	if err == nil {
		t.Fatal("GetSystemDateAndTime answered; want a timeout")
	}
	if el := time.Since(start); el > 5*time.Second { // loaded CI; the point is "not for ever"
		t.Errorf("gave up after %v; want about 200ms", el)
	}
	if st := s.Stats(0); st.Requests != 1 {
		t.Errorf("Stats = %+v; want the request read", st)
	}
}

func TestSOAPMalformed(t *testing.T) {
	for _, tt := range []struct {
		name string
		how  Malformation
	}{{"xml", MalformedXML}, {"truncated", MalformedTruncated}, {"content", MalformedContent}} {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := serveDevice(t, device("sktx", hikvisionIndex), DeviceMode{Malformed: tt.how})
			c := client(t, srv, "", "", time.Second)
			var fault *onvif.Fault
			for op, call := range map[string]func() error{
				"GetSystemDateAndTime": func() error { _, err := c.GetSystemDateAndTime(t.Context()); return err },
				"GetDeviceInformation": func() error { _, err := c.GetDeviceInformation(t.Context()); return err },
			} {
				err := call()
				if err == nil || errors.As(err, &fault) || errors.Is(err, onvif.ErrNotAuthorized) {
					t.Errorf("%s = %v; want an error that is no fault", op, err)
				}
			}
		})
	}
}

// TestNotAuthorizedFaultLikeCaptures: the refusals parse as the captured
// ones do.
func TestNotAuthorizedFaultLikeCaptures(t *testing.T) {
	for _, tt := range []struct{ capture string }{{"axis"}, {"trendnet"}} {
		data, err := os.ReadFile(filepath.Join(sharedFixtures, tt.capture+"-Fault-NotAuthorized.xml"))
		if errors.Is(err, os.ErrNotExist) {
			t.Skip("shared/ must sit beside the repository")
		}
		if err != nil {
			t.Fatal(err)
		}
		var v *Vendor
		for i := range Vendors() {
			if strings.EqualFold(Vendors()[i].Name, tt.capture) {
				v = &Vendors()[i]
			}
		}
		faultOf := func(body []byte) *onvif.Fault {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeSOAP(w, 400, body) }))
			defer srv.Close()
			_, err := client(t, srv, "", "", 0).GetDeviceInformation(t.Context())
			var f *onvif.Fault
			if !errors.As(err, &f) {
				t.Fatalf("%s: %v; want a fault", tt.capture, err)
			}
			return f
		}
		if got, want := faultOf(notAuthorizedFault(v)), faultOf(data); *got != *want {
			t.Errorf("%s: fault %+v; capture's %+v", tt.capture, got, want)
		}
	}
}
