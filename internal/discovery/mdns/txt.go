package mdns

import (
	"net"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on what one TXT record may contribute: RFC 6763 §6.1 advises
// records under 1300 bytes, and no real device sends dozens of keys.
const (
	maxTXTPairs    = 64
	maxTXTValueLen = 255 // one DNS character-string
	maxFieldLen    = 128 // Manufacturer, Model
)

// ParseTXT turns the character-strings of a DNS-SD TXT record (raw bytes,
// not DNS presentation format) into a map of lower-cased keys to values.
// Following RFC 6763 §6.4 a key is everything up to the first '=', a string
// without '=' is a boolean attribute with an empty value, empty keys and
// keys with non-printable characters are skipped, and only the first
// occurrence of a key counts. Values are made valid UTF-8 without control
// characters: they are shown to people and written into reports. At most
// 64 pairs are kept. ParseTXT returns nil when nothing usable is left.
func ParseTXT(strs []string) map[string]string {
	var m map[string]string
	for _, s := range strs {
		if len(m) >= maxTXTPairs {
			break
		}
		k, v, _ := strings.Cut(s, "=")
		if !validKey(k) {
			continue
		}
		k = strings.ToLower(k)
		if _, dup := m[k]; dup {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[k] = cleanText(v, maxTXTValueLen)
	}
	return m
}

// validKey reports whether k is a usable TXT key: 1 to 64 printable
// US-ASCII characters (RFC 6763 §6.4 says 9 or fewer "should" do).
func validKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// cleanText returns s as valid UTF-8 without control characters, cut to at
// most limit bytes on a rune boundary.
func cleanText(s string, limit int) string {
	if len(s) > limit {
		s = s[:limit]
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	for len(s) > limit {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// macKeys are the TXT keys devices put their hardware address under, in
// the order they are trusted: Axis "macaddress", generic "mac"... HAP's
// "id" looks like a MAC but is a random identifier regenerated at every
// factory reset (HAP spec §6.4), so it is not one of them.
var macKeys = []string{"macaddress", "mac", "macaddr", "mac_address", "hwaddr", "hwaddress", "hw_address", "ethaddr"}

// describe derives a MAC address, manufacturer and model from what a
// service announced. txt comes from ParseTXT.
func describe(service, instance string, txt map[string]string) (mac, manufacturer, model string) {
	for _, k := range macKeys {
		if mac = NormalizeMAC(txt[k]); mac != "" {
			break
		}
	}
	switch service {
	case "_airplay._tcp", "_raop._tcp":
		// AirPlay's deviceid is the primary interface's MAC; RAOP
		// instance names are "AABBCCDDEEFF@Name".
		if mac == "" {
			mac = NormalizeMAC(txt["deviceid"])
		}
		if mac == "" {
			if before, _, ok := strings.Cut(instance, "@"); ok {
				mac = NormalizeMAC(before)
			}
		}
	case "_workstation._tcp":
		// avahi and Apple name it "host [aa:bb:cc:dd:ee:ff]".
		if mac == "" {
			if i := strings.LastIndexByte(instance, '['); i >= 0 && strings.HasSuffix(instance, "]") {
				mac = NormalizeMAC(instance[i+1 : len(instance)-1])
			}
		}
	}

	manufacturer = firstOf(txt, "usb_mfg", "manufacturer", "mfg", "mfr", "vendor")
	model = firstOf(txt, "usb_mdl", "model", "mdl", "modelname", "md")
	// IPP Everywhere / AirPrint: ty is the full make and model ("HP
	// LaserJet Pro M404dn"), product the PostScript product "(...)".
	if model == "" {
		model = strings.TrimSuffix(strings.TrimPrefix(firstOf(txt, "ty", "product"), "("), ")")
	}
	if model != "" && manufacturer == "" {
		manufacturer = knownMaker(model)
	}
	switch service {
	case "_axis-video._tcp":
		// Axis publishes no model in TXT; the default instance name is
		// "AXIS <model> - <serial>".
		if manufacturer == "" {
			manufacturer = "Axis"
		}
		if model == "" {
			if rest, ok := strings.CutPrefix(instance, "AXIS "); ok {
				model, _, _ = strings.Cut(rest, " - ")
			}
		}
	case "_googlecast._tcp":
		if manufacturer == "" {
			manufacturer = "Google"
		}
	}
	// A model that repeats the maker ("HP LaserJet ...") keeps it: that is
	// how people and datasheets name printers.
	return mac, cleanField(manufacturer), cleanField(model)
}

// knownMakers are manufacturers a model string often starts with.
var knownMakers = []string{"HP", "Hewlett-Packard", "Canon", "Epson", "Brother", "Xerox", "Lexmark", "Kyocera", "Ricoh", "Sharp", "Konica Minolta", "OKI", "Zebra", "Samsung", "Axis", "Hikvision", "Dahua", "Bosch", "Hanwha", "Sony", "Panasonic"}

// knownMaker returns the manufacturer a model string starts with, or "".
func knownMaker(model string) string {
	for _, m := range knownMakers {
		if len(model) > len(m) && strings.EqualFold(model[:len(m)], m) && model[len(m)] == ' ' {
			return m
		}
	}
	return ""
}

func firstOf(txt map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(txt[k]); v != "" {
			return v
		}
	}
	return ""
}

// cleanField collapses white space and bounds the length of a derived
// manufacturer or model.
func cleanField(s string) string {
	return cleanText(strings.Join(strings.Fields(s), " "), maxFieldLen)
}

// NormalizeMAC returns s as a lower-case colon-separated EUI-48
// ("aa:bb:cc:dd:ee:ff") when it is one — with ':', '-' or '.' separators or
// none — or "" when it is not, or is all zeros or all ones.
func NormalizeMAC(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 17 {
		return ""
	}
	hex := strings.NewReplacer(":", "", "-", "", ".", "").Replace(s)
	if len(hex) != 12 {
		return ""
	}
	var b [6]byte
	for i := range b {
		hi, ok1 := unhex(hex[2*i])
		lo, ok2 := unhex(hex[2*i+1])
		if !ok1 || !ok2 {
			return ""
		}
		b[i] = hi<<4 | lo
	}
	if b == [6]byte{} || b == [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff} {
		return ""
	}
	return net.HardwareAddr(b[:]).String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
