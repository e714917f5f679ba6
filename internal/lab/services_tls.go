//go:build linux

package lab

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// HTTPSConfig sets which devices serve HTTPS and with what certificate.
type HTTPSConfig struct {
	// Devices are the device indexes that serve HTTPS; nil means every device.
	Devices []int
	// Port is the TCP port; 0 means 443.
	Port uint16
	// ExpiresIn is how long after Now each device's self-signed certificate
	// expires (negative: expired already); 0 means a year. Expiry overrides
	// it per device index.
	ExpiresIn time.Duration
	Expiry    map[int]time.Duration
	// MaxVersion caps the TLS version offered (tls.VersionTLS11 plays an
	// old camera); 0 means Go's newest. Below TLS 1.2 the server also allows
	// TLS 1.0.
	MaxVersion uint16
	// Now is the true time; nil means time.Now.
	Now func() time.Time
}

// LoginPath is where the lab's web servers send a visitor of /, as
// cameras send theirs to a login page on the same address.
const LoginPath = "/login.html"

// HTTPSServers are the devices' web servers over TLS, each with its own
// freshly generated self-signed certificate (the factory certificate of a
// camera: subject = issuer = the device, not a CA), one listener per device
// opened inside its namespace. / redirects to LoginPath, which answers 200.
type HTTPSServers struct {
	servers []*http.Server
	certs   map[int]*x509.Certificate
	wg      sync.WaitGroup
	once    sync.Once
	stop    chan struct{}
}

// ServeHTTPS starts the web servers. When it returns, every listener is
// open; everything closes when ctx ends or Close is called (before Down).
func (l *Lab) ServeHTTPS(ctx context.Context, cfg HTTPSConfig) (*HTTPSServers, error) {
	if cfg.Port == 0 {
		cfg.Port = 443
	}
	if cfg.Devices == nil {
		for i := range l.devices {
			cfg.Devices = append(cfg.Devices, i)
		}
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	s := &HTTPSServers{certs: map[int]*x509.Certificate{}, stop: make(chan struct{})}
	var lns []net.Listener
	for _, i := range cfg.Devices {
		d := l.Device(i)
		if d.Namespace == "" {
			closeAll(lns)
			return nil, fmt.Errorf("lab %s: no device %d", l.prefix, i)
		}
		life, ok := cfg.Expiry[i]
		if !ok {
			life = cfg.ExpiresIn
		}
		if life == 0 {
			life = 365 * 24 * time.Hour
		}
		cert, err := selfSignedCert(d, now(), now().Add(life))
		if err != nil {
			closeAll(lns)
			return nil, fmt.Errorf("lab %s: device %d: certificate: %w", l.prefix, i, err)
		}
		s.certs[i] = cert.Leaf
		tc := &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: cfg.MaxVersion}
		if cfg.MaxVersion != 0 && cfg.MaxVersion < tls.VersionTLS12 {
			tc.MinVersion = tls.VersionTLS10
		}
		var ln net.Listener
		err = l.InDevice(i, func() error {
			var err error
			ln, err = net.Listen("tcp4", netip.AddrPortFrom(d.Addr, cfg.Port).String())
			return err
		})
		if err != nil {
			closeAll(lns)
			return nil, fmt.Errorf("lab %s: device %d: https listener: %w", l.prefix, i, err)
		}
		lns = append(lns, tls.NewListener(ln, tc))
		s.servers = append(s.servers, &http.Server{
			Handler:           webHandler(),
			ReadHeaderTimeout: 5 * time.Second,
			IdleTimeout:       30 * time.Second,
		})
	}
	serveAll(ctx, s.servers, lns, s.stop, &s.wg, nil)
	return s, nil
}

// Certificate returns device i's certificate, nil if it serves no HTTPS.
func (s *HTTPSServers) Certificate(i int) *x509.Certificate { return s.certs[i] }

// Close closes every listener and connection and waits for the servers.
func (s *HTTPSServers) Close() {
	s.once.Do(func() { close(s.stop) })
	s.wg.Wait()
}

func webHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, LoginPath, http.StatusFound)
	})
	mux.HandleFunc("GET "+LoginPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(loginPage))
	})
	return mux
}

// selfSignedCert makes a camera-style factory certificate for d, valid
// from notBefore (less an hour of slack) to notAfter.
func selfSignedCert(d Device, notBefore, notAfter time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return tls.Certificate{}, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	ski := sha1.Sum(pub) //nolint:gosec // a key identifier, not a signature
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: d.Addr.String(), Organization: []string{d.Vendor.Name}},
		NotBefore:             notBefore.Add(-time.Hour),
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		SubjectKeyId:          ski[:],
		IPAddresses:           []net.IP{d.Addr.AsSlice()},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
