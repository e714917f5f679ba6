package onvif

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icholy/digest"
)

// fakeDevice is an httptest ONVIF device that replays the captured
// responses of one vendor and can demand WS-UsernameToken (checked against
// its own, skewed clock) or HTTP Digest. It listens on 127.0.0.1 only.
type fakeDevice struct {
	t          *testing.T
	vendor     string        // fixture prefix, e.g. "hikvision"
	skew       time.Duration // device clock minus real clock
	user, pass string
	wsse       bool // require a valid WS-UsernameToken except for GetSystemDateAndTime
	httpDigest bool // require HTTP Digest on every request
	refuse401  bool // refuse a bad token with 401 and no challenge (Hikvision), not 400

	mu       sync.Mutex
	ops      []string // operations received, in order
	wsseSeen int      // requests that carried a Security header
	nonces   map[string]bool
}

func (d *fakeDevice) start() *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(d.serve))
	d.t.Cleanup(srv.Close)
	return srv
}

func (d *fakeDevice) now() time.Time { return time.Now().Add(d.skew) }

func (d *fakeDevice) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if d.httpDigest && !d.checkDigest(r) {
		nonce := make([]byte, 8)
		rand.Read(nonce)
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Digest realm="onvif", qop="auth", nonce="%x", algorithm=MD5`, nonce))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	root, err := parseTree(body, "")
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	b := root.child(nsSOAP12, "Body")
	if b == nil || len(b.children) != 1 {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	op := b.children[0].name.Local
	sec := root.path(nsSOAP12, "Header").child(nsWSSE, "Security")
	d.mu.Lock()
	d.ops = append(d.ops, op)
	if sec != nil {
		d.wsseSeen++
	}
	d.mu.Unlock()
	if op == "GetSystemDateAndTime" {
		d.reply(w, http.StatusOK, dateTimeResponse(d.now()))
		return
	}
	if d.wsse && !d.checkToken(sec) {
		status := http.StatusBadRequest
		if d.refuse401 {
			status = http.StatusUnauthorized
		}
		d.reply(w, status, string(readFixture(d.t, "trendnet-Fault-NotAuthorized.xml")))
		return
	}
	d.reply(w, http.StatusOK, string(readFixture(d.t, d.vendor+"-"+op+".xml")))
}

func (d *fakeDevice) reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// checkToken verifies a UsernameToken PasswordDigest the way cameras do:
// right user, right digest, fresh nonce, Created within 5 s of the device's
// own clock.
func (d *fakeDevice) checkToken(sec *node) bool {
	tok := sec.child(nsWSSE, "UsernameToken")
	if tok == nil || tok.child(nsWSSE, "Username").value() != d.user {
		return false
	}
	nonce, err := base64.StdEncoding.DecodeString(tok.child(nsWSSE, "Nonce").value())
	if err != nil {
		return false
	}
	createdText := tok.child(nsWSU, "Created").value()
	created, err := time.Parse(time.RFC3339Nano, createdText)
	if err != nil {
		return false
	}
	if diff := d.now().Sub(created); diff > 5*time.Second || diff < -5*time.Second {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.nonces == nil {
		d.nonces = map[string]bool{}
	}
	if d.nonces[string(nonce)] {
		return false // replay
	}
	d.nonces[string(nonce)] = true
	return tok.child(nsWSSE, "Password").value() == passwordDigest(nonce, createdText, d.pass)
}

// checkDigest verifies an RFC 7616 MD5 qop=auth Authorization header,
// computed here independently of the client library.
func (d *fakeDevice) checkDigest(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Digest ") {
		return false
	}
	c, err := digest.ParseCredentials(h)
	if err != nil || c.Username != d.user || c.Realm != "onvif" {
		return false
	}
	md5hex := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	ha1 := md5hex(d.user + ":onvif:" + d.pass)
	ha2 := md5hex(r.Method + ":" + r.URL.RequestURI())
	want := md5hex(fmt.Sprintf("%s:%s:%08x:%s:auth:%s", ha1, c.Nonce, c.Nc, c.Cnonce, ha2))
	return c.Response == want
}

// dateTimeResponse is a GetSystemDateAndTimeResponse for t, shaped like the
// Hikvision capture.
func dateTimeResponse(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
<env:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>
<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>
<tt:TimeZone><tt:TZ>CST7:00:00</tt:TZ></tt:TimeZone>
<tt:UTCDateTime><tt:Time><tt:Hour>%d</tt:Hour><tt:Minute>%d</tt:Minute><tt:Second>%d</tt:Second></tt:Time>
<tt:Date><tt:Year>%d</tt:Year><tt:Month>%d</tt:Month><tt:Day>%d</tt:Day></tt:Date></tt:UTCDateTime>
</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></env:Body></env:Envelope>`,
		t.Hour(), t.Minute(), t.Second(), t.Year(), int(t.Month()), t.Day())
}
