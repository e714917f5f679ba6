package wsd

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits on what Parse reads. A WS-Discovery message is a few kilobytes with
// a depth under ten; the limits leave room for verbose devices while keeping
// a hostile datagram's cost small and fixed.
const (
	// MaxDatagram is the largest datagram Parse accepts (a UDP payload
	// cannot be larger anyway).
	MaxDatagram = 64 << 10
	maxDepth    = 32
	maxElements = 4096
)

// ErrMalformed is wrapped by every error Parse returns: the datagram is too
// large, not well-formed, not a SOAP envelope, or breaks a limit. The scan
// loop skips and counts such datagrams.
var ErrMalformed = errors.New("malformed ws-discovery message")

// ErrLimit is wrapped, beside ErrMalformed, when a datagram breaks a size,
// depth or element-count limit: more likely hostile than merely broken.
var ErrLimit = errors.New("limit exceeded")

// role is what an open element means to the parser.
type role uint8

const (
	rOther role = iota
	rEnvelope
	rHeader
	rHeaderField // Action, MessageID, RelatesTo, To: text captured
	rBody
	rMatches    // ProbeMatches, ResolveMatches
	rMatch      // ProbeMatch, ResolveMatch, or a Hello/Bye/Probe/Resolve body
	rMatchField // Types, Scopes, XAddrs, MetadataVersion: text captured
	rEPR        // EndpointReference inside a match
	rEPRAddress // its Address: text captured
)

type frame struct {
	role  role
	local string
	ns    map[string]string // namespace declarations made on this element
}

type parser struct {
	msg      Message
	stack    []frame
	text     strings.Builder
	elements int
	body     bool // a Body was seen
	bodyMsg  bool // the Body's first child was seen
}

// Parse decodes one WS-Discovery datagram. Every error wraps ErrMalformed;
// a well-formed SOAP envelope whose body is not WS-Discovery returns
// KindUnknown and no error. Parse never panics and does not retain datagram.
func Parse(datagram []byte) (Message, error) {
	if len(datagram) > MaxDatagram {
		return Message{}, fmt.Errorf("%w: %w: %d bytes, limit %d", ErrMalformed, ErrLimit, len(datagram), MaxDatagram)
	}
	b, err := toUTF8(datagram)
	if err != nil {
		return Message{}, err
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = charsetReader
	var p parser
	if err := p.run(d); err != nil {
		return Message{}, err
	}
	return p.msg, nil
}

func (p *parser) run(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return fmt.Errorf("%w: truncated or empty", ErrMalformed)
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := p.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			p.end()
			if len(p.stack) == 0 {
				if !p.body {
					return fmt.Errorf("%w: envelope has no body", ErrMalformed)
				}
				return nil // ignore anything after the envelope (NUL padding)
			}
		case xml.CharData:
			if n := len(p.stack); n > 0 && captures(p.stack[n-1].role) {
				p.text.Write(t)
			}
		case xml.Directive:
			// SOAP forbids DTDs; refusing them rules out entity tricks.
			return fmt.Errorf("%w: directive <!%.20s> not allowed", ErrMalformed, t)
		}
	}
}

func captures(r role) bool { return r == rHeaderField || r == rMatchField || r == rEPRAddress }

func (p *parser) start(se xml.StartElement) error {
	p.elements++
	if p.elements > maxElements {
		return fmt.Errorf("%w: %w: more than %d elements", ErrMalformed, ErrLimit, maxElements)
	}
	if len(p.stack) >= maxDepth {
		return fmt.Errorf("%w: %w: nested deeper than %d", ErrMalformed, ErrLimit, maxDepth)
	}
	f := frame{local: se.Name.Local, ns: declarations(se.Attr)}
	f.role = p.roleOf(se)
	if len(p.stack) == 0 && f.role != rEnvelope {
		return fmt.Errorf("%w: root <%s> is not a soap envelope", ErrMalformed, se.Name.Local)
	}
	if captures(f.role) {
		p.text.Reset()
	}
	p.stack = append(p.stack, f)
	return nil
}

// roleOf decides what se is from its parent's role, its namespace and its
// local name, and records the message kind, matches and AppSequence.
func (p *parser) roleOf(se xml.StartElement) role {
	cls, local := classify(se.Name.Space), se.Name.Local
	if len(p.stack) == 0 {
		if is(cls, local, nsSOAP, "Envelope") {
			return rEnvelope
		}
		return rOther
	}
	switch p.stack[len(p.stack)-1].role {
	case rEnvelope:
		switch {
		case is(cls, local, nsSOAP, "Header"):
			return rHeader
		case is(cls, local, nsSOAP, "Body") && !p.body:
			p.body = true
			return rBody
		}
	case rHeader:
		switch {
		case cls == nsAddressing || cls == nsNone:
			switch local {
			case "Action", "MessageID", "RelatesTo", "To":
				return rHeaderField
			}
		}
		if is(cls, local, nsDiscovery, "AppSequence") {
			p.msg.Header.AppSequence = appSequence(se.Attr)
		}
	case rBody:
		if p.bodyMsg {
			return rOther
		}
		p.bodyMsg = true
		return p.bodyRole(cls, se)
	case rMatches:
		if (local == "ProbeMatch" && p.msg.Kind == KindProbeMatches) ||
			(local == "ResolveMatch" && p.msg.Kind == KindResolveMatches) {
			if cls == nsDiscovery || cls == nsNone {
				p.msg.Matches = append(p.msg.Matches, Match{})
				return rMatch
			}
		}
	case rMatch:
		switch {
		case is(cls, local, nsAddressing, "EndpointReference"):
			return rEPR
		case cls == nsDiscovery || cls == nsNone:
			switch local {
			case "Types", "Scopes", "XAddrs", "MetadataVersion":
				return rMatchField
			}
		}
	case rEPR:
		if is(cls, local, nsAddressing, "Address") {
			return rEPRAddress
		}
	}
	return rOther
}

var bodyKinds = map[string]Kind{
	"ProbeMatches": KindProbeMatches, "ResolveMatches": KindResolveMatches,
	"Hello": KindHello, "Bye": KindBye, "Probe": KindProbe, "Resolve": KindResolve,
}

func (p *parser) bodyRole(cls nsClass, se xml.StartElement) role {
	if cls != nsDiscovery && cls != nsNone {
		return rOther
	}
	k, ok := bodyKinds[se.Name.Local]
	if !ok {
		return rOther
	}
	p.msg.Kind = k
	p.msg.Version = resolveSpace(se.Name.Space)
	if k == KindProbeMatches || k == KindResolveMatches {
		return rMatches
	}
	p.msg.Matches = append(p.msg.Matches, Match{})
	return rMatch
}

func (p *parser) end() {
	f := p.stack[len(p.stack)-1]
	if captures(f.role) {
		p.assign(f.local, p.text.String())
	}
	p.stack = p.stack[:len(p.stack)-1]
}

// assign stores a captured text; it runs before the element is popped so
// that QNames in Types resolve against the element's own declarations too.
func (p *parser) assign(local, text string) {
	h := &p.msg.Header
	switch f := p.stack[len(p.stack)-1]; f.role {
	case rHeaderField:
		v := strings.TrimSpace(text)
		switch local {
		case "Action":
			h.Action = v
		case "MessageID":
			h.MessageID = v
		case "RelatesTo":
			h.RelatesTo = v
		case "To":
			h.To = v
		}
		return
	}
	m := &p.msg.Matches[len(p.msg.Matches)-1]
	switch local {
	case "Address":
		m.EndpointRef = strings.TrimSpace(text)
	case "Types":
		m.RawTypes = strings.Fields(text)
		m.Types = make([]QName, len(m.RawTypes))
		for i, raw := range m.RawTypes {
			prefix, l := splitQName(raw)
			m.Types[i] = QName{Space: p.lookup(prefix), Local: l}
		}
	case "Scopes":
		m.Scopes = strings.Fields(text)
	case "XAddrs":
		m.XAddrs = strings.Fields(text)
	case "MetadataVersion":
		m.MetadataVersion, _ = strconv.ParseUint(strings.TrimSpace(text), 10, 64)
	}
}

// lookup resolves a QName prefix from the declarations in scope, then the
// well-known prefixes; an unknown prefix is returned as is.
func (p *parser) lookup(prefix string) string {
	for i := len(p.stack) - 1; i >= 0; i-- {
		if u, ok := p.stack[i].ns[prefix]; ok {
			return u
		}
	}
	return resolveSpace(prefix)
}

func declarations(attrs []xml.Attr) map[string]string {
	var ns map[string]string
	for _, a := range attrs {
		var prefix string
		switch {
		case a.Name.Space == "xmlns":
			prefix = a.Name.Local
		case a.Name.Space == "" && a.Name.Local == "xmlns":
		default:
			continue
		}
		if ns == nil {
			ns = make(map[string]string)
		}
		ns[prefix] = a.Value
	}
	return ns
}

func appSequence(attrs []xml.Attr) *AppSequence {
	var s AppSequence
	for _, a := range attrs {
		switch a.Name.Local {
		case "InstanceId":
			s.InstanceID, _ = strconv.ParseUint(strings.TrimSpace(a.Value), 10, 64)
		case "MessageNumber":
			s.MessageNumber, _ = strconv.ParseUint(strings.TrimSpace(a.Value), 10, 64)
		case "SequenceId":
			s.SequenceID = a.Value
		}
	}
	return &s
}
