package health

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestCheckONVIF(t *testing.T) {
	capture, err := os.ReadFile("testdata/hikvision-GetSystemDateAndTime.xml")
	if err != nil {
		t.Fatal(err)
	}
	// The capture says 2018-02-27 18:34:41 UTC (Manual).
	deviceTime := time.Date(2018, 2, 27, 18, 34, 41, 0, time.UTC)
	reply := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		_, _ = w.Write(capture)
	}
	good := httpServer(t, reply)
	fault := httpServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/soap+xml")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">Sender not authorized</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`))
	})
	html := httpServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<html><body>login</body></html>"))
	})
	hang := listen(t, hangUp)

	tests := []struct {
		name      string
		xaddr     string
		ourClock  time.Time
		want      State
		contains  string
		wantDrift bool
	}{
		{"in time", good.URL + "/onvif/device_service", deviceTime.Add(time.Second), OK, "right to within", false},
		{"2 h ahead", good.URL + "/onvif/device_service", deviceTime.Add(-2 * time.Hour), Degraded, "2 h 0 min ahead", true},
		{"6 s behind", good.URL + "/onvif/device_service", deviceTime.Add(7 * time.Second), Degraded, "s behind", true},
		{"fault", fault.URL + "/onvif/device_service", deviceTime, OK, "would not tell its clock", false},
		{"not onvif", html.URL + "/onvif/device_service", deviceTime, Degraded, "not usably", false},
		{"hang", "http://127.0.0.1:" + itoa16(hang) + "/onvif/device_service", deviceTime, Degraded, "in time", false},
		{"closed", "http://127.0.0.1:" + itoa16(closedPort(t)) + "/onvif/device_service", deviceTime, Down, "refused", false},
		{"bad xaddr", "ftp://x", deviceTime, Unknown, "not usable", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := loopTarget(t)
			tg.Timeout = time.Second
			tg.XAddr = tt.xaddr
			tg.Now = func() time.Time { return tt.ourClock }
			r := CheckONVIF(context.Background(), tg)
			if r.State != tt.want || !strings.Contains(r.Detail, tt.contains) {
				t.Errorf("CheckONVIF = %v %q; want %v containing %q", r.State, r.Detail, tt.want, tt.contains)
			}
			if tt.wantDrift && !strings.Contains(r.Detail, "reliable evidence") {
				t.Errorf("CheckONVIF detail %q does not say why drift matters", r.Detail)
			}
		})
	}
}

func TestDriftWords(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{2 * time.Hour, "2 h 0 min ahead"},
		{-(90*time.Minute + 10*time.Second), "1 h 30 min behind"},
		{-6 * time.Second, "6 s behind"},
		{3*time.Minute + 4*time.Second, "3 min 4 s ahead"},
	} {
		if got := driftWords(tt.d); got != tt.want {
			t.Errorf("driftWords(%v) = %q; want %q", tt.d, got, tt.want)
		}
	}
}
