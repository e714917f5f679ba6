package onvif

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestScopes(t *testing.T) {
	tests := []struct {
		name                    string
		in                      string
		nameV, hw, loc, mac, ty string
	}{
		{name: "axis percent-encoded, empty location",
			in:    "onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/hardware/Q6045-E onvif://www.onvif.org/name/AXIS%20Q6045-E onvif://www.onvif.org/location/",
			nameV: "AXIS Q6045-E", hw: "Q6045-E", ty: "video_encoder"},
		{name: "hikvision probe with MAC scope",
			in:    "onvif://www.onvif.org/name/HIKVISION onvif://www.onvif.org/location/city/hangzhou onvif://www.onvif.org/MAC/68:6d:bc:5c:b1:5d",
			nameV: "HIKVISION", loc: "city/hangzhou", mac: "68:6d:bc:5c:b1:5d"},
		{name: "pelco foreign scheme ignored",
			in: "urn:schemas-pelco-com:onvif:extensions:1 onvif://www.onvif.org/location/country/usa", loc: "country/usa"},
		{name: "case-insensitive prefix, bad escape kept",
			in: "ONVIF://WWW.ONVIF.ORG/Name/a%zz onvif://www.onvif.org/mac/bogus", nameV: "a%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Scopes(strings.Fields(tt.in))
			got := []string{s.Name(), s.Hardware(), s.Location(), s.MAC(), strings.Join(s.Values("type"), ",")}
			want := []string{tt.nameV, tt.hw, tt.loc, tt.mac, tt.ty}
			for i, f := range []string{"Name", "Hardware", "Location", "MAC", "Values(type)"} {
				if got[i] != want[i] {
					t.Errorf("Scopes(%q).%s() = %q; want %q", tt.in, f, got[i], want[i])
				}
			}
		})
	}
}

// TestPasswordDigest uses the worked example of the ONVIF Application
// Programmer's Guide (6.1.1.3).
func TestPasswordDigest(t *testing.T) {
	nonce, _ := base64.StdEncoding.DecodeString("LKqI6G/AikKCQrN0zqZFlg==")
	got := passwordDigest(nonce, "2010-09-16T07:50:45Z", "userpassword")
	if want := "tuOSpGlFlIXsozq4HFNeeGeFLEI="; got != want {
		t.Errorf("passwordDigest(...) = %q; want %q", got, want)
	}
}

func TestParseSystemDateAndTimeRejectsBadFields(t *testing.T) {
	for _, tt := range []struct{ name, date, time string }{
		{"month 13", "<tt:Year>2020</tt:Year><tt:Month>13</tt:Month><tt:Day>1</tt:Day>", "<tt:Hour>1</tt:Hour><tt:Minute>1</tt:Minute><tt:Second>1</tt:Second>"},
		{"feb 30", "<tt:Year>2020</tt:Year><tt:Month>2</tt:Month><tt:Day>30</tt:Day>", "<tt:Hour>1</tt:Hour><tt:Minute>1</tt:Minute><tt:Second>1</tt:Second>"},
		{"hour 24", "<tt:Year>2020</tt:Year><tt:Month>2</tt:Month><tt:Day>3</tt:Day>", "<tt:Hour>24</tt:Hour><tt:Minute>1</tt:Minute><tt:Second>1</tt:Second>"},
		{"missing minute", "<tt:Year>2020</tt:Year><tt:Month>2</tt:Month><tt:Day>3</tt:Day>", "<tt:Hour>2</tt:Hour><tt:Second>1</tt:Second>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := `<s:Envelope xmlns:s="` + nsSOAP12 + `" xmlns:tds="` + nsDevice + `" xmlns:tt="` + nsSchema + `"><s:Body>` +
				`<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:UTCDateTime><tt:Date>` + tt.date +
				`</tt:Date><tt:Time>` + tt.time + `</tt:Time></tt:UTCDateTime></tds:SystemDateAndTime>` +
				`</tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>`
			if got, err := parseSystemDateAndTime([]byte(body), ""); err == nil {
				t.Errorf("parseSystemDateAndTime(%s) = %+v, nil; want error", tt.name, got)
			}
		})
	}
}
