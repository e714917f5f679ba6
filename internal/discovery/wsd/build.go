package wsd

import (
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"fmt"
)

// Type is a device type SiteKeeper probes for.
type Type int

// The probe types. Each finds a different population: wsdd and Windows
// hosts answer only TypeWSDPDevice; access-control units often answer only
// TypeONVIFDevice.
const (
	// TypeNetworkVideoTransmitter is dn:NetworkVideoTransmitter (ONVIF video).
	TypeNetworkVideoTransmitter Type = iota + 1
	// TypeONVIFDevice is tds:Device (any ONVIF device service).
	TypeONVIFDevice
	// TypeWSDPDevice is wsdp:Device (Devices Profile: wsdd, Windows, WSD printers).
	TypeWSDPDevice
)

// QName returns the type's namespace and local name.
func (t Type) QName() QName {
	switch t {
	case TypeNetworkVideoTransmitter:
		return QName{NSONVIFNetwork, "NetworkVideoTransmitter"}
	case TypeONVIFDevice:
		return QName{NSONVIFDevice, "Device"}
	case TypeWSDPDevice:
		return QName{NSDevProf, "Device"}
	}
	return QName{}
}

// prefix is the prefix the type is sent with; wsdd compares the Types text
// literally, so these must not change.
func (t Type) prefix() string {
	switch t {
	case TypeNetworkVideoTransmitter:
		return "dn"
	case TypeONVIFDevice:
		return "tds"
	case TypeWSDPDevice:
		return "wsdp"
	}
	return ""
}

// The envelope is the one lab/wsd_probe.py sends, which real ONVIF devices
// and wsdd were seen to answer; keep it byte-compatible.
const (
	envelopeStart = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" `
	headerFormat = ">\n" +
		`<s:Header><a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/%s</a:Action><a:MessageID>%s</a:MessageID>` +
		`<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>` +
		`<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>` + "\n"
	envelopeEnd = `</s:Body></s:Envelope>`
)

// Probe returns a Probe for types (none: the generic probe, which wsdd
// ignores) with no Scopes, to be sent to 239.255.255.250:3702 or [ff02::c]:3702.
// Unknown types are skipped. Send each type in its own Probe: wsdd answers
// only a Types text of exactly "wsdp:Device".
func Probe(types []Type, messageID string) []byte {
	var b bytes.Buffer
	b.WriteString(envelopeStart)
	var names []string
	for _, t := range types {
		if p := t.prefix(); p != "" {
			if len(names) > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, `xmlns:%s="%s"`, p, t.QName().Space)
			names = append(names, p+":"+t.QName().Local)
		}
	}
	fmt.Fprintf(&b, headerFormat, "Probe", escape(messageID))
	b.WriteString(`<s:Body><d:Probe>`)
	if len(names) > 0 {
		b.WriteString(`<d:Types>`)
		for i, n := range names {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(n)
		}
		b.WriteString(`</d:Types>`)
	}
	b.WriteString(`</d:Probe>`)
	b.WriteString(envelopeEnd)
	return b.Bytes()
}

// Resolve returns a Resolve for the endpoint reference address
// endpointRef, for a match that came without XAddrs (wsdd). The address is
// escaped: it comes from the network.
func Resolve(endpointRef, messageID string) []byte {
	var b bytes.Buffer
	b.WriteString(envelopeStart)
	fmt.Fprintf(&b, headerFormat, "Resolve", escape(messageID))
	fmt.Fprintf(&b, `<s:Body><d:Resolve><a:EndpointReference><a:Address>%s</a:Address></a:EndpointReference></d:Resolve>`, escape(endpointRef))
	b.WriteString(envelopeEnd)
	return b.Bytes()
}

func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to a bytes.Buffer cannot fail
	return b.String()
}

// NewMessageID returns "urn:uuid:" and a random (version 4) UUID.
func NewMessageID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails (Go 1.24+)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
