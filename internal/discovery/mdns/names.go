package mdns

import (
	"strings"
)

// Names in this package are DNS names as miekg/dns presents them: absolute
// ("x.local."), with bytes outside printable ASCII escaped as \DDD and
// special ones as \X. Map keys are lower-cased: DNS compares ASCII letters
// without case (RFC 6762 §16), and escaping leaves only ASCII to fold.

const (
	domain = "local."
	// metaQuery asks every responder for the service types it offers
	// (RFC 6763 §9).
	metaQuery = "_services._dns-sd._udp." + domain
)

// fqdn returns the absolute name of service type t ("_ipp._tcp" ->
// "_ipp._tcp.local.").
func fqdn(t string) string { return t + "." + domain }

// key returns the map key of DNS name n.
func key(n string) string { return strings.ToLower(n) }

// serviceType returns the service type of name n ("_ipp._tcp.local." ->
// "_ipp._tcp") when n is one that DNS-SD browsing can use: two labels, the
// first "_" and 1-15 letters, digits and hyphens (RFC 6335 §5.1), the
// second "_tcp" or "_udp", in the local domain.
func serviceType(n string) (string, bool) {
	rest, ok := cutSuffixFold(n, "."+domain)
	if !ok {
		return "", false
	}
	name, proto, ok := strings.Cut(rest, ".")
	if !ok || !strings.EqualFold(proto, "_tcp") && !strings.EqualFold(proto, "_udp") {
		return "", false
	}
	if len(name) < 2 || len(name) > 16 || name[0] != '_' {
		return "", false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return "", false
		}
	}
	return strings.ToLower(name + "." + proto), true
}

// instanceLabel returns the instance part of service instance name n of
// type fqdnType ("Cam\ 1._rtsp._tcp.local." -> "Cam 1"), unescaped to its
// raw bytes and made printable, or false when n is not of that type or its
// instance label is empty or longer than a DNS label can be.
func instanceLabel(n, fqdnType string) (string, bool) {
	label, ok := cutSuffixFold(n, "."+fqdnType)
	if !ok {
		return "", false
	}
	raw, ok := unescapeLabel(label)
	if !ok || raw == "" || len(raw) > 63 {
		return "", false
	}
	return cleanText(raw, 63), true
}

// unescapeLabel undoes miekg/dns's presentation escapes (\DDD and \X) of
// one label. An unescaped '.' means s is more than one label: false.
func unescapeLabel(s string) (string, bool) {
	if !strings.Contains(s, `\`) {
		return s, !strings.Contains(s, ".")
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			return "", false
		case c != '\\':
			b.WriteByte(c)
		case i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]):
			v := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
			if v > 255 {
				return "", false
			}
			b.WriteByte(byte(v))
			i += 3
		case i+1 < len(s):
			b.WriteByte(s[i+1])
			i++
		default:
			return "", false
		}
	}
	return b.String(), true
}

// unescapeTXT undoes miekg/dns's escapes of a TXT character-string; it is
// lenient, since miekg/dns produced the escapes itself.
func unescapeTXT(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c != '\\':
			b.WriteByte(c)
		case i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]):
			b.WriteByte(byte(int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')))
			i += 3
		case i+1 < len(s):
			b.WriteByte(s[i+1])
			i++
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) < len(suffix) || !strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return "", false
	}
	return s[:len(s)-len(suffix)], true
}
