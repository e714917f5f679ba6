package health

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// HTTP limits: a device's web page is small, and a hostile or broken one
// must not hold memory or the check.
const (
	maxHTTPHeader = 64 << 10
	maxHTTPBody   = 64 << 10 // read and dropped, so the connection ends cleanly
	maxRedirects  = 3
)

// CheckHTTP asks for / on port p of t.Addr, over TLS when useTLS, through
// t.Dial. It sends no credentials and follows a redirect only to the same
// address (a camera sending http to https, or / to its login page), never to
// another host. Any status below 500 means the web server works; 5xx is
// Degraded. Over TLS it reads the certificate, without trusting it (there is
// nothing to trust a camera's factory certificate with): days to expiry,
// self-signed or not, and the protocol version. An expired certificate, one
// expiring within CertWarnDays, or TLS below 1.2 is Degraded.
func CheckHTTP(ctx context.Context, t Target, p uint16, useTLS bool) Result {
	scheme, method := "http", MethodHTTP
	if useTLS {
		scheme, method = "https", MethodHTTPS
	}
	r := Result{Check: scheme + ":" + strconv.Itoa(int(p)), Method: method}
	timeout := t.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var connected atomic.Bool
	var handshake atomic.Pointer[error] // the TLS handshake's failure
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := t.dial(ctx, network, addr)
		if err == nil {
			connected.Store(true)
		}
		return c, err
	}
	tr := &http.Transport{
		Proxy:       nil, // devices are on the LAN; never through a proxy
		DialContext: dial,
		// The handshake is ours so that its failure can be told apart.
		DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			tc := tls.Client(c, &tls.Config{
				// We inspect the certificate; we do not trust it or send
				// anything secret over it. Old versions are allowed so
				// that they can be reported.
				InsecureSkipVerify: true, //nolint:gosec // inspection only, see above
				MinVersion:         tls.VersionTLS10,
			})
			if err := tc.HandshakeContext(ctx); err != nil {
				_ = c.Close()
				handshake.Store(&err)
				return nil, err
			}
			return tc, nil
		},
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: maxHTTPHeader,
		DisableKeepAlives:      true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: sameDevice(t.Addr)}

	url := scheme + "://" + t.hostPort(p) + "/"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		r.State, r.Detail = Unknown, "bad address: "+err.Error()
		return r
	}
	req.Header.Set("User-Agent", "SiteKeeper health check")
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		r.State = Down
		if !connected.Load() {
			var oe *net.OpError
			if errors.As(err, &oe) && oe.Op == "dial" {
				r.Detail, r.Answered = connectFailure(p, oe.Err)
				return r
			}
			r.Detail, r.Answered = connectFailure(p, err)
			return r
		}
		r.State, r.Answered = Degraded, true
		r.Detail = "port " + strconv.Itoa(int(p)) + " accepts connections, but " + httpFailure(err, handshake.Load())
		return r
	}
	r.Latency = time.Since(start)
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, maxHTTPBody))
	_ = res.Body.Close()

	r.Answered = true
	r.HTTP = &HTTPInfo{Status: res.StatusCode}
	var ok, bad []string
	if res.StatusCode >= 500 {
		bad = append(bad, "the web server answers with an error ("+res.Status+")")
	} else {
		ok = append(ok, "the web server answers ("+res.Status+")")
		if loc := res.Header.Get("Location"); res.StatusCode/100 == 3 && loc != "" {
			ok = append(ok, "it sends visitors on to "+strconv.Quote(loc)+" (not followed)")
		}
	}
	if res.TLS != nil && len(res.TLS.PeerCertificates) > 0 {
		r.HTTP.TLS = inspectTLS(res.TLS, t.now())
		ok, bad = judgeTLS(r.HTTP.TLS, ok, bad)
	}
	r.State = OK
	if len(bad) > 0 {
		r.State = Degraded
	}
	r.Detail = strings.Join(append(bad, ok...), "; ")
	return r
}

// sameDevice lets a redirect through only to the same address, without
// user information, at most maxRedirects times. A host name is refused as
// well as another address: the lab and the site have no DNS we trust.
func sameDevice(addr netip.Addr) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return http.ErrUseLastResponse
		}
		a, err := netip.ParseAddr(req.URL.Hostname())
		if err != nil || a.Unmap() != addr.Unmap() || req.URL.User != nil {
			return http.ErrUseLastResponse
		}
		return nil
	}
}

// httpFailure words an HTTP error after the connection was made;
// handshake is the TLS handshake's failure, if that was it.
func httpFailure(err error, handshake *error) string {
	switch {
	case handshake != nil && timedOut(*handshake):
		return "the secure (TLS) handshake did not finish in time"
	case handshake != nil:
		return "the secure (TLS) handshake failed: " + (*handshake).Error()
	case timedOut(err):
		return "it did not answer the request in time"
	default:
		return "its answer was not usable: " + err.Error()
	}
}

// inspectTLS reads the leaf certificate and protocol of a connection.
func inspectTLS(cs *tls.ConnectionState, now time.Time) *TLSInfo {
	leaf := cs.PeerCertificates[0]
	return &TLSInfo{
		Version:    tls.VersionName(cs.Version),
		Outdated:   cs.Version < tls.VersionTLS12,
		NotAfter:   leaf.NotAfter,
		DaysLeft:   daysLeft(leaf.NotAfter, now),
		SelfSigned: selfSigned(leaf),
		Subject:    leaf.Subject.String(),
	}
}

// daysLeft counts whole days from now to notAfter, rounded down (negative
// once expired: -1 on the first day after).
func daysLeft(notAfter, now time.Time) int {
	return int(math.Floor(notAfter.Sub(now).Hours() / 24))
}

// selfSigned reports whether c is issued by its own subject and signed by
// its own key. Cameras' factory certificates often are not CAs and are
// sometimes signed with SHA-1, which Go will not verify; then a matching
// (or absent) authority key ID decides.
func selfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawIssuer, c.RawSubject) {
		return false
	}
	if c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil {
		return true
	}
	return len(c.AuthorityKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId)
}

// judgeTLS adds the certificate's findings to ok and bad.
func judgeTLS(ti *TLSInfo, ok, bad []string) ([]string, []string) {
	day := ti.NotAfter.UTC().Format("2 January 2006")
	switch {
	case ti.DaysLeft < 0:
		bad = append(bad, fmt.Sprintf("its certificate expired on %s (%d days ago): browsers and recorders may refuse it", day, -ti.DaysLeft))
	case ti.DaysLeft < CertWarnDays:
		bad = append(bad, fmt.Sprintf("its certificate expires in %d days (%s): renew it before then", ti.DaysLeft, day))
	default:
		ok = append(ok, fmt.Sprintf("certificate valid until %s", day))
	}
	if ti.Outdated {
		bad = append(bad, "it offers only "+ti.Version+", older than TLS 1.2 and no longer considered safe: update its firmware or settings")
	} else {
		ok = append(ok, ti.Version)
	}
	if ti.SelfSigned {
		ok = append(ok, "the certificate is self-signed (the device made it itself), so it does not prove which device answers")
	}
	return ok, bad
}
