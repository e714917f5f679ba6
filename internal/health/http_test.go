package health

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// port returns the port of an httptest server.
func port(tb testing.TB, s *httptest.Server) uint16 {
	tb.Helper()
	return uint16(s.Listener.Addr().(*net.TCPAddr).Port)
}

// testCert makes a self-signed (or, with parent, CA-issued) certificate
// for 127.0.0.1 valid until notAfter.
func testCert(tb testing.TB, notAfter time.Time) tls.Certificate {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1", Organization: []string{"Camera"}},
		NotBefore:    notAfter.Add(-365 * 24 * time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func tlsServer(t *testing.T, h http.Handler, cert tls.Certificate, maxVersion uint16) *httptest.Server {
	s := httptest.NewUnstartedServer(h)
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10, MaxVersion: maxVersion}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func httpServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func TestCheckHTTP(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("request carried credentials")
		}
		_, _ = io.WriteString(w, "<html>login</html>")
	})
	login := httpServer(t, ok)
	sameDev := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, login.URL+"/doc/page/login.asp", http.StatusFound)
	})
	offDev := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://198.51.100.7/login", http.StatusFound)
	})
	byName := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:1/", http.StatusFound)
	})
	withUser := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://admin:12345@127.0.0.1:1/", http.StatusFound)
	})
	loop := httpServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/again", http.StatusFound)
	})
	broken := httpServer(t, func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "boom", http.StatusServiceUnavailable)
	})
	hugeHeader := listen(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n")
		for range 2000 {
			if _, err := io.WriteString(c, "X-Pad: "+strings.Repeat("p", 100)+"\r\n"); err != nil {
				return
			}
		}
	})
	hang := listen(t, hangUp)
	garbage := listen(t, func(c net.Conn) { _, _ = io.WriteString(c, "\x00\x01garbage\r\n\r\n") })

	good := tlsServer(t, ok, testCert(t, now.Add(400*24*time.Hour)), 0)
	expiring := tlsServer(t, ok, testCert(t, now.Add(10*24*time.Hour+time.Hour)), 0)
	expired := tlsServer(t, ok, testCert(t, now.Add(-3*24*time.Hour)), 0)
	old := tlsServer(t, ok, testCert(t, now.Add(400*24*time.Hour)), tls.VersionTLS11)

	tests := []struct {
		name     string
		port     uint16
		tls      bool
		want     State
		contains string
		check    func(t *testing.T, r Result)
	}{
		{"ok", port(t, login), false, OK, "answers (200 OK)", nil},
		{"redirect same device followed", port(t, sameDev), false, OK, "200 OK", nil},
		{"redirect off device not followed", port(t, offDev), false, OK, "not followed", nil},
		{"redirect by name not followed", port(t, byName), false, OK, "not followed", nil},
		{"redirect with credentials not followed", port(t, withUser), false, OK, "not followed", nil},
		{"redirect loop stops", port(t, loop), false, OK, "302", nil},
		{"503", port(t, broken), false, Degraded, "error (503", nil},
		{"huge header", hugeHeader, false, Degraded, "not usable", nil},
		{"hang", hang, false, Degraded, "in time", nil},
		{"garbage", garbage, false, Degraded, "not usable", nil},
		{"closed", closedPort(t), false, Down, "refused", nil},
		{"tls plain answer", port(t, login), true, Degraded, "handshake failed", nil},
		{"tls good", port(t, good), true, OK, "self-signed", func(t *testing.T, r Result) {
			ti := r.HTTP.TLS
			if ti.DaysLeft != 400 || !ti.SelfSigned || ti.Outdated || ti.Version != "TLS 1.3" {
				t.Errorf("TLS = %+v; want 400 days left, self-signed, TLS 1.3", ti)
			}
		}},
		{"tls expiring in 10 days", port(t, expiring), true, Degraded, "expires in 10 days", func(t *testing.T, r Result) {
			if r.HTTP.TLS.DaysLeft != 10 || !r.HTTP.TLS.SelfSigned {
				t.Errorf("TLS = %+v; want 10 days left, self-signed", r.HTTP.TLS)
			}
		}},
		{"tls expired", port(t, expired), true, Degraded, "expired on", nil},
		{"tls 1.1", port(t, old), true, Degraded, "older than TLS 1.2", func(t *testing.T, r Result) {
			if !r.HTTP.TLS.Outdated || r.HTTP.TLS.Version != "TLS 1.1" {
				t.Errorf("TLS = %+v; want outdated TLS 1.1", r.HTTP.TLS)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := loopTarget(t)
			tg.Timeout = time.Second
			tg.Now = func() time.Time { return now }
			start := time.Now()
			r := CheckHTTP(context.Background(), tg, tt.port, tt.tls)
			if r.State != tt.want || !strings.Contains(r.Detail, tt.contains) {
				t.Errorf("CheckHTTP(%s) = %v %q; want %v containing %q", tt.name, r.State, r.Detail, tt.want, tt.contains)
			}
			if !r.Answered {
				t.Errorf("CheckHTTP(%s).Answered = false; want true", tt.name)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("CheckHTTP took %v; want within the 1s timeout", took)
			}
			if tt.check != nil && r.HTTP != nil && r.HTTP.TLS != nil {
				tt.check(t, r)
			} else if tt.check != nil {
				t.Errorf("CheckHTTP(%s) has no TLS info: %+v", tt.name, r)
			}
		})
	}
}

func TestSelfSigned(t *testing.T) {
	s := httptest.NewTLSServer(http.NotFoundHandler()) // its certificate is a self-signed CA
	defer s.Close()
	if !selfSigned(s.Certificate()) {
		t.Errorf("selfSigned(httptest certificate) = false; want true")
	}
}
