package mdns

import "testing"

func TestServiceType(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"_ipp._tcp.local.", "_ipp._tcp", true},
		{"_AXIS-Video._TCP.LOCAL.", "_axis-video._tcp", true},
		{"_sleep-proxy._udp.local.", "_sleep-proxy._udp", true},
		{"_ipp._sctp.local.", "", false},
		{"ipp._tcp.local.", "", false},
		{"_ipp._tcp.example.com.", "", false},
		{"_a.b._tcp.local.", "", false},
		{"_toolongservicename._tcp.local.", "", false},
		{"_x\\032y._tcp.local.", "", false},
		{"_._tcp.local.", "", false},
	}
	for _, tt := range tests {
		got, ok := serviceType(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("serviceType(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestInstanceLabel(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{`AXIS\ M3045-V\ -\ ACCC8E123456._rtsp._tcp.local.`, "AXIS M3045-V - ACCC8E123456", true},
		{`Cam\ 1._RTSP._tcp.local.`, "Cam 1", true},
		{`Cam\.1._rtsp._tcp.local.`, "Cam.1", true},
		{`Cam\ \0352._rtsp._tcp.local.`, "Cam #2", true},
		{`Cam\195\169ra._rtsp._tcp.local.`, "Caméra", true},
		{`Cam\000x._rtsp._tcp.local.`, "Camx", true},
		{`a.b._rtsp._tcp.local.`, "", false},
		{`._rtsp._tcp.local.`, "", false},
		{`x._http._tcp.local.`, "", false},
		{`Cam\999._rtsp._tcp.local.`, "", false},
		// One label "Cam._rtsp" of type _tcp.local: not an _rtsp instance.
		{`Cam\._rtsp._tcp.local.`, "", false},
		{`Cam\\._rtsp._tcp.local.`, `Cam\`, true},
	}
	for _, tt := range tests {
		got, ok := instanceLabel(tt.in, "_rtsp._tcp.local.")
		if got != tt.want || ok != tt.ok {
			t.Errorf("instanceLabel(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestUnescapeTXT(t *testing.T) {
	tests := []struct{ in, want string }{
		{`fn=Cam\195\169ra`, "fn=Caméra"},
		{`a=\"q\"`, `a="q"`},
		{`a=\\`, `a=\`},
		{`plain`, `plain`},
		{`trailing\`, `trailing`},
	}
	for _, tt := range tests {
		if got := unescapeTXT(tt.in); got != tt.want {
			t.Errorf("unescapeTXT(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
