//go:build linux

package lab

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"sitekeeper/internal/discovery/wsd"
)

// deviceTypes are the Types every simulated device announces: an ONVIF
// video transmitter with a device service.
var deviceTypes = []wsd.QName{
	wsd.TypeNetworkVideoTransmitter.QName(),
	wsd.TypeONVIFDevice.QName(),
}

// answers reports whether a device answers probe p: every probed type must
// be one of deviceTypes (no types is the generic probe, which matches), and
// every probed scope must match one of the device's scopes. Like real
// cameras, the device does not answer wsdp:Device.
func (d Device) answers(p wsd.Match) bool {
	for _, t := range p.Types {
		ok := false
		for _, have := range deviceTypes {
			ok = ok || t == have
		}
		if !ok {
			return false
		}
	}
	for _, s := range p.Scopes {
		ok := false
		for _, have := range d.Vendor.Scopes {
			ok = ok || scopeMatches(s, have)
		}
		if !ok {
			return false
		}
	}
	return true
}

// scopeMatches is WS-Discovery's default RFC 3986 rule, simplified: the
// probed scope equals the device's or is a prefix of it ending at a segment
// boundary.
func scopeMatches(probed, have string) bool {
	probed = strings.TrimSuffix(probed, "/")
	return strings.EqualFold(probed, have) ||
		len(have) > len(probed) && strings.EqualFold(have[:len(probed)], probed) && have[len(probed)] == '/'
}

// probeMatch returns the ProbeMatches that d sends in reply to the probe
// with message ID relatesTo, spelt as d's vendor spells it, listing xaddrs.
func (d Device) probeMatch(messageID, relatesTo string, instanceID, messageNumber uint64, xaddrs string) []byte {
	env, wsa := d.Vendor.envPrefix, d.Vendor.wsaPrefix
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<%[1]s:Envelope xmlns:%[1]s="%[3]s" xmlns:%[2]s="%[4]s" xmlns:d="%[5]s" xmlns:dn="%[6]s" xmlns:tds="%[7]s">`,
		env, wsa, wsd.NSSOAP12, wsd.NSAddressing, wsd.NSDiscovery, wsd.NSONVIFNetwork, wsd.NSONVIFDevice)
	fmt.Fprintf(&b, `<%[1]s:Header><%[2]s:MessageID>%[3]s</%[2]s:MessageID><%[2]s:RelatesTo>%[4]s</%[2]s:RelatesTo>`+
		`<%[2]s:To %[1]s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</%[2]s:To>`+
		`<%[2]s:Action %[1]s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</%[2]s:Action>`+
		`<d:AppSequence %[1]s:mustUnderstand="true" InstanceId="%[5]d" MessageNumber="%[6]d"/></%[1]s:Header>`,
		env, wsa, escape(messageID), escape(relatesTo), instanceID, messageNumber)
	fmt.Fprintf(&b, `<%[1]s:Body><d:ProbeMatches><d:ProbeMatch>`+
		`<%[2]s:EndpointReference><%[2]s:Address>%[3]s</%[2]s:Address></%[2]s:EndpointReference>`+
		`<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>%[4]s</d:Scopes>`+
		`<d:XAddrs>%[5]s</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>`+
		`</d:ProbeMatch></d:ProbeMatches></%[1]s:Body></%[1]s:Envelope>`,
		env, wsa, escape(d.EndpointRef), escape(strings.Join(d.Vendor.Scopes, " ")), escape(xaddrs))
	return b.Bytes()
}

// escape escapes text for XML; relatesTo comes from the network.
func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to a bytes.Buffer cannot fail
	return b.String()
}

// announcement returns the Hello (hello true) or Bye that d multicasts when
// it joins or leaves the network.
func (d Device) announcement(hello bool, messageID string, instanceID, messageNumber uint64, xaddrs string) []byte {
	env, wsa := d.Vendor.envPrefix, d.Vendor.wsaPrefix
	action, body := "Bye", fmt.Sprintf(`<d:Bye><%[1]s:EndpointReference><%[1]s:Address>%[2]s</%[1]s:Address></%[1]s:EndpointReference></d:Bye>`,
		wsa, escape(d.EndpointRef))
	if hello {
		action = "Hello"
		body = fmt.Sprintf(`<d:Hello><%[1]s:EndpointReference><%[1]s:Address>%[2]s</%[1]s:Address></%[1]s:EndpointReference>`+
			`<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>%[3]s</d:Scopes>`+
			`<d:XAddrs>%[4]s</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:Hello>`,
			wsa, escape(d.EndpointRef), escape(strings.Join(d.Vendor.Scopes, " ")), escape(xaddrs))
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<%[1]s:Envelope xmlns:%[1]s="%[3]s" xmlns:%[2]s="%[4]s" xmlns:d="%[5]s" xmlns:dn="%[6]s" xmlns:tds="%[7]s">`,
		env, wsa, wsd.NSSOAP12, wsd.NSAddressing, wsd.NSDiscovery, wsd.NSONVIFNetwork, wsd.NSONVIFDevice)
	fmt.Fprintf(&b, `<%[1]s:Header><%[2]s:MessageID>%[3]s</%[2]s:MessageID>`+
		`<%[2]s:To %[1]s:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</%[2]s:To>`+
		`<%[2]s:Action %[1]s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/%[4]s</%[2]s:Action>`+
		`<d:AppSequence %[1]s:mustUnderstand="true" InstanceId="%[5]d" MessageNumber="%[6]d"/></%[1]s:Header>`,
		env, wsa, escape(messageID), action, instanceID, messageNumber)
	fmt.Fprintf(&b, `<%[1]s:Body>%[2]s</%[1]s:Body></%[1]s:Envelope>`, env, body)
	return b.Bytes()
}
