package onvif

import "net/netip"

func addr(s, origin string) Address {
	return Address{Prefix: netip.MustParsePrefix(s), Origin: origin}
}

func eth0(mac, hw string, mtu int, dhcp bool, v4, v6 []Address) []NetworkInterface {
	return []NetworkInterface{{Token: "eth0", Name: "eth0", Enabled: true, MAC: mac, HwAddress: hw,
		MTU: mtu, IPv4DHCP: dhcp, IPv4: v4, IPv6: v6}}
}

// Network-side fixture expectations: interfaces, scopes, services.
func init() {
	for name, tc := range map[string]fixtureCase{
		"axis-GetNetworkInterfaces.xml": {op: "GetNetworkInterfaces", want: eth0(
			"00:40:8c:fa:b7:54", "00:40:8C:FA:B7:54", 1500, true,
			[]Address{addr("10.10.1.20/16", "Manual"), addr("192.168.0.19/24", "FromDHCP"), addr("169.254.138.132/16", "LinkLocal")},
			[]Address{addr("fe80::240:8cff:fefa:b754/64", "LinkLocal"), addr("fd00:fc:8dc7:cbf2:240:8cff:fefa:b754/64", "FromRA")})},
		"hikvision-GetNetworkInterfaces.xml": {op: "GetNetworkInterfaces", want: eth0(
			"c0:56:e3:f9:55:68", "c0:56:e3:f9:55:68", 1500, true,
			[]Address{addr("10.10.1.65/16", "FromDHCP")},
			[]Address{addr("fe80::c256:e3ff:fef9:5568/64", "FromDHCP")})},
		"hikvision-ptz-GetNetworkInterfaces.xml": {op: "GetNetworkInterfaces", want: eth0(
			"44:19:b6:3e:ba:a1", "44:19:b6:3e:ba:a1", 1500, true,
			[]Address{addr("10.10.1.60/16", "FromDHCP")},
			[]Address{addr("fe80::4619:b6ff:fe3e:baa1/64", "FromDHCP")})},
		// Pelco: MAC without colons; its 127.0.0.1/8 "link-local" is dropped.
		"pelco-GetNetworkInterfaces.xml": {op: "GetNetworkInterfaces", want: eth0(
			"00:04:7d:0e:b8:5c", "00047D0EB85C", 1450, false,
			[]Address{addr("10.10.1.66/16", "Manual")},
			[]Address{addr("fe80::204:7dff:fe0e:b85c/64", "LinkLocal")})},
		"trendnet-GetNetworkInterfaces.xml": {op: "GetNetworkInterfaces", want: eth0(
			"3c:8c:f8:a1:32:dc", "3c:8c:f8:a1:32:dc", 1500, true,
			[]Address{addr("10.10.1.67/16", "FromDHCP")},
			[]Address{addr("fe80::3e8c:f8ff:fea1:32dc/64", "FromDHCP")})},

		"axis-GetScopes.xml": {op: "GetScopes", want: Scopes{
			"onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/Profile/Streaming",
			"onvif://www.onvif.org/hardware/Q6045-E", "onvif://www.onvif.org/name/AXIS%20Q6045-E",
			"onvif://www.onvif.org/type/ptz", "onvif://www.onvif.org/location/"}},
		"hikvision-GetScopes.xml": {op: "GetScopes", want: Scopes{
			"onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/Profile/Streaming",
			"onvif://www.onvif.org/Profile/G", "onvif://www.onvif.org/hardware/DS-2CD2012-I",
			"onvif://www.onvif.org/name/HIKVISION%20DS-2CD2012-I", "onvif://www.onvif.org/location/city/hangzhou"}},
		"hikvision-ptz-GetScopes.xml": {op: "GetScopes", want: Scopes{
			"onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/Profile/Streaming",
			"onvif://www.onvif.org/Profile/G", "onvif://www.onvif.org/type/audio_encoder",
			"onvif://www.onvif.org/type/ptz", "onvif://www.onvif.org/hardware/DS-2DF7276-AEL",
			"onvif://www.onvif.org/name/DS-2DF7276-AEL", "onvif://www.onvif.org/location/city/hangzhou"}},
		"pelco-GetScopes.xml": {op: "GetScopes", want: Scopes{
			"onvif://www.onvif.org/Profile/G", "onvif://www.onvif.org/Profile/Q/FactoryDefault",
			"onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/hardware/D6230L",
			"onvif://www.onvif.org/type/Network_Video_Transmitter", "onvif://www.onvif.org/type/audio_encoder",
			"onvif://www.onvif.org/type/ptz", "onvif://www.onvif.org/type/video_encoder",
			"urn:schemas-pelco-com:onvif:extensions:1", "onvif://www.onvif.org/location/country/usa",
			"onvif://www.onvif.org/name/D6230L-J250117"}},
		"trendnet-GetScopes.xml": {op: "GetScopes", want: Scopes{
			"onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/Profile/Streaming",
			"onvif://www.onvif.org/Profile/G", "onvif://www.onvif.org/hardware/TV-IP320PI",
			"onvif://www.onvif.org/name/TV-IP320PI", "onvif://www.onvif.org/location/"}},

		"hikvision-GetServices.xml": {op: "GetServices", want: Services{
			NamespaceDevice: "http://10.10.1.65/onvif/device_service", NamespaceMedia: "http://10.10.1.65/onvif/Media",
			NamespaceEvents: "http://10.10.1.65/onvif/Events", NamespaceImaging: "http://10.10.1.65/onvif/Imaging",
			NamespaceDeviceIO: "http://10.10.1.65/onvif/DeviceIO", NamespaceAnalytics: "http://10.10.1.65/onvif/Analytics"}},
		"trendnet-GetServices.xml": {op: "GetServices", want: Services{
			NamespaceDevice: "http://10.10.1.67/onvif/device_service", NamespaceMedia: "http://10.10.1.67/onvif/Media",
			NamespaceEvents: "http://10.10.1.67/onvif/Events", NamespaceImaging: "http://10.10.1.67/onvif/Imaging",
			NamespaceDeviceIO: "http://10.10.1.67/onvif/DeviceIO", NamespaceAnalytics: "http://10.10.1.67/onvif/Analytics",
			NamespaceRecording: "http://10.10.1.67/onvif/Recording", NamespaceSearch: "http://10.10.1.67/onvif/SearchRecording",
			NamespaceReplay: "http://10.10.1.67/onvif/Replay"}},
		"pelco-GetServices.xml": {op: "GetServices", want: Services{
			NamespaceDevice:                                    "http://10.10.1.66/onvif/device_service",
			"urn:schemas-pelco-com:onvif:device:1":             "http://10.10.1.66/onvif/device_service",
			"urn:schemas-pelco-com:onvif:trafficshaping:1":     "http://10.10.1.66/onvif/device_service",
			NamespaceMedia:                                     "http://10.10.1.66/onvif/media_service",
			"urn:schemas-pelco-com:onvif:media:1":              "http://10.10.1.66/onvif/media_service",
			NamespaceImaging:                                   "http://10.10.1.66/onvif/imaging_service",
			"urn:schemas-pelco-com:onvif:imaging:1":            "http://10.10.1.66/onvif/imaging_service",
			NamespacePTZ:                                       "http://10.10.1.66/onvif/ptz_service",
			"urn:schemas-pelco-com:onvif:ptzzones:1":           "http://10.10.1.66/onvif/ptz_service",
			"urn:schemas-pelco-com:onvif:smartcompression:1":   "http://10.10.1.66/onvif/media_service",
			"urn:schemas-pelco-com:onvif:mediapresets:1":       "http://10.10.1.66/onvif/media_service",
			NamespaceEvents:                                    "http://10.10.1.66/onvif/eventing_service",
			NamespaceDeviceIO:                                  "http://10.10.1.66/onvif/device_service",
			"urn:schemas-pelco-com:onvif:deviceIO:1":           "http://10.10.1.66/onvif/device_service",
			"http://www.onvif.org/ver10/advancedsecurity/wsdl": "http://10.10.1.66/onvif/security_service",
			NamespaceRecording:                                 "http://10.10.1.66/onvif/recording_control_service",
			NamespaceReplay:                                    "http://10.10.1.66/onvif/replay_service",
			NamespaceSearch:                                    "http://10.10.1.66/onvif/recording_search_service",
			NamespaceAnalytics:                                 "http://10.10.1.66/onvif/analytics_service",
			"urn:schemas-pelco-com:onvif:snmp:1":               "http://10.10.1.66/onvif/device_service",
			"urn:schemas-pelco-com:onvif:smtp:1":               "http://10.10.1.66/onvif/device_service",
			"urn:schemas-pelco-com:onvif:led:1":                "http://10.10.1.66/onvif/device_service"}},
	} {
		fixtureCases[name] = tc
	}
	for name, tc := range capabilityCases {
		fixtureCases[name] = tc
	}
}

const nsHikExt = "http://www.onvifext.com/onvif/ext/ver10/schema"

// capabilityCases: GetCapabilities of all seven vendors.
var capabilityCases = map[string]fixtureCase{
	"axis-GetCapabilities.xml": {op: "GetCapabilities", want: Services{
		NamespaceDevice: "http://192.168.0.19/onvif/device_service", NamespaceEvents: "http://192.168.0.19/onvif/services",
		NamespaceMedia: "http://192.168.0.19/onvif/services", NamespacePTZ: "http://192.168.0.19/onvif/services"}},
	"bosch-GetCapabilities.xml": {op: "GetCapabilities", want: Services{
		NamespaceAnalytics: "http://192.168.1.201/onvif/analytics_service", NamespaceDevice: "http://192.168.1.201/onvif/device_service",
		NamespaceEvents: "http://192.168.1.201/onvif/event_service", NamespaceImaging: "http://192.168.1.201/onvif/imaging_service",
		NamespaceMedia: "http://192.168.1.201/onvif/media_service", NamespaceDeviceIO: "http://192.168.1.201/onvif/DeviceIO_service",
		NamespaceRecording: "http://192.168.1.201/onvif/Rec_service", NamespaceSearch: "http://192.168.1.201/onvif/search_service",
		NamespaceReplay: "http://192.168.1.201/onvif/replay_service"}},
	"dahua-GetCapabilities.xml": {op: "GetCapabilities", want: Services{
		NamespaceAnalytics: "http://192.168.1.123/onvif/analytics_service", NamespaceDevice: "http://192.168.1.123/onvif/device_service",
		NamespaceEvents: "http://192.168.1.123/onvif/event_service", NamespaceImaging: "http://192.168.1.123/onvif/imaging_service",
		NamespaceMedia: "http://192.168.1.123/onvif/media_service", NamespaceDeviceIO: "http://192.168.1.123/onvif/deviceIO_service"}},
	"hikvision-GetCapabilities.xml": {op: "GetCapabilities", want: Services{
		NamespaceAnalytics: "http://10.10.1.65/onvif/Analytics", NamespaceDevice: "http://10.10.1.65/onvif/device_service",
		NamespaceEvents: "http://10.10.1.65/onvif/Events", NamespaceImaging: "http://10.10.1.65/onvif/Imaging",
		NamespaceMedia: "http://10.10.1.65/onvif/Media", nsHikExt: "http://10.10.1.65/onvif/hik_ext",
		NamespaceDeviceIO: "http://10.10.1.65/onvif/DeviceIO"}},
	"hikvision-ptz-GetCapabilities.xml": {op: "GetCapabilities", want: Services{
		NamespaceAnalytics: "http://10.10.1.60/onvif/Analytics", NamespaceDevice: "http://10.10.1.60/onvif/device_service",
		NamespaceEvents: "http://10.10.1.60/onvif/Events", NamespaceImaging: "http://10.10.1.60/onvif/Imaging",
		NamespaceMedia: "http://10.10.1.60/onvif/Media", NamespacePTZ: "http://10.10.1.60/onvif/PTZ",
		nsHikExt: "http://10.10.1.60/onvif/hik_ext", NamespaceDeviceIO: "http://10.10.1.60/onvif/DeviceIO"}},
	"pelco-GetCapabilities.xml": {op: "GetCapabilities", want: Services{
		NamespaceAnalytics: "http://10.10.1.66/onvif/analytics_service", NamespaceDevice: "http://10.10.1.66/onvif/device_service",
		NamespaceEvents: "http://10.10.1.66/onvif/eventing_service", NamespaceImaging: "http://10.10.1.66/onvif/imaging_service",
		NamespaceMedia: "http://10.10.1.66/onvif/media_service", NamespacePTZ: "http://10.10.1.66/onvif/ptz_service",
		NamespaceDeviceIO: "http://10.10.1.66/onvif/device_service", NamespaceRecording: "http://10.10.1.66/onvif/recording_control_service",
		NamespaceSearch: "http://10.10.1.66/onvif/recording_search_service", NamespaceReplay: "http://10.10.1.66/onvif/replay_service"}},
	"trendnet-GetCapabilities.xml": {op: "GetCapabilities", want: Services{
		NamespaceAnalytics: "http://10.10.1.67/onvif/Analytics", NamespaceDevice: "http://10.10.1.67/onvif/device_service",
		NamespaceEvents: "http://10.10.1.67/onvif/Events", NamespaceImaging: "http://10.10.1.67/onvif/Imaging",
		NamespaceMedia: "http://10.10.1.67/onvif/Media", nsHikExt: "http://10.10.1.67/onvif/onvif_ext",
		NamespaceDeviceIO: "http://10.10.1.67/onvif/DeviceIO", NamespaceRecording: "http://10.10.1.67/onvif/Recording",
		NamespaceSearch: "http://10.10.1.67/onvif/SearchRecording", NamespaceReplay: "http://10.10.1.67/onvif/Replay"}},
}
