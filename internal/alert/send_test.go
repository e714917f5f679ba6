package alert

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

var fast = Retry{Attempts: 3, Backoff: time.Millisecond}

func sample() []Alert {
	at := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	return []Alert{
		{Alert: inventory.Alert{ID: "a1", Kind: KindOffline, At: at, DeviceID: "d1",
			Message: "Gate camera stopped answering at 09:30. Recordings from it may be missing since then. Check its power and cable."},
			Device: "Gate camera", Site: "Head office", Address: "192.168.1.20"},
		{Alert: inventory.Alert{ID: "a2", Kind: KindClockDrift, At: at, Message: "Its clock is 2 hours fast."}, Device: "Lobby recorder"},
	}
}

func TestWebhook(t *testing.T) {
	var calls atomic.Int32
	var got WebhookPayload
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
		}
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable) // retried
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Error(err)
		}
	}))
	defer srv.Close()
	err := Webhook{URL: srv.URL, Organisation: "Northwind", Retry: fast}.Send(context.Background(), sample())
	if err != nil || calls.Load() != 2 {
		t.Fatalf("Send = %v after %d calls; want nil after 2 (one retry)", err, calls.Load())
	}
	if got.Source != "SiteKeeper" || got.Organisation != "Northwind" || len(got.Alerts) != 2 || got.Alerts[0].Kind != KindOffline || got.Alerts[0].Site != "Head office" {
		t.Errorf("payload = %+v", got)
	}
}

func TestWebhookRefusedIsNotRetried(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusFound} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			if status == http.StatusFound {
				http.Redirect(w, r, "https://elsewhere.example/", status) // never followed
				return
			}
			w.WriteHeader(status)
		}))
		err := Webhook{URL: srv.URL, Retry: fast}.Send(context.Background(), sample())
		srv.Close()
		if err == nil || calls.Load() != 1 || !strings.Contains(err.Error(), "refused") {
			t.Errorf("status %d: Send = %v after %d calls; want a refusal after 1", status, err, calls.Load())
		}
	}
}

func TestWebhookBadURL(t *testing.T) {
	for _, u := range []string{"", "hooks.example.com/x", "ftp://x/y", "https://"} {
		if err := (Webhook{URL: u}).Send(context.Background(), sample()); err == nil {
			t.Errorf("Send to %q = nil; want an error", u)
		}
	}
	if err := (Webhook{}).Send(context.Background(), nil); err != nil {
		t.Errorf("Send of nothing = %v; want nil (nothing to send)", err)
	}
}

// fakeSMTP is a small SMTP server on 127.0.0.1 that records one message,
// offering STARTTLS when cert is set and PLAIN auth after it.
type fakeSMTP struct {
	ln   net.Listener
	cert *tls.Certificate
	mu   sync.Mutex
	data string
	auth string
	rcpt []string
}

func startSMTP(t *testing.T, withTLS bool) (*fakeSMTP, *x509.CertPool) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln}
	var pool *x509.CertPool
	if withTLS {
		cert, leaf := selfSigned(t)
		f.cert = cert
		pool = x509.NewCertPool()
		pool.AddCert(leaf)
	}
	go f.serve()
	t.Cleanup(func() { ln.Close() })
	return f, pool
}

func (f *fakeSMTP) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		go f.session(c)
	}
}

func (f *fakeSMTP) session(c net.Conn) {
	defer c.Close()
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	say := func(s string) { w.WriteString(s + "\r\n"); w.Flush() }
	say("220 fake ESMTP")
	secure := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			ext := []string{"250-fake"}
			if f.cert != nil && !secure {
				ext = append(ext, "250-STARTTLS")
			}
			if secure {
				ext = append(ext, "250-AUTH PLAIN")
			}
			ext = append(ext, "250 8BITMIME")
			say(strings.Join(ext, "\r\n"))
		case cmd == "STARTTLS":
			say("220 go ahead")
			tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{*f.cert}})
			if tc.Handshake() != nil {
				return
			}
			c, secure = tc, true
			r, w = bufio.NewReader(c), bufio.NewWriter(c)
		case strings.HasPrefix(cmd, "AUTH PLAIN"):
			f.mu.Lock()
			f.auth = strings.TrimSpace(line[len("AUTH PLAIN"):])
			f.mu.Unlock()
			say("235 ok")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			f.mu.Lock()
			f.rcpt = append(f.rcpt, strings.TrimSpace(line[len("RCPT TO:"):]))
			f.mu.Unlock()
			say("250 ok")
		case cmd == "DATA":
			say("354 go")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			f.mu.Lock()
			f.data = b.String()
			f.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func selfSigned(t *testing.T) (*tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, leaf
}

func TestEmailWithSTARTTLS(t *testing.T) {
	f, pool := startSMTP(t, true)
	e := Email{Server: f.ln.Addr().String(), From: "sitekeeper@northwind.example", To: []string{"owner@northwind.example"},
		Username: "sk", Password: "pw", Organisation: "Northwind", Retry: fast,
		TLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}}
	alerts := sample()
	alerts[0].Device = "Caméra portail\r\nBcc: evil@example.com"
	if err := e.Send(context.Background(), alerts); err != nil {
		t.Fatalf("Send = %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.auth == "" || len(f.rcpt) != 1 {
		t.Errorf("auth %q, recipients %v; want PLAIN auth after STARTTLS and one recipient", f.auth, f.rcpt)
	}
	head, body, _ := strings.Cut(f.data, "\r\n\r\n")
	if strings.Contains(head, "\r\nBcc:") || !strings.Contains(head, "Subject: =?utf-8?q?SiteKeeper:_Offline:_Cam=C3=A9ra_portail") {
		t.Errorf("header:\n%s\nwant an encoded subject and no injected header", head)
	}
	if strings.Contains(body, "\nBcc:") || !strings.Contains(head, "and_1_more") || !strings.Contains(body, "Recordings from it may be missing") || !strings.Contains(body, "Turn these e-mails off") {
		t.Errorf("message:\n%s", f.data)
	}
}

func TestEmailRefusesPasswordInClear(t *testing.T) {
	f, _ := startSMTP(t, false)
	e := Email{Server: f.ln.Addr().String(), From: "a@b.example", To: []string{"c@d.example"}, Username: "sk", Password: "pw", Retry: fast}
	err := e.Send(context.Background(), sample())
	if err == nil || !strings.Contains(err.Error(), "will not send it your password") {
		t.Errorf("Send = %v; want a refusal to send the password unencrypted", err)
	}
	// Without a login, a local relay without encryption is fine.
	e.Username, e.Password = "", ""
	if err := e.Send(context.Background(), sample()); err != nil {
		t.Errorf("Send without a login = %v", err)
	}
}

func TestEmailUnreachableIsRetried(t *testing.T) {
	var dials atomic.Int32
	e := Email{Server: "mail.example:587", From: "a@b.example", To: []string{"c@d.example"}, Retry: fast,
		Dial: func(context.Context, string, string) (net.Conn, error) {
			dials.Add(1)
			return nil, errors.New("connection refused")
		}}
	if err := e.Send(context.Background(), sample()); err == nil || dials.Load() != 3 {
		t.Errorf("Send = %v after %d dials; want an error after 3", err, dials.Load())
	}
}

func TestSubjectAndTest(t *testing.T) {
	a := sample()[0]
	if got := a.Subject(); got != "Offline: Gate camera (Head office)" {
		t.Errorf("Subject = %q", got)
	}
	tst := Test(time.Now(), "Northwind")
	if tst.Kind != KindTest || tst.Subject() != "Test from SiteKeeper" || !strings.Contains(tst.Message, "Northwind") {
		t.Errorf("Test = %+v (%q)", tst, tst.Subject())
	}
}
