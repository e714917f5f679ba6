package health

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

func TestRebooted(t *testing.T) {
	const wrap = (1 << 32) * 10 * time.Millisecond
	for _, tt := range []struct {
		name      string
		prev, now time.Duration
		want      bool
	}{
		{"unknown", 0, time.Minute, false},
		{"up", time.Hour, time.Hour + time.Minute, false},
		{"reset", 5 * 24 * time.Hour, 3 * time.Minute, true},
		{"counter wrap", wrap - time.Minute, time.Minute, false},
		{"reset near wrap but long up", wrap - time.Minute, 2 * 24 * time.Hour, true},
	} {
		if got := Rebooted(tt.prev, tt.now); got != tt.want {
			t.Errorf("%s: Rebooted(%v, %v) = %v; want %v", tt.name, tt.prev, tt.now, got, tt.want)
		}
	}
}

// snmpAgent answers v2c Gets for community "public" on 127.0.0.1 with
// sysDescr and sysUpTime = uptime; other communities get silence, as from
// net-snmp (lab-notes §5).
func snmpAgent(t *testing.T, uptime time.Duration) uint16 {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { _ = c.Close(); <-done })
	go func() { // exits when the socket closes at cleanup
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			req, err := (&gosnmp.GoSNMP{}).SnmpDecodePacket(buf[:n])
			if err != nil || req.Community != "public" {
				continue
			}
			var vars []gosnmp.SnmpPDU
			for _, v := range req.Variables {
				switch v.Name {
				case oidSysDescr:
					vars = append(vars, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.OctetString, Value: []byte("AXIS M3106-L Mk II Network Camera 10.12.153\x00")})
				case oidSysUpTime:
					vars = append(vars, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.TimeTicks, Value: uint32(uptime / (10 * time.Millisecond))})
				}
			}
			res := &gosnmp.SnmpPacket{Version: gosnmp.Version2c, Community: req.Community, PDUType: gosnmp.GetResponse,
				RequestID: req.RequestID, Variables: vars}
			out, err := res.MarshalMsg()
			if err != nil {
				t.Errorf("MarshalMsg = %v", err)
				return
			}
			_, _ = c.WriteToUDP(out, from)
		}
	}()
	return uint16(c.LocalAddr().(*net.UDPAddr).Port)
}

func TestCheckSNMP(t *testing.T) {
	agent := snmpAgent(t, 3*time.Minute)
	tests := []struct {
		name      string
		community string
		prev      time.Duration
		want      State
		contains  string
		rebooted  bool
	}{
		{"first", "public", 0, OK, "up for 3 min", false},
		{"rebooted", "public", 40 * 24 * time.Hour, OK, "restarted since the last check", true},
		{"wrong community", "private", 0, Down, "community is wrong", false},
		{"none", "", 0, Unknown, "no SNMP community", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := loopTarget(t)
			tg.Timeout = 600 * time.Millisecond
			tg.SNMPPort = agent
			tg.Community = tt.community
			tg.PrevUptime = tt.prev
			entered := 0
			tg.Enter = func(fn func() error) error { entered++; return fn() }
			r := CheckSNMP(context.Background(), tg)
			if r.State != tt.want || !strings.Contains(r.Detail, tt.contains) {
				t.Fatalf("CheckSNMP = %v %q; want %v containing %q", r.State, r.Detail, tt.want, tt.contains)
			}
			if tt.community != "" && entered != 1 {
				t.Errorf("Enter called %d times; want 1 (the socket is opened inside it)", entered)
			}
			if r.State == OK {
				if r.SNMP.Rebooted != tt.rebooted || r.SNMP.Uptime != 3*time.Minute ||
					r.SNMP.Descr != "AXIS M3106-L Mk II Network Camera 10.12.153" {
					t.Errorf("SNMP = %+v; want uptime 3m, rebooted %v, the camera's descr", r.SNMP, tt.rebooted)
				}
			}
		})
	}
}
