package onvif

import (
	"errors"
	"fmt"
)

// Namespace URIs. Matching is by URI and local name, never by prefix.
const (
	nsSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
	nsSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
	nsDevice = "http://www.onvif.org/ver10/device/wsdl"
	nsSchema = "http://www.onvif.org/ver10/schema"
	nsError  = "http://www.onvif.org/ver10/error"
	nsWSSE   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsWSU    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
)

// parseResponse parses a SOAP envelope and returns the element
// {nsDevice}want inside its Body. A SOAP Fault in the Body is returned as a
// *Fault, whatever else the body holds. SOAP 1.1 envelopes are accepted too:
// some firmware answers in 1.1 even to a 1.2 request.
func parseResponse(body []byte, headerCharset, want string) (*node, error) {
	root, err := parseTree(body, headerCharset)
	if err != nil {
		return nil, err
	}
	env := root.name.Space
	if root.name.Local != "Envelope" || (env != nsSOAP12 && env != nsSOAP11) {
		return nil, fmt.Errorf("not a soap envelope: root element %q", root.name.Local)
	}
	b := root.child(env, "Body")
	if b == nil {
		return nil, errors.New("soap envelope without body")
	}
	if f := b.child(env, "Fault"); f != nil {
		return nil, parseFault(f, env)
	}
	resp := b.child(nsDevice, want)
	if resp == nil {
		return nil, fmt.Errorf("no %s in soap body", want)
	}
	return resp, nil
}

// parseFault reads a SOAP 1.2 (Code/Value, Subcode/Value, Reason/Text) or
// SOAP 1.1 (faultcode, faultstring) fault element.
func parseFault(f *node, env string) *Fault {
	if env == nsSOAP11 {
		// SOAP 1.1 children are unqualified; some stacks qualify them anyway.
		code := firstOf(f.child("", "faultcode"), f.child(env, "faultcode"))
		reason := firstOf(f.child("", "faultstring"), f.child(env, "faultstring"))
		var fault Fault
		if code != nil {
			fault.Code = code.qname(code.value())
		}
		fault.Reason = reason.value()
		return &fault
	}
	var fault Fault
	code := f.child(env, "Code")
	if v := code.child(env, "Value"); v != nil {
		fault.Code = v.qname(v.value())
	}
	if v := code.path(env, "Subcode", "Value"); v != nil {
		fault.Subcode = v.qname(v.value())
	}
	fault.Reason = f.path(env, "Reason", "Text").value()
	return &fault
}

func firstOf(ns ...*node) *node {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return nil
}
