//go:build linux

package lab

import (
	"bytes"
	"context"
	"embed"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// soapFiles holds copies of the vendors' captured device-service responses
// (provenance in vendors/SOURCES.md).
//
//go:embed vendors/*.xml
var soapFiles embed.FS

// soapActions are the device-service operations the simulated devices
// answer. Axis's GetServices is its captured ter:Action fault: the Q6045-E
// does not implement it.
var soapActions = []string{
	"GetSystemDateAndTime", "GetDeviceInformation", "GetNetworkInterfaces",
	"GetScopes", "GetCapabilities", "GetServices",
}

// DeviceServicePath is the HTTP path of a simulated device's ONVIF device
// service, as in Device.XAddr.
const DeviceServicePath = "/onvif/device_service"

// maxSOAPRequest bounds a request body; real requests are under 2 KiB.
const maxSOAPRequest = 64 << 10

// SOAPConfig sets how the simulated devices answer SOAP. The zero value
// answers every call at once and anonymously, with the right time.
type SOAPConfig struct {
	// Modes holds the devices that behave otherwise (authentication, clock
	// skew, slow, hanging or malformed answers), by device index; a device
	// not in it has the zero DeviceMode.
	Modes map[int]DeviceMode
	// Now is the true time the devices' clocks derive from; nil means
	// time.Now. A test may inject a fake.
	Now func() time.Time
}

// SOAPServers are the ONVIF device services of every device of a lab,
// one HTTP listener per device on its address port 80, created inside the
// device's namespace. Start them with ServeONVIF.
type SOAPServers struct {
	servers []*http.Server
	devices []*soapDevice
	wg      sync.WaitGroup
	once    sync.Once
	stop    chan struct{} // closed by Close
	done    chan struct{} // closed when the servers shut down: hanging handlers return

	// scanner is the address every connection should come from; the zero
	// Addr (handler tests on 127.0.0.1) checks nothing.
	scanner netip.Addr

	requests atomic.Int64
	faults   atomic.Int64
}

// ServeONVIF starts every device's ONVIF device service: POSTs to
// DeviceServicePath are answered by the SOAP body's element local name with
// the device's vendor capture, rewritten so that the serial number, MAC
// (HwAddress, and Pelco's MAC-shaped HardwareId) and IPv4 addresses are the
// device's own, and GetSystemDateAndTime tells the device's clock (see
// DeviceMode.ClockSkew). An unknown operation gets a SOAP Fault
// (ter:ActionNotSupported). cfg.Modes makes some devices demand credentials,
// answer late, never or with garbage. When ServeONVIF returns, every
// listener is open. Everything is closed when ctx ends or Close is called;
// close it before Down, since an open socket keeps its namespace alive.
func (l *Lab) ServeONVIF(ctx context.Context, cfg SOAPConfig) (*SOAPServers, error) {
	for i, m := range cfg.Modes {
		if i < 0 || i >= l.devices {
			return nil, fmt.Errorf("lab %s: soap mode for device %d of %d", l.prefix, i, l.devices)
		}
		if err := m.check(); err != nil {
			return nil, fmt.Errorf("lab %s: device %d: %w", l.prefix, i, err)
		}
	}
	s := &SOAPServers{stop: make(chan struct{}), done: make(chan struct{}), scanner: scannerAddr}
	var lns []net.Listener
	for i := range l.devices {
		d := l.Device(i)
		dev, err := newSOAPDevice(d, cfg.Modes[i], cfg.Now)
		if err != nil {
			closeAll(lns)
			return nil, err
		}
		var ln net.Listener
		err = l.InDevice(i, func() error {
			var err error
			ln, err = net.Listen("tcp4", netip.AddrPortFrom(d.Addr, 80).String())
			return err
		})
		if err != nil {
			closeAll(lns)
			return nil, fmt.Errorf("lab %s: device %d: onvif listener: %w", l.prefix, i, err)
		}
		lns = append(lns, ln)
		s.devices = append(s.devices, dev)
		s.servers = append(s.servers, &http.Server{
			Handler:           s.handler(dev),
			ConnState:         s.connState(dev),
			ReadHeaderTimeout: 5 * time.Second,
			IdleTimeout:       30 * time.Second,
		})
	}
	serveAll(ctx, s.servers, lns, s.stop, &s.wg, func() { close(s.done) }) // hanging handlers give up first
	return s, nil
}

// serveAll serves each server on its listener on goroutines counted in wg,
// and closes every server when ctx ends or stop is closed, after calling
// before (if not nil).
func serveAll(ctx context.Context, servers []*http.Server, lns []net.Listener, stop <-chan struct{}, wg *sync.WaitGroup, before func()) {
	for k, srv := range servers {
		wg.Go(func() { _ = srv.Serve(lns[k]) }) // exits when srv is closed
	}
	wg.Go(func() { // exits when ctx ends or stop is closed
		select {
		case <-ctx.Done():
		case <-stop:
		}
		if before != nil {
			before()
		}
		for _, srv := range servers {
			_ = srv.Close()
		}
	})
}

// Close closes every listener and connection and waits for the servers'
// goroutines. It may be called more than once, and after ctx ended.
func (s *SOAPServers) Close() {
	s.once.Do(func() { close(s.stop) })
	s.wg.Wait()
}

// Requests returns the SOAP requests received so far, faults and
// unanswered ones included, and how many of them got a fault.
func (s *SOAPServers) Requests() (total, faults int64) {
	return s.requests.Load(), s.faults.Load()
}

// Stats returns device i's counts so far; the zero SOAPStats when i is not
// a device of the lab.
func (s *SOAPServers) Stats(i int) SOAPStats {
	if i < 0 || i >= len(s.devices) {
		return SOAPStats{}
	}
	return s.devices[i].stats.snapshot()
}

// connState counts each device's connections and those that did not come
// from the scanner's address: everything the lab's scanner sends must come
// from inside the lab.
func (s *SOAPServers) connState(dev *soapDevice) func(net.Conn, http.ConnState) {
	return func(c net.Conn, st http.ConnState) {
		if st != http.StateNew {
			return
		}
		dev.stats.conns.Add(1)
		from, err := netip.ParseAddrPort(c.RemoteAddr().String())
		if s.scanner.IsValid() && (err != nil || from.Addr().Unmap() != s.scanner) {
			dev.stats.foreign.Add(1)
		}
	}
}

func (s *SOAPServers) handler(dev *soapDevice) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+DeviceServicePath, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSOAPRequest))
		if err != nil {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		s.requests.Add(1)
		dev.stats.requests.Add(1)
		if !s.wait(r.Context(), dev.mode) {
			return // hung up, or the servers are closing
		}
		action, err := soapAction(body)
		if dev.mode.Malformed != WellFormed {
			writeMalformed(w, dev.mode.Malformed, dev.replies[action])
			return
		}
		if action != "GetSystemDateAndTime" { // anonymous on every real device
			if ref := dev.authorize(r, body); ref != nil {
				s.faults.Add(1)
				dev.stats.faults.Add(1)
				ref.write(w)
				return
			}
		}
		reply, ok := dev.replies[action]
		if err != nil || !ok {
			s.faults.Add(1)
			dev.stats.faults.Add(1)
			writeSOAP(w, http.StatusBadRequest, actionFault(action))
			return
		}
		if action == "GetSystemDateAndTime" {
			reply = dev.dateTime.render(dev.clock())
		}
		status := http.StatusOK
		if bytes.Contains(reply, []byte(":Fault>")) {
			// A captured fault (Axis GetServices): env:Receiver, so 500.
			status = http.StatusInternalServerError
			s.faults.Add(1)
			dev.stats.faults.Add(1)
		}
		writeSOAP(w, status, reply)
	})
	return mux
}

// wait holds a request as m says: for m.Delay, or for ever if m.Hang. It
// returns false when the request must go unanswered: the device hangs, the
// client gave up, or the servers are closing.
func (s *SOAPServers) wait(ctx context.Context, m DeviceMode) bool {
	if m.Hang {
		select {
		case <-ctx.Done():
		case <-s.done:
		}
		return false
	}
	if m.Delay <= 0 {
		return true
	}
	t := time.NewTimer(m.Delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

func writeSOAP(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// soapAction returns the local name of the first element inside a SOAP
// envelope's Body.
func soapAction(body []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	depth := 0
	inBody := false
	for {
		tok, err := d.Token()
		if err != nil {
			return "", fmt.Errorf("no soap body element: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if inBody {
				return t.Name.Local, nil
			}
			if depth == 2 && t.Name.Local == "Body" {
				inBody = true
			}
		case xml.EndElement:
			depth--
			if inBody {
				return "", errors.New("empty soap body")
			}
		}
	}
}

// actionFault is the fault a device sends for an operation it does not know.
func actionFault(action string) []byte {
	var reason bytes.Buffer
	_ = xml.EscapeText(&reason, []byte("Optional Action Not Implemented: "+action))
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">` +
		`<env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value>` +
		`<env:Subcode><env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code>` +
		`<env:Reason><env:Text xml:lang="en">` + reason.String() + `</env:Text></env:Reason>` +
		`</env:Fault></env:Body></env:Envelope>`)
}

func closeAll(lns []net.Listener) {
	for _, ln := range lns {
		_ = ln.Close()
	}
}
