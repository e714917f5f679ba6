package onvif

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// Limits on a parsed document. The body cap already bounds memory; these keep
// a hostile or broken device from making the tree walk deep or wide.
const (
	maxDepth    = 64
	maxElements = 20000
)

// node is one element of a parsed response. Names are resolved to their
// namespace URI by our own scoping (see parseTree), so that matching never
// depends on prefixes, which vary between vendors (env:, SOAP-ENV:, s:, or a
// default namespace redeclared on every element).
type node struct {
	name     xml.Name // Space is the namespace URI ("" when unbound/none)
	raw      xml.Name // name as written (Space is the prefix), to check nesting
	text     []byte   // character data directly inside this element
	children []*node
	parent   *node
	ns       map[string]string // prefix -> URI declared on this element
	attrs    map[string]string // unqualified attributes
}

// child returns the first direct child with the given namespace and local
// name, or nil.
func (n *node) child(space, local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name.Local == local && c.name.Space == space {
			return c
		}
	}
	return nil
}

// all returns the direct children with the given namespace and local name.
func (n *node) all(space, local string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, c := range n.children {
		if c.name.Local == local && c.name.Space == space {
			out = append(out, c)
		}
	}
	return out
}

// path follows a chain of children in one namespace; nil if any is missing.
func (n *node) path(space string, locals ...string) *node {
	for _, l := range locals {
		n = n.child(space, l)
	}
	return n
}

// value is the trimmed text of n, "" for a nil node.
func (n *node) value() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(string(n.text))
}

// lookup resolves a namespace prefix in the scope of n.
func (n *node) lookup(prefix string) (string, bool) {
	switch prefix {
	case "xml":
		return "http://www.w3.org/XML/1998/namespace", true
	case "xmlns":
		return "http://www.w3.org/2000/xmlns/", true
	}
	for ; n != nil; n = n.parent {
		if uri, ok := n.ns[prefix]; ok {
			return uri, true
		}
	}
	return "", false
}

// qname resolves a QName written as element content (a SOAP fault code such
// as "ter:NotAuthorized") in the scope of n. An unbound prefix leaves Space
// empty rather than failing: the local name still carries the meaning.
func (n *node) qname(s string) xml.Name {
	s = strings.TrimSpace(s)
	prefix, local, ok := strings.Cut(s, ":")
	if !ok {
		uri, _ := n.lookup("")
		return xml.Name{Space: uri, Local: s}
	}
	uri, _ := n.lookup(prefix)
	return xml.Name{Space: uri, Local: local}
}

// parseTree parses an XML document into a tree of namespace-resolved nodes.
// headerCharset is the charset parameter of the HTTP Content-Type ("" if
// none). It is used only when the document has no encoding declaration: the
// declaration is written by the SOAP stack that produced the bytes, whereas
// embedded web servers often send a generic default header (a deliberate
// departure from RFC 7303, which lets the header win). Unbound prefixes are
// tolerated (resolved to "").
func parseTree(body []byte, headerCharset string) (*node, error) {
	var r io.Reader = bytes.NewReader(body)
	transcoded := false
	cs := strings.ToLower(strings.TrimSpace(headerCharset))
	if cs != "" && cs != "utf-8" && cs != "utf8" && !declaresEncoding(body) {
		cr, err := charset.NewReaderLabel(cs, r)
		if err != nil {
			return nil, fmt.Errorf("charset %q: %w", headerCharset, err)
		}
		r, transcoded = cr, true
	}
	d := xml.NewDecoder(r)
	d.Strict = true
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if transcoded {
			return in, nil // already transcoded to UTF-8 from the header charset
		}
		return charset.NewReaderLabel(label, in)
	}
	var root, cur *node
	count := 0
	depth := 0
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			depth++
			if count > maxElements || depth > maxDepth {
				return nil, errors.New("malformed xml: document too large or too deep")
			}
			if root != nil && cur == nil {
				return nil, errors.New("malformed xml: more than one root element")
			}
			n := &node{parent: cur}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					n.setNS(a.Name.Local, a.Value)
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.setNS("", a.Value)
				case a.Name.Space == "":
					if n.attrs == nil {
						n.attrs = make(map[string]string)
					}
					n.attrs[a.Name.Local] = a.Value
				}
			}
			uri, _ := n.lookup(t.Name.Space)
			n.name = xml.Name{Space: uri, Local: t.Name.Local}
			n.raw = t.Name
			if cur == nil {
				root = n
			} else {
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			// RawToken does not check nesting; the names must match.
			if cur == nil || cur.raw != t.Name {
				return nil, errors.New("malformed xml: unexpected end element")
			}
			depth--
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.text = append(cur.text, t...)
			}
		}
	}
	if root == nil {
		return nil, errors.New("malformed xml: no root element")
	}
	if cur != nil {
		return nil, errors.New("malformed xml: unexpected end of document")
	}
	return root, nil
}

func (n *node) setNS(prefix, uri string) {
	if n.ns == nil {
		n.ns = make(map[string]string)
	}
	n.ns[prefix] = uri
}

// declaresEncoding reports whether body starts with an XML declaration that
// names an encoding.
func declaresEncoding(body []byte) bool {
	b := bytes.TrimLeft(body, "\ufeff \t\r\n")
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return false
	}
	end := bytes.Index(b, []byte("?>"))
	return end > 0 && bytes.Contains(b[:end], []byte("encoding"))
}
