//go:build linux

package lab

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// RTSPConfig sets which devices answer RTSP and how.
type RTSPConfig struct {
	// Devices are the device indexes that serve RTSP; nil means every device.
	Devices []int
	// Port is the TCP port; 0 means 554.
	Port uint16
	// Username, when set, makes DESCRIBE answer 401 with a Basic challenge,
	// as cameras do; OPTIONS stays anonymous (gst-rtsp-server does the same,
	// lab-notes §6).
	Username string
}

// RTSPPublic is what the lab's RTSP servers put in Public.
const RTSPPublic = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER"

// RTSP server limits.
const (
	maxRTSPRequest = 8 << 10
	rtspIdle       = 30 * time.Second
)

// RTSPServers are small RTSP responders, one listener per device opened
// inside its namespace: OPTIONS → 200 with Public and CSeq echoed, DESCRIBE
// → a one-line SDP (or 401), anything else → 501. They serve no media: they
// are for health checks. Start them with ServeRTSP; Stop and Start take one
// device's port away and back.
type RTSPServers struct {
	l    *Lab
	cfg  RTSPConfig
	mu   sync.Mutex
	devs map[int]*rtspListener // guarded by mu
	wg   sync.WaitGroup
	stop context.CancelFunc
	reqs atomic.Int64
}

// rtspListener is one device's listener and its open connections.
type rtspListener struct {
	ln    net.Listener
	mu    sync.Mutex
	conns map[net.Conn]bool
}

// ServeRTSP starts RTSP responders on cfg.Port of cfg.Devices. When it
// returns, every listener is open. Everything closes when ctx ends or Close
// is called; close them before Down.
func (l *Lab) ServeRTSP(ctx context.Context, cfg RTSPConfig) (*RTSPServers, error) {
	if cfg.Port == 0 {
		cfg.Port = 554
	}
	if cfg.Devices == nil {
		for i := range l.devices {
			cfg.Devices = append(cfg.Devices, i)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &RTSPServers{l: l, cfg: cfg, devs: map[int]*rtspListener{}, stop: cancel}
	for _, i := range cfg.Devices {
		if err := s.Start(i); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.wg.Add(1)
	go func() { // exits when ctx ends or Close is called
		defer s.wg.Done()
		<-ctx.Done()
		s.mu.Lock()
		defer s.mu.Unlock()
		for i := range s.devs {
			s.stopLocked(i)
		}
	}()
	return s, nil
}

// Start opens device i's RTSP port (again, after Stop). Opening an open
// port does nothing.
func (s *RTSPServers) Start(i int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.devs[i]; ok {
		return nil
	}
	d := s.l.Device(i)
	if d.Namespace == "" {
		return fmt.Errorf("lab %s: no device %d", s.l.prefix, i)
	}
	var ln net.Listener
	err := s.l.InDevice(i, func() error {
		var err error
		ln, err = net.Listen("tcp4", netip.AddrPortFrom(d.Addr, s.cfg.Port).String())
		return err
	})
	if err != nil {
		return fmt.Errorf("lab %s: device %d: rtsp listener: %w", s.l.prefix, i, err)
	}
	rl := &rtspListener{ln: ln, conns: map[net.Conn]bool{}}
	s.devs[i] = rl
	s.wg.Add(1)
	go func() { // exits when the listener is closed (Stop, Close)
		defer s.wg.Done()
		s.accept(rl)
	}()
	return nil
}

// Stop closes device i's RTSP listener and connections: its port refuses
// connections from then on (TCP reset), while ping and ONVIF still work.
func (s *RTSPServers) Stop(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked(i)
}

func (s *RTSPServers) stopLocked(i int) {
	rl, ok := s.devs[i]
	if !ok {
		return
	}
	delete(s.devs, i)
	_ = rl.ln.Close()
	rl.mu.Lock()
	for c := range rl.conns {
		_ = c.Close()
	}
	rl.mu.Unlock()
}

// Close closes every listener and connection and waits for the goroutines.
func (s *RTSPServers) Close() {
	s.stop()
	s.wg.Wait()
}

// Requests returns the RTSP requests answered so far, on every device.
func (s *RTSPServers) Requests() int64 { return s.reqs.Load() }

func (s *RTSPServers) accept(rl *rtspListener) {
	for {
		c, err := rl.ln.Accept()
		if err != nil {
			return
		}
		rl.mu.Lock()
		rl.conns[c] = true
		rl.mu.Unlock()
		s.wg.Add(1)
		go func() { // exits when the client hangs up, idles, or Stop closes c
			defer s.wg.Done()
			defer func() {
				rl.mu.Lock()
				delete(rl.conns, c)
				rl.mu.Unlock()
				_ = c.Close()
			}()
			s.serveConn(c)
		}()
	}
}

// serveConn answers requests on c until it fails or idles.
func (s *RTSPServers) serveConn(c net.Conn) {
	br := bufio.NewReaderSize(c, 4096)
	for {
		_ = c.SetDeadline(time.Now().Add(rtspIdle))
		method, cseq, err := readRTSPRequest(br)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				_, _ = io.WriteString(c, "RTSP/1.0 400 Bad Request\r\n\r\n")
			}
			return
		}
		s.reqs.Add(1)
		if _, err := io.WriteString(c, s.reply(method, cseq, c.LocalAddr())); err != nil {
			return
		}
	}
}

// reply is the whole response to one request.
func (s *RTSPServers) reply(method, cseq string, local net.Addr) string {
	head := "RTSP/1.0 %s\r\nCSeq: " + cseq + "\r\nServer: SiteKeeper lab RTSP\r\n"
	switch {
	case method == "OPTIONS":
		return fmt.Sprintf(head, "200 OK") + "Public: " + RTSPPublic + "\r\n\r\n"
	case method == "DESCRIBE" && s.cfg.Username != "":
		return fmt.Sprintf(head, "401 Unauthorized") + "WWW-Authenticate: Basic realm=\"lab\"\r\n\r\n"
	case method == "DESCRIBE":
		host, _, _ := net.SplitHostPort(local.String())
		sdp := "v=0\r\no=- 0 0 IN IP4 " + host + "\r\ns=lab\r\nt=0 0\r\nm=video 0 RTP/AVP 26\r\n"
		return fmt.Sprintf(head, "200 OK") + "Content-Type: application/sdp\r\n" +
			fmt.Sprintf("Content-Length: %d\r\n\r\n", len(sdp)) + sdp
	}
	return fmt.Sprintf(head, "501 Not Implemented") + "\r\n"
}

// readRTSPRequest reads one request's line and header (at most
// maxRTSPRequest bytes; a body is not expected) and returns its method and
// CSeq.
func readRTSPRequest(br *bufio.Reader) (method, cseq string, err error) {
	n := 0
	for first := true; ; first = false {
		line, err := br.ReadSlice('\n')
		n += len(line)
		if err != nil {
			if first && len(line) == 0 && errors.Is(err, io.EOF) {
				return "", "", io.EOF
			}
			return "", "", fmt.Errorf("rtsp request: %w", err)
		}
		if n > maxRTSPRequest {
			return "", "", errors.New("rtsp request too large")
		}
		text := strings.TrimRight(string(line), "\r\n")
		switch {
		case first:
			f := strings.Fields(text)
			if len(f) != 3 || !strings.HasPrefix(f[2], "RTSP/") {
				return "", "", fmt.Errorf("rtsp request line %q", text)
			}
			method = f[0]
		case text == "":
			return method, cseq, nil
		default:
			if k, v, ok := strings.Cut(text, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "CSeq") {
				cseq = strings.TrimSpace(v)
			}
		}
	}
}
