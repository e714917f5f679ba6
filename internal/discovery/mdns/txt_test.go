package mdns

import (
	"maps"
	"strings"
	"testing"
)

func TestParseTXT(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want map[string]string
	}{
		{"axis", []string{"macaddress=ACCC8E123456"}, map[string]string{"macaddress": "ACCC8E123456"}},
		{"empty record", []string{""}, nil},
		{"keys lower-cased", []string{"usb_MFG=HP", "usb_MDL=LaserJet Pro M404dn"}, map[string]string{"usb_mfg": "HP", "usb_mdl": "LaserJet Pro M404dn"}},
		{"boolean attribute", []string{"Color", "Duplex=T"}, map[string]string{"color": "", "duplex": "T"}},
		{"first occurrence wins", []string{"md=Bridge", "MD=Other"}, map[string]string{"md": "Bridge"}},
		{"value keeps equals", []string{"path=/a=b"}, map[string]string{"path": "/a=b"}},
		{"empty key skipped", []string{"=x", "a=1"}, map[string]string{"a": "1"}},
		{"non-printable key skipped", []string{"k\x00y=1", "ké=2"}, nil},
		{"control characters dropped", []string{"fn=Front\ndoor\x00"}, map[string]string{"fn": "Frontdoor"}},
		{"invalid utf-8 replaced", []string{"fn=Cam\xff"}, map[string]string{"fn": "Cam\uFFFD"}},
		{"utf-8 kept", []string{"fn=Caméra entrée"}, map[string]string{"fn": "Caméra entrée"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseTXT(tt.in); !maps.Equal(got, tt.want) {
				t.Errorf("ParseTXT(%q) = %v; want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseTXTBounds(t *testing.T) {
	var in []string
	for i := range 1000 {
		in = append(in, "k"+strings.Repeat("x", i%50)+string(rune('a'+i%26))+"="+strings.Repeat("v", 300))
	}
	got := ParseTXT(in)
	if len(got) > maxTXTPairs {
		t.Errorf("ParseTXT(1000 pairs) kept %d; want at most %d", len(got), maxTXTPairs)
	}
	for k, v := range got {
		if len(v) > maxTXTValueLen {
			t.Errorf("ParseTXT value of %q is %d bytes; want at most %d", k, len(v), maxTXTValueLen)
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name, service, instance string
		txt                     []string
		mac, mfr, model         string
	}{
		{"axis camera", "_axis-video._tcp", "AXIS M3045-V - ACCC8E123456", []string{"macaddress=ACCC8E123456"},
			"ac:cc:8e:12:34:56", "Axis", "M3045-V"},
		{"axis renamed", "_axis-video._tcp", "Lobby", []string{"macaddress=ACCC8E123456"},
			"ac:cc:8e:12:34:56", "Axis", ""},
		{"ipp printer usb", "_ipp._tcp", "HP LaserJet Pro M404dn [A1B2C3]", []string{
			"txtvers=1", "ty=HP LaserJet Pro M404dn", "usb_MFG=HP", "usb_MDL=LaserJet Pro M404dn", "product=(HP LaserJet Pro M404dn)"},
			"", "HP", "LaserJet Pro M404dn"},
		{"ipp printer ty only", "_ipp._tcp", "Office", []string{"ty=Brother HL-L2350DW series"},
			"", "Brother", "Brother HL-L2350DW series"},
		{"ipp printer product only", "_printer._tcp", "Office", []string{"product=(Xerox VersaLink C405)"},
			"", "Xerox", "Xerox VersaLink C405"},
		{"hap id is not a mac", "_hap._tcp", "Front Door", []string{"c#=2", "id=AA:BB:CC:DD:EE:03", "md=Video Doorbell", "ci=18"},
			"", "", "Video Doorbell"},
		{"generic keys", "_http._tcp", "io", []string{"Manufacturer=Moxa", "Model=ioLogik E1214", "MAC=00-90-E8-01-02-03"},
			"00:90:e8:01:02:03", "Moxa", "ioLogik E1214"},
		{"cisco dotted mac", "_http._tcp", "x", []string{"hwaddr=0090.e801.0203"}, "00:90:e8:01:02:03", "", ""},
		{"zero mac rejected", "_http._tcp", "x", []string{"mac=00:00:00:00:00:00"}, "", "", ""},
		{"workstation name", "_workstation._tcp", "nvr-1 [00:11:22:33:44:55]", nil, "00:11:22:33:44:55", "", ""},
		{"airplay deviceid", "_airplay._tcp", "Control room TV", []string{"deviceid=58:55:CA:1A:2B:3C", "model=AppleTV6,2"},
			"58:55:ca:1a:2b:3c", "", "AppleTV6,2"},
		{"raop name", "_raop._tcp", "5855CA1A2B3C@Control room", nil, "58:55:ca:1a:2b:3c", "", ""},
		{"googlecast", "_googlecast._tcp", "Chromecast-abc", []string{"md=Chromecast", "fn=Lobby"}, "", "Google", "Chromecast"},
		{"white space collapsed", "_http._tcp", "x", []string{"model=  AXIS   P1448-LE  "}, "", "Axis", "AXIS P1448-LE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mac, mfr, model := describe(tt.service, tt.instance, ParseTXT(tt.txt))
			if mac != tt.mac || mfr != tt.mfr || model != tt.model {
				t.Errorf("describe(%q, %q, %q) = %q, %q, %q; want %q, %q, %q",
					tt.service, tt.instance, tt.txt, mac, mfr, model, tt.mac, tt.mfr, tt.model)
			}
		})
	}
}

func TestNormalizeMAC(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ACCC8E123456", "ac:cc:8e:12:34:56"},
		{"ac:cc:8e:12:34:56", "ac:cc:8e:12:34:56"},
		{"AC-CC-8E-12-34-56", "ac:cc:8e:12:34:56"},
		{" accc.8e12.3456 ", "ac:cc:8e:12:34:56"},
		{"ACCC8E12345", ""},
		{"ACCC8E1234567", ""},
		{"ACCC8E12345G", ""},
		{"FFFFFFFFFFFF", ""},
		{"", ""},
		{"ac:cc:8e:12:34:56:78:9a", ""},
	}
	for _, tt := range tests {
		if got := NormalizeMAC(tt.in); got != tt.want {
			t.Errorf("NormalizeMAC(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
