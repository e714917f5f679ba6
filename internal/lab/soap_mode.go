//go:build linux

package lab

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
	"time"
)

// Auth is how a simulated device wants its SOAP calls authenticated.
// GetSystemDateAndTime is always anonymous, as the ONVIF core spec requires
// (a client needs the device's clock to sign a UsernameToken).
type Auth int

const (
	// AuthNone answers every call anonymously.
	AuthNone Auth = iota
	// AuthUsernameToken wants a WS-Security UsernameToken with a
	// PasswordDigest, Base64(SHA1(nonce + created + password)), whose
	// Created is within MaxClockDifference of the device's own clock and
	// whose nonce it has not seen before. A refusal is a SOAP Fault with
	// subcode ter:NotAuthorized: HTTP 400 from the gSOAP vendors (Axis,
	// Pelco), 401 without a challenge from the Hikvision family.
	AuthUsernameToken
	// AuthDigest wants HTTP Digest (RFC 7616/2617, MD5, qop=auth) with a
	// nonce it issued. A refusal is HTTP 401 with a WWW-Authenticate
	// challenge and the ter:NotAuthorized fault as its body.
	AuthDigest
)

// MaxClockDifference is how far a UsernameToken's Created may be from the
// device's clock, either way, before the device refuses it.
const MaxClockDifference = 5 * time.Minute

// Malformation is how a malformed device spoils its answers.
type Malformation int

const (
	// WellFormed answers properly.
	WellFormed Malformation = iota
	// MalformedXML answers 200 with the captured reply cut in the middle of
	// a tag and followed by stray markup: not XML.
	MalformedXML
	// MalformedTruncated promises the whole reply in Content-Length, sends
	// half of it and closes the connection.
	MalformedTruncated
	// MalformedContent answers 200 with a well-formed document that is no
	// SOAP envelope: the HTML login page some web servers put on every path.
	MalformedContent
)

// DeviceMode is how one simulated device answers SOAP. The zero value
// answers at once, anonymously, with the right time.
type DeviceMode struct {
	// Auth is the authentication the device wants for every call but
	// GetSystemDateAndTime; Username and Password are its one account.
	Auth               Auth
	Username, Password string
	// ClockSkew is how far the device's clock is from the true time: what
	// GetSystemDateAndTime tells and what UsernameTokens are checked
	// against. Installed cameras drift by hours.
	ClockSkew time.Duration
	// Delay holds every answer this long (a slow or busy device).
	Delay time.Duration
	// Hang reads each request and never answers: the request waits until
	// the client gives up or the servers close.
	Hang bool
	// Malformed spoils every answer, GetSystemDateAndTime's included.
	Malformed Malformation
}

func (m DeviceMode) check() error {
	switch {
	case m.Auth < AuthNone || m.Auth > AuthDigest:
		return fmt.Errorf("unknown auth %d", m.Auth)
	case m.Auth != AuthNone && m.Username == "":
		return errors.New("auth without a username")
	case m.Malformed < WellFormed || m.Malformed > MalformedContent:
		return fmt.Errorf("unknown malformation %d", m.Malformed)
	case m.Delay < 0:
		return errors.New("negative delay")
	}
	return nil
}

// SOAPStats counts one device's SOAP traffic.
type SOAPStats struct {
	// Conns are the TCP connections accepted; Foreign those of them that
	// did not come from the lab's scanner address (always 0 in a sound lab).
	Conns, Foreign int64
	// Requests are the requests read, answered or not.
	Requests int64
	// Faults are the answers that were SOAP faults, refusals included.
	Faults int64
	// Challenged are calls refused because they carried no credentials.
	Challenged int64
	// Rejected are calls whose credentials were refused: unknown user,
	// wrong password, stale Created, replayed or unknown nonce.
	Rejected int64
	// Accepted are calls whose credentials were accepted.
	Accepted int64
}

type soapCounters struct {
	conns, foreign, requests, faults, challenged, rejected, accepted atomic.Int64
}

func (c *soapCounters) snapshot() SOAPStats {
	return SOAPStats{
		Conns: c.conns.Load(), Foreign: c.foreign.Load(), Requests: c.requests.Load(),
		Faults: c.faults.Load(), Challenged: c.challenged.Load(),
		Rejected: c.rejected.Load(), Accepted: c.accepted.Load(),
	}
}

// soapDevice is one simulated device's SOAP state.
type soapDevice struct {
	Device
	mode     DeviceMode
	replies  map[string][]byte
	now      func() time.Time
	dateTime dateTemplate
	// gSOAP refuses with 400; the Hikvision family with 401.
	refuseStatus int
	auth         authState
	stats        soapCounters
}

func newSOAPDevice(d Device, m DeviceMode, now func() time.Time) (*soapDevice, error) {
	replies, err := deviceReplies(d)
	if err != nil {
		return nil, err
	}
	dt, err := newDateTemplate(replies["GetSystemDateAndTime"])
	if err != nil {
		return nil, fmt.Errorf("lab: %s GetSystemDateAndTime: %w", d.Vendor.Name, err)
	}
	if now == nil {
		now = time.Now
	}
	status := http.StatusBadRequest
	if d.Vendor.envPrefix == "env" {
		status = http.StatusUnauthorized
	}
	return &soapDevice{Device: d, mode: m, replies: replies, now: now, dateTime: dt, refuseStatus: status}, nil
}

// clock is the device's time: the true time plus its skew.
func (d *soapDevice) clock() time.Time { return d.now().Add(d.mode.ClockSkew) }

var (
	reUTCDateTime   = regexp.MustCompile(`(?s)<(?:[\w.-]+:)?UTCDateTime>.*?</(?:[\w.-]+:)?UTCDateTime>`)
	reLocalDateTime = regexp.MustCompile(`(?s)<(?:[\w.-]+:)?LocalDateTime>.*?</(?:[\w.-]+:)?LocalDateTime>`)
	reDateField     = regexp.MustCompile(`(<(?:[\w.-]+:)?(Year|Month|Day|Hour|Minute|Second)>)\s*(\d+)\s*(<)`)
)

// dateTemplate renders a captured GetSystemDateAndTime reply at any time:
// UTCDateTime is set to it, LocalDateTime (when captured) keeps the
// capture's distance from UTC.
type dateTemplate struct {
	capture  []byte
	local    time.Duration // captured LocalDateTime minus UTCDateTime
	hasLocal bool
}

func newDateTemplate(capture []byte) (dateTemplate, error) {
	utcBlock := reUTCDateTime.Find(capture)
	if utcBlock == nil {
		return dateTemplate{}, errors.New("no UTCDateTime")
	}
	utc, err := dateFields(utcBlock)
	if err != nil {
		return dateTemplate{}, err
	}
	t := dateTemplate{capture: capture}
	if b := reLocalDateTime.Find(capture); b != nil {
		local, err := dateFields(b)
		if err != nil {
			return dateTemplate{}, err
		}
		t.local, t.hasLocal = local.Sub(utc), true
	}
	return t, nil
}

// dateFields reads the tt:DateTime fields of a block.
func dateFields(block []byte) (time.Time, error) {
	v := map[string]int{}
	for _, m := range reDateField.FindAllSubmatch(block, -1) {
		n, err := strconv.Atoi(string(m[3]))
		if err != nil {
			return time.Time{}, err
		}
		v[string(m[2])] = n
	}
	if len(v) != 6 {
		return time.Time{}, fmt.Errorf("date time with %d of 6 fields", len(v))
	}
	return time.Date(v["Year"], time.Month(v["Month"]), v["Day"], v["Hour"], v["Minute"], v["Second"], 0, time.UTC), nil
}

// render returns the capture telling utc.
func (t dateTemplate) render(utc time.Time) []byte {
	utc = utc.UTC()
	out := reUTCDateTime.ReplaceAllFunc(t.capture, func(b []byte) []byte { return setDateFields(b, utc) })
	if t.hasLocal {
		out = reLocalDateTime.ReplaceAllFunc(out, func(b []byte) []byte { return setDateFields(b, utc.Add(t.local)) })
	}
	return out
}

func setDateFields(block []byte, t time.Time) []byte {
	return reDateField.ReplaceAllFunc(block, func(m []byte) []byte {
		sub := reDateField.FindSubmatch(m)
		var n int
		switch string(sub[2]) {
		case "Year":
			n = t.Year()
		case "Month":
			n = int(t.Month())
		case "Day":
			n = t.Day()
		case "Hour":
			n = t.Hour()
		case "Minute":
			n = t.Minute()
		case "Second":
			n = t.Second()
		}
		return []byte(string(sub[1]) + strconv.Itoa(n) + string(sub[4]))
	})
}

// loginPage is what MalformedContent answers: well-formed, but no SOAP.
const loginPage = `<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Login</title></head>
<body><form action="/login" method="post"><input name="user"/><input name="pass" type="password"/></form></body></html>`

// writeMalformed answers with reply spoilt as how says.
func writeMalformed(w http.ResponseWriter, how Malformation, reply []byte) {
	if len(reply) == 0 {
		reply = actionFault("unknown")
	}
	switch how {
	case MalformedXML:
		cut := len(reply) / 2
		broken := append(append([]byte(nil), reply[:cut]...), "<<</unclosed & garbage"...)
		writeSOAP(w, http.StatusOK, broken)
	case MalformedTruncated:
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(reply)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(reply[:len(reply)/2])
		// Returning with fewer bytes than promised makes net/http close the
		// connection: the client sees an unexpected EOF.
	case MalformedContent:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(loginPage))
	}
}
