package health

import (
	"fmt"
	"time"
)

// State is how a check, or a whole device, went.
type State int

const (
	// Unknown is the zero State: the check could not be run (nothing to
	// check it with), which says nothing about the device.
	Unknown State = iota
	// OK: it answered as it should.
	OK
	// Degraded: it answers, but something is wrong (a video service dead,
	// its clock off, a certificate about to expire).
	Degraded
	// Down: it did not answer.
	Down
)

var stateNames = [...]string{"unknown", "ok", "degraded", "down"}

func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("State(%d)", int(s))
	}
	return stateNames[s]
}

// MarshalText writes the State's name, for JSON.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a name MarshalText wrote.
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if n == string(b) {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("health: unknown state %q", b)
}

// Methods name how a check reached the device.
const (
	MethodICMPUnprivileged = "icmp-unprivileged" // ICMP echo over a ping socket
	MethodICMPRaw          = "icmp-raw"          // ICMP echo over a raw (privileged) socket
	MethodTCPConnect       = "tcp-connect"       // a TCP handshake
	MethodHTTP             = "http"
	MethodHTTPS            = "https"
	MethodRTSP             = "rtsp-options"
	MethodONVIF            = "onvif-getsystemdateandtime"
	MethodSNMP             = "snmp-v2c-get"
)

// Result is the outcome of one check.
type Result struct {
	// Check names the check and port: "icmp", "tcp:8000", "http:80",
	// "https:443", "rtsp:554", "onvif", "snmp".
	Check string `json:"check"`
	State State  `json:"state"`
	// Detail says what happened in plain words.
	Detail string `json:"detail"`
	// Latency is the time to the answer (the round trip for ICMP, the
	// connect for TCP, the first response for the others); 0 without one.
	Latency time.Duration `json:"latency"`
	// Method says how the device was reached (the Method* constants).
	Method string `json:"method"`
	// Answered is true when the device sent anything back, a refusal (TCP
	// reset, HTTP error, RTSP 401, SOAP fault) included: it is alive.
	Answered bool `json:"answered"`

	// At most one of these is set, by the check that measures it.
	HTTP  *HTTPInfo  `json:"http,omitempty"`
	RTSP  *RTSPInfo  `json:"rtsp,omitempty"`
	Clock *ClockInfo `json:"clock,omitempty"`
	SNMP  *SNMPInfo  `json:"snmp,omitempty"`
}

// HTTPInfo is what an HTTP or HTTPS check learnt.
type HTTPInfo struct {
	Status int `json:"status"`
	// TLS is set for HTTPS.
	TLS *TLSInfo `json:"tls,omitempty"`
}

// TLSInfo describes the certificate and protocol an HTTPS port offered.
type TLSInfo struct {
	// Version is the negotiated protocol, e.g. "TLS 1.3".
	Version string `json:"version"`
	// Outdated is true below TLS 1.2.
	Outdated bool `json:"outdated"`
	// NotAfter is when the leaf certificate expires; DaysLeft counts whole
	// days from the check to then, negative once expired.
	NotAfter time.Time `json:"not_after"`
	DaysLeft int       `json:"days_left"`
	// SelfSigned is true when the leaf signs itself (the factory
	// certificate of most cameras): a browser warns, and it proves nothing
	// about who answers.
	SelfSigned bool   `json:"self_signed"`
	Subject    string `json:"subject"`
}

// RTSPInfo is what an RTSP OPTIONS check learnt.
type RTSPInfo struct {
	Status int `json:"status"`
	// Public lists the methods the server offers.
	Public []string `json:"public,omitempty"`
	Server string   `json:"server,omitempty"`
}

// ClockInfo is the device's clock as ONVIF told it.
type ClockInfo struct {
	// Offset is the device's clock minus ours: positive when it is ahead.
	Offset time.Duration `json:"offset"`
	// NTP is true when the device says it sets its clock by NTP.
	NTP bool `json:"ntp"`
}

// SNMPInfo is what an SNMP check learnt.
type SNMPInfo struct {
	Descr string `json:"descr"`
	// Uptime is sysUpTime: the time since the SNMP agent (on most devices,
	// the device) started.
	Uptime time.Duration `json:"uptime"`
	// Rebooted is true when Uptime is below Target.PrevUptime (see Rebooted).
	Rebooted bool `json:"rebooted"`
}
