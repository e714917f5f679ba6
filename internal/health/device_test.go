package health

import (
	"context"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSummarise(t *testing.T) {
	ping := Result{Check: "icmp", State: OK, Answered: true, Detail: "answers ping in 1ms"}
	noPing := Result{Check: "icmp", State: Down, Detail: "no answer to 3 ping(s) in 3s"}
	rtspOK := Result{Check: "rtsp:554", State: OK, Answered: true, Detail: "the video service answers (200 OK)"}
	rtspRefused := Result{Check: "rtsp:554", State: Down, Answered: true, Detail: "port 554 refused the connection"}
	rtspTimeout := Result{Check: "rtsp:554", State: Down, Detail: "port 554 did not answer in time"}
	onvifOK := Result{Check: "onvif", State: OK, Answered: true, Clock: &ClockInfo{Offset: time.Second}}
	onvifSkew := Result{Check: "onvif", State: Degraded, Answered: true, Clock: &ClockInfo{Offset: 2 * time.Hour},
		Detail: "the device's clock is 2 h 0 min ahead: recordings' timestamps stop being reliable evidence"}
	certSoon := Result{Check: "https:443", State: Degraded, Answered: true, Detail: "its certificate expires in 10 days",
		HTTP: &HTTPInfo{Status: 200, TLS: &TLSInfo{DaysLeft: 10, SelfSigned: true}}}
	oldTLS := Result{Check: "https:443", State: Degraded, Answered: true, Detail: "it offers only TLS 1.0",
		HTTP: &HTTPInfo{Status: 200, TLS: &TLSInfo{DaysLeft: 300, Outdated: true}}}
	closed8000 := Result{Check: "tcp:8000", State: Down, Answered: true, Detail: "port 8000 refused the connection"}

	tests := []struct {
		name     string
		in       []Result
		want     State
		contains string
		problems []string
	}{
		{"all ok", []Result{ping, rtspOK, onvifOK}, OK, "all 3 checks passed", nil},
		{"nothing answers", []Result{noPing, rtspTimeout}, Down, "does not answer at all", nil},
		{"ping but rtsp refused", []Result{ping, rtspRefused, onvifOK}, Degraded, "video stream service (rtsp:554) does not work", []string{ProblemVideo}},
		{"ping but rtsp silent", []Result{ping, rtspTimeout}, Degraded, "video may not be recorded", []string{ProblemVideo}},
		{"no ping but video answers", []Result{noPing, rtspOK}, OK, "icmp: no answer", nil},
		{"clock skew", []Result{ping, rtspOK, onvifSkew}, Degraded, "reliable evidence", []string{ProblemClock}},
		{"cert expiring", []Result{ping, certSoon}, Degraded, "expires in 10 days", []string{ProblemCertificate}},
		{"clock and certificate", []Result{ping, onvifSkew, certSoon, rtspRefused}, Degraded, "expires in 10 days", []string{ProblemClock, ProblemCertificate, ProblemVideo}},
		{"old tls is a note", []Result{ping, oldTLS}, OK, "TLS 1.0", nil},
		{"closed side port is a note", []Result{ping, closed8000}, OK, "tcp:8000", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, detail, problems := summarise(tt.in)
			if got != tt.want || !strings.Contains(detail, tt.contains) || !slices.Equal(problems, tt.problems) {
				t.Errorf("summarise(%s) = %v %q %q; want %v containing %q, problems %q", tt.name, got, detail, problems, tt.want, tt.contains, tt.problems)
			}
		})
	}
}

func TestPingModes(t *testing.T) {
	for _, tt := range []struct {
		mode ICMPMode
		goos string
		want []bool
	}{
		{ICMPAuto, "linux", []bool{false, true}},
		{ICMPAuto, "darwin", []bool{false, true}},
		{ICMPAuto, "windows", []bool{true}},
		{ICMPUnprivileged, "windows", []bool{false}},
		{ICMPPrivileged, "linux", []bool{true}},
	} {
		if got := pingModes(tt.mode, tt.goos); !slices.Equal(got, tt.want) {
			t.Errorf("pingModes(%v, %s) = %v; want %v", tt.mode, tt.goos, got, tt.want)
		}
	}
}

func TestCheckPingFallback(t *testing.T) {
	tg := loopTarget(t) // ICMPOff
	if r := CheckPing(context.Background(), tg); r.State != Unknown || !strings.Contains(r.Detail, "no port is known") {
		t.Errorf("CheckPing(ICMPOff, no ports) = %v %q; want unknown, no port", r.State, r.Detail)
	}
	tg.Ports = []uint16{listen(t, func(net.Conn) {})}
	r := CheckPing(context.Background(), tg)
	if r.State != OK || r.Method != MethodTCPConnect || r.Check != "icmp" {
		t.Errorf("CheckPing(ICMPOff, a port) = %+v; want OK by %s", r, MethodTCPConnect)
	}
}

// TestCheckPingLoopback pings 127.0.0.1 (loopback only) with whatever this
// machine allows; without any ICMP socket it must fall back to TCP.
func TestCheckPingLoopback(t *testing.T) {
	tg := loopTarget(t)
	tg.ICMP = ICMPAuto
	tg.Ports = []uint16{listen(t, func(net.Conn) {})}
	entered := 0
	tg.Enter = func(fn func() error) error { entered++; return fn() }
	r := CheckPing(context.Background(), tg)
	if r.State != OK || r.Method == "" {
		t.Fatalf("CheckPing(127.0.0.1) = %+v; want OK with a method", r)
	}
	if r.Method != MethodTCPConnect && entered == 0 {
		t.Errorf("ICMP socket opened outside Enter")
	}
	t.Logf("method %s, %s", r.Method, r.Detail)
}

// countedConn decrements open when closed.
type countedConn struct {
	net.Conn
	open *atomic.Int32
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.open.Add(-1) })
	return c.Conn.Close()
}

func TestCheckDeviceBoundsSockets(t *testing.T) {
	var open, peak atomic.Int32
	tg := loopTarget(t)
	tg.Sockets = 2
	for range 6 {
		tg.Ports = append(tg.Ports, listen(t, hangUp))
	}
	base := tg.Dial
	tg.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := base(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		n := open.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(20 * time.Millisecond) // hold the socket a moment, so overlaps show
		return &countedConn{Conn: c, open: &open}, nil
	}
	rep := CheckDevice(context.Background(), tg)
	if rep.State != OK || len(rep.Checks) != 7 {
		t.Errorf("CheckDevice = %v with %d checks; want ok with 7 (tcp fallback ping + 6 ports)", rep.State, len(rep.Checks))
	}
	if p := peak.Load(); p > 2 || p == 0 {
		t.Errorf("%d connections open at once; want 1 to Sockets = 2", p)
	}
	if open.Load() != 0 {
		t.Errorf("%d connections left open", open.Load())
	}
	if _, ok := rep.Result("icmp"); !ok {
		t.Errorf("Report.Result(icmp) missing")
	}
}

func TestCheckDeviceDown(t *testing.T) {
	tg := loopTarget(t)
	tg.Timeout = 300 * time.Millisecond
	// Every dial fails as on a dead link: a timeout, never a refusal.
	tg.Dial = func(ctx context.Context, _, _ string) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	tg.Ports = []uint16{80, 554}
	tg.XAddr = "http://127.0.0.1/onvif/device_service"
	start := time.Now()
	rep := CheckDevice(context.Background(), tg)
	if rep.State != Down {
		t.Errorf("CheckDevice(dead) = %v %q; want down", rep.State, rep.Detail)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("CheckDevice(dead) took %v; want about the 300ms timeout", took)
	}
}

func TestStateText(t *testing.T) {
	for _, s := range []State{Unknown, OK, Degraded, Down} {
		b, _ := s.MarshalText()
		var got State
		if err := got.UnmarshalText(b); err != nil || got != s {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, got, err, s)
		}
	}
}
