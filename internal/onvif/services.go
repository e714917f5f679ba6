package onvif

// Services maps a service namespace URI (e.g.
// "http://www.onvif.org/ver10/media/wsdl") to the XAddr that serves it.
type Services map[string]string

// Well-known service namespaces.
const (
	NamespaceDevice          = nsDevice
	NamespaceMedia           = "http://www.onvif.org/ver10/media/wsdl"
	NamespaceMedia2          = "http://www.onvif.org/ver20/media/wsdl"
	NamespaceEvents          = "http://www.onvif.org/ver10/events/wsdl"
	NamespaceImaging         = "http://www.onvif.org/ver20/imaging/wsdl"
	NamespacePTZ             = "http://www.onvif.org/ver20/ptz/wsdl"
	NamespaceAnalytics       = "http://www.onvif.org/ver20/analytics/wsdl"
	NamespaceDeviceIO        = "http://www.onvif.org/ver10/deviceIO/wsdl"
	NamespaceRecording       = "http://www.onvif.org/ver10/recording/wsdl"
	NamespaceSearch          = "http://www.onvif.org/ver10/search/wsdl"
	NamespaceReplay          = "http://www.onvif.org/ver10/replay/wsdl"
	NamespaceReceiver        = "http://www.onvif.org/ver10/receiver/wsdl"
	NamespaceDisplay         = "http://www.onvif.org/ver10/display/wsdl"
	NamespaceAnalyticsDevice = "http://www.onvif.org/ver10/analyticsdevice/wsdl"
	NamespaceAccessControl   = "http://www.onvif.org/ver10/accesscontrol/wsdl"
	NamespaceDoorControl     = "http://www.onvif.org/ver10/doorcontrol/wsdl"
)

// capabilityNamespace names the service behind each tt:Capabilities
// category of GetCapabilities (ONVIF Core spec, 8.1.2.4).
var capabilityNamespace = map[string]string{
	"Device":          NamespaceDevice,
	"Media":           NamespaceMedia,
	"Events":          NamespaceEvents,
	"Imaging":         NamespaceImaging,
	"PTZ":             NamespacePTZ,
	"Analytics":       NamespaceAnalytics,
	"DeviceIO":        NamespaceDeviceIO,
	"Recording":       NamespaceRecording,
	"Search":          NamespaceSearch,
	"Replay":          NamespaceReplay,
	"Receiver":        NamespaceReceiver,
	"Display":         NamespaceDisplay,
	"AnalyticsDevice": NamespaceAnalyticsDevice,
}

// parseServices parses a GetServicesResponse envelope. Entries without a
// namespace or XAddr are skipped; the first XAddr of a namespace wins.
func parseServices(body []byte, headerCharset string) (Services, error) {
	r, err := parseResponse(body, headerCharset, "GetServicesResponse")
	if err != nil {
		return nil, err
	}
	out := Services{}
	for _, s := range r.all(nsDevice, "Service") {
		ns, x := s.child(nsDevice, "Namespace").value(), s.child(nsDevice, "XAddr").value()
		if _, dup := out[ns]; ns != "" && x != "" && !dup {
			out[ns] = x
		}
	}
	return out, nil
}

// parseCapabilities parses a GetCapabilitiesResponse envelope into the same
// shape as GetServices. Standard categories (directly under Capabilities or
// under Capabilities/Extension) map through capabilityNamespace; a vendor
// category outside the ONVIF schema namespace (Hikvision's
// hikxsd:hikCapabilities) is keyed by its own element namespace.
func parseCapabilities(body []byte, headerCharset string) (Services, error) {
	r, err := parseResponse(body, headerCharset, "GetCapabilitiesResponse")
	if err != nil {
		return nil, err
	}
	caps := r.child(nsDevice, "Capabilities")
	out := Services{}
	var cats []*node
	if caps != nil {
		cats = append(cats, caps.children...)
		if ext := caps.child(nsSchema, "Extension"); ext != nil {
			cats = append(cats, ext.children...)
		}
	}
	for _, c := range cats {
		x := firstOf(c.child(nsSchema, "XAddr"), c.child(c.name.Space, "XAddr")).value()
		if x == "" {
			continue
		}
		ns := c.name.Space
		if ns == nsSchema {
			ns = capabilityNamespace[c.name.Local]
		}
		if _, dup := out[ns]; ns != "" && !dup {
			out[ns] = x
		}
	}
	return out, nil
}
