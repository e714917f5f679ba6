// Package smtptest is a small SMTP server on 127.0.0.1 for tests of
// e-mail alerts, in the manner of net/http/httptest: it records what it
// receives, offers STARTTLS with a certificate of its own when asked, and
// PLAIN login after it. Nothing it does reaches beyond the loopback.
package smtptest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running test SMTP server. Its methods are safe for
// concurrent use; it closes when the test ends.
type Server struct {
	ln   net.Listener
	cert *tls.Certificate
	pool *x509.CertPool

	mu sync.Mutex
	// refuseAuth answers every login with 535.
	refuseAuth bool
	data       []string
	auth       string
	rcpt       []string
}

// Start starts a server on 127.0.0.1; withTLS makes it offer STARTTLS (and
// then PLAIN login) with a self-signed certificate that ClientTLS trusts.
func Start(t testing.TB, withTLS bool) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{ln: ln}
	if withTLS {
		cert, leaf := selfSigned(t)
		s.cert = cert
		s.pool = x509.NewCertPool()
		s.pool.AddCert(leaf)
	}
	go s.serve()
	t.Cleanup(func() { ln.Close() })
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// ClientTLS is a client TLS configuration that trusts the server's
// certificate (nil without TLS).
func (s *Server) ClientTLS() *tls.Config {
	if s.pool == nil {
		return nil
	}
	return &tls.Config{RootCAs: s.pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// RefuseLogins makes the server refuse every user name and password.
func (s *Server) RefuseLogins() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseAuth = true
}

// Messages are the messages received, in order, each as sent after DATA.
func (s *Server) Messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.data...)
}

// Auth is the last AUTH PLAIN argument, base64 as sent ("" when none).
func (s *Server) Auth() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auth
}

// Login is the user name and password of the last AUTH PLAIN.
func (s *Server) Login() (user, password string) {
	b, _ := base64.StdEncoding.DecodeString(s.Auth())
	parts := strings.Split(string(b), "\x00")
	if len(parts) != 3 {
		return "", ""
	}
	return parts[1], parts[2]
}

// Recipients are the RCPT TO arguments received, as sent ("<a@b>").
func (s *Server) Recipients() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.rcpt...)
}

func (s *Server) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.session(c)
	}
}

func (s *Server) session(c net.Conn) {
	defer func() { c.Close() }()
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	say := func(line string) { w.WriteString(line + "\r\n"); w.Flush() }
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
			if s.cert != nil && !secure {
				ext = append(ext, "250-STARTTLS")
			}
			if secure {
				ext = append(ext, "250-AUTH PLAIN")
			}
			ext = append(ext, "250 8BITMIME")
			say(strings.Join(ext, "\r\n"))
		case cmd == "STARTTLS" && s.cert != nil:
			say("220 go ahead")
			tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{*s.cert}})
			if tc.Handshake() != nil {
				return
			}
			c, secure = tc, true
			r, w = bufio.NewReader(c), bufio.NewWriter(c)
		case strings.HasPrefix(cmd, "AUTH PLAIN"):
			s.mu.Lock()
			s.auth = strings.TrimSpace(line[len("AUTH PLAIN"):])
			refuse := s.refuseAuth
			s.mu.Unlock()
			if refuse {
				say("535 5.7.8 authentication credentials invalid")
			} else {
				say("235 ok")
			}
		case strings.HasPrefix(cmd, "MAIL FROM"):
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			s.mu.Lock()
			s.rcpt = append(s.rcpt, strings.TrimSpace(line[len("RCPT TO:"):]))
			s.mu.Unlock()
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
			s.mu.Lock()
			s.data = append(s.data, b.String())
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func selfSigned(t testing.TB) (*tls.Certificate, *x509.Certificate) {
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
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, leaf
}
