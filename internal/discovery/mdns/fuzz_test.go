package mdns

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/miekg/dns"
)

// txtSeeds are TXT records as devices publish them (avahi lab peers,
// IPP Everywhere and AirPrint printers, HomeKit, Chromecast).
var txtSeeds = [][]string{
	{"macaddress=ACCC8E123456"},
	{"path=/axis-media/media.amp"},
	{""},
	{"txtvers=1", "qtotal=1", "rp=ipp/print", "ty=HP LaserJet Pro M404dn", "product=(HP LaserJet Pro M404dn)",
		"usb_MFG=HP", "usb_MDL=LaserJet Pro M404dn", "pdl=application/pdf,image/urf", "Color=F", "Duplex=T",
		"UUID=564e4333-4d30-3837-3437-a0b3cc123456", "URF=CP1,IS1,MT1-2-8-9-10-11,OB10,PQ4,RS600,V1.4,W8"},
	{"c#=2", "ff=0", "id=AA:BB:CC:DD:EE:03", "md=Bridge", "s#=1", "sf=1", "ci=2"},
	{"id=4d0ef4d2b8b4c8b5", "cd=4E0A5C9B", "rm=", "ve=05", "md=Chromecast", "ic=/setup/icon.png", "fn=Lobby TV", "ca=201221", "st=0", "bs=FA8FCA8D5C1A", "nf=1", "rs="},
	{"deviceid=58:55:CA:1A:2B:3C", "features=0x5A7FFFF7,0x1E", "model=AppleTV6,2", "srcvers=220.68"},
}

// wireTXT encodes strs as TXT RDATA: length-prefixed character-strings.
func wireTXT(strs []string) []byte {
	var b []byte
	for _, s := range strs {
		b = append(b, byte(len(s)))
		b = append(b, s[:min(len(s), 255)]...)
	}
	return b
}

// splitTXT decodes TXT RDATA leniently: a truncated last string is kept.
func splitTXT(b []byte) []string {
	var strs []string
	for len(b) > 0 {
		n := min(int(b[0]), len(b)-1)
		strs = append(strs, string(b[1:1+n]))
		b = b[1+n:]
	}
	return strs
}

// FuzzParseTXT checks that ParseTXT and describe never panic, keep their
// bounds, and return only printable, valid UTF-8 text and well-formed MACs.
func FuzzParseTXT(f *testing.F) {
	for _, s := range txtSeeds {
		f.Add(wireTXT(s), "_ipp._tcp", "HP LaserJet [A1B2C3]")
	}
	f.Add(wireTXT([]string{"mac=00-90-E8-01-02-03", "k\xffy=v", "x=\x00\x01"}), "_workstation._tcp", "nvr [00:11:22:33:44:55]")
	f.Add(wireTXT([]string{"model=AXIS \xe2\x80 M3045"}), "_axis-video._tcp", "AXIS M3045-V - ACCC8E123456")
	f.Fuzz(func(t *testing.T, rdata []byte, service, instance string) {
		m := ParseTXT(splitTXT(rdata))
		if len(m) > maxTXTPairs {
			t.Fatalf("ParseTXT kept %d pairs; want at most %d", len(m), maxTXTPairs)
		}
		for k, v := range m {
			if !validKey(k) || k != strings.ToLower(k) {
				t.Fatalf("ParseTXT key %q is not a lower-case printable key", k)
			}
			checkText(t, "value of "+k, v, maxTXTValueLen)
		}
		mac, mfr, model := describe(service, instance, m)
		if mac != "" && NormalizeMAC(mac) != mac {
			t.Fatalf("describe MAC %q is not normalised", mac)
		}
		checkText(t, "manufacturer", mfr, maxFieldLen)
		checkText(t, "model", model, maxFieldLen)
	})
}

func checkText(t *testing.T, what, s string, limit int) {
	t.Helper()
	if len(s) > limit || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		t.Fatalf("%s %q: want at most %d bytes of valid UTF-8 without control characters", what, s, limit)
	}
}

// FuzzHandle feeds arbitrary datagrams through the whole receive path:
// parsing, merging and reporting must never panic, and every result must
// be of a browsed type with a printable instance name.
func FuzzHandle(f *testing.F) {
	for _, m := range []*dns.Msg{
		axisAnswer(),
		printerAnswer(),
		metaAnswer("_axis-video._tcp", "_ipp._tcp", "_x\\032y._tcp", "bogus"),
	} {
		b, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var b *browser
		b = newBrowser([]link{{name: "eth0"}}, Stats{}, func(r Result) {
			if _, ok := b.types[r.Service]; !ok {
				t.Fatalf("result of type %q, not browsed", r.Service)
			}
			checkText(t, "instance", r.Instance, 63)
		})
		for _, s := range []string{"_axis-video._tcp", "_ipp._tcp", "_rtsp._tcp", "_hap._tcp"} {
			b.addType(s)
		}
		m := new(dns.Msg)
		if err := m.Unpack(in); err != nil {
			m = nil
		}
		b.handle(packet{msg: m})
		for _, e := range b.order {
			b.report(e)
		}
	})
}
