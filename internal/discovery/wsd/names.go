package wsd

import "strings"

// Namespace URIs.
const (
	NSDiscovery      = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
	NSDiscovery2009  = "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01"
	NSAddressing     = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
	NSAddressing2005 = "http://www.w3.org/2005/08/addressing"
	NSSOAP12         = "http://www.w3.org/2003/05/soap-envelope"
	NSSOAP11         = "http://schemas.xmlsoap.org/soap/envelope/"
	NSONVIFNetwork   = "http://www.onvif.org/ver10/network/wsdl"
	NSONVIFDevice    = "http://www.onvif.org/ver10/device/wsdl"
	NSDevProf        = "http://schemas.xmlsoap.org/ws/2006/02/devprof"
	NSPub            = "http://schemas.microsoft.com/windows/pub/2005/07"
	NSPrint          = "http://schemas.microsoft.com/windows/2006/08/wdp/print"
	NSScan           = "http://schemas.microsoft.com/windows/2006/08/wdp/scan"
	NSPnPX           = "http://schemas.microsoft.com/windows/pnpx/2005/10"
)

// wellKnown maps the prefixes real devices use to their namespaces, for
// messages that use a prefix without declaring it (the -nsless captures).
// A declared prefix always wins over this table.
var wellKnown = map[string]string{
	"d": NSDiscovery, "wsd": NSDiscovery, "wsdd": NSDiscovery, "dd": NSDiscovery,
	"wsdisco": NSDiscovery, "discovery": NSDiscovery,
	"wsa": NSAddressing, "wsadis": NSAddressing, "a": NSAddressing, "wsa5": NSAddressing2005,
	"soap": NSSOAP12, "soap12": NSSOAP12, "s": NSSOAP12, "s12": NSSOAP12, "env": NSSOAP12,
	"SOAP-ENV": NSSOAP12, "soapenv": NSSOAP12, "SOAP-ENV12": NSSOAP12,
	"dn": NSONVIFNetwork, "tdn": NSONVIFNetwork, "tds": NSONVIFDevice,
	"wsdp": NSDevProf, "pub": NSPub, "wprt": NSPrint, "wscn": NSScan, "pnpx": NSPnPX,
}

// nsClass is what a namespace URI means to the parser.
type nsClass int

const (
	nsNone nsClass = iota // no namespace at all: matched by local name only
	nsOther
	nsSOAP
	nsAddressing
	nsDiscovery
)

func classify(space string) nsClass {
	if u, ok := wellKnown[space]; ok {
		space = u
	}
	switch space {
	case "":
		return nsNone
	case NSSOAP12, NSSOAP11:
		return nsSOAP
	case NSAddressing, NSAddressing2005:
		return nsAddressing
	case NSDiscovery, NSDiscovery2009:
		return nsDiscovery
	}
	return nsOther
}

// resolveSpace maps an unbound well-known prefix to its URI.
func resolveSpace(space string) string {
	if u, ok := wellKnown[space]; ok {
		return u
	}
	return space
}

// is reports whether n is local in namespace class c; an unqualified name
// matches any class, because some devices send unqualified elements.
func is(cls nsClass, local string, c nsClass, want string) bool {
	return local == want && (cls == c || cls == nsNone)
}

// splitQName splits "p:local" into its prefix and local part.
func splitQName(s string) (prefix, local string) {
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}
