// Package wsd builds and parses WS-Discovery messages: the Probe and Resolve
// that SiteKeeper sends, and the ProbeMatches, ResolveMatches, Hello and Bye
// that cameras, recorders, door controllers and WSD hosts (wsdd, Windows)
// send back. It speaks the 2005/04 namespace that ONVIF and wsdd use and
// tolerates the 2009/01 OASIS one.
//
// Scanner probes every usable interface and collects the replies; the
// rest of the package does no network I/O. Parse treats every datagram as
// hostile: it bounds size, depth and element count, never panics, and
// tolerates the quirks of real devices (unbound prefixes, non-UTF-8
// charsets, BOMs).
package wsd

import "fmt"

// Kind is which WS-Discovery message a datagram carries.
type Kind int

// The message kinds. KindUnknown is a well-formed SOAP envelope whose body
// is not a WS-Discovery message (a Fault, a WS-Transfer GetResponse, ...).
const (
	KindUnknown Kind = iota
	KindProbe
	KindProbeMatches
	KindResolve
	KindResolveMatches
	KindHello
	KindBye
)

var kindNames = [...]string{"Unknown", "Probe", "ProbeMatches", "Resolve", "ResolveMatches", "Hello", "Bye"}

// String returns the message's local name, as in the SOAP body.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// QName is a qualified name with its prefix resolved to a namespace URI.
// When the prefix was neither declared nor well known, Space holds the
// prefix itself (as encoding/xml does).
type QName struct {
	Space string
	Local string
}

// AppSequence is the wsd:AppSequence header, which orders the messages of
// one instance of a device and tells repeats apart from new messages.
type AppSequence struct {
	InstanceID    uint64
	SequenceID    string
	MessageNumber uint64
}

// Header holds the WS-Addressing and WS-Discovery header fields.
type Header struct {
	Action    string
	MessageID string
	RelatesTo string
	To        string
	// AppSequence is nil when the header carried none.
	AppSequence *AppSequence
}

// Match is one endpoint described by a message: a ProbeMatch or
// ResolveMatch, or the body of a Hello, Bye, Probe or Resolve.
type Match struct {
	// EndpointRef is the EndpointReference's Address, usually urn:uuid:...
	// (some devices send uuid:... without urn:).
	EndpointRef string
	// Types are the resolved QNames of Types; RawTypes the text as sent.
	Types    []QName
	RawTypes []string
	Scopes   []string
	XAddrs   []string
	// MetadataVersion is 0 when absent or not a number.
	MetadataVersion uint64
}

// Message is a parsed WS-Discovery datagram.
type Message struct {
	Kind   Kind
	Header Header
	// Matches has one entry per ProbeMatch or ResolveMatch, and exactly one
	// for Hello, Bye, Probe and Resolve.
	Matches []Match
	// Version is the WS-Discovery namespace URI of the body element, or ""
	// for KindUnknown.
	Version string
}
