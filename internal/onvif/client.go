package onvif

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/icholy/digest"
)

// Defaults for Config fields left zero.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultMaxBodySize = 1 << 20 // 1 MiB; the largest real reply seen is ~14 KiB
)

// Config configures a Client. The zero value is usable: anonymous calls,
// default timeout and body cap.
type Config struct {
	// Username and Password, if Username is set, sign every call except
	// GetSystemDateAndTime with a WS-UsernameToken and answer HTTP Digest
	// challenges.
	Username, Password string
	// Timeout bounds each call, on top of the caller's ctx.
	Timeout time.Duration
	// MaxBodySize caps a response body; a larger one fails with ErrBodyTooLarge.
	MaxBodySize int64
	// HTTPClient replaces the default client (no proxy, no redirects, dial and
	// header timeouts). Its Transport is wrapped for HTTP Digest when
	// credentials are set.
	HTTPClient *http.Client
	// Now is the local clock; nil means time.Now. Tests inject a fake.
	Now func() time.Time
}

// Client talks SOAP 1.2 to one ONVIF device service. It is safe for
// concurrent use. It learns the device's clock offset from
// GetSystemDateAndTime (done once, lazily, before the first signed call) and
// signs WS-UsernameTokens with the device's time.
type Client struct {
	xaddr   string
	cfg     Config
	http    *http.Client
	timeout time.Duration
	maxBody int64
	now     func() time.Time

	syncMu    sync.Mutex    // held while the lazy clock sync runs
	mu        sync.Mutex    // guards the fields below
	offset    time.Duration // device clock minus local clock
	synced    bool          // offset learnt from the device
	syncTried bool          // a lazy sync was attempted
}

// New returns a Client for the device service at xaddr
// (e.g. http://192.0.2.10/onvif/device_service). It sends nothing.
func New(xaddr string, cfg Config) (*Client, error) {
	u, err := url.Parse(xaddr)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("onvif: bad xaddr %q", xaddr)
	}
	c := &Client{xaddr: xaddr, cfg: cfg, timeout: cfg.Timeout, maxBody: cfg.MaxBodySize, now: cfg.Now}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodySize
	}
	if c.now == nil {
		c.now = time.Now
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{
			Transport: &http.Transport{
				Proxy:                 nil, // devices are on the LAN; never go through a proxy
				DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
				TLSHandshakeTimeout:   5 * time.Second,
				ResponseHeaderTimeout: c.timeout,
				MaxIdleConnsPerHost:   2,
				IdleConnTimeout:       30 * time.Second,
			},
			Timeout: c.timeout,
			// A device never needs a redirect, and following one could send
			// credentials elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	} else {
		cp := *hc
		hc = &cp
	}
	if cfg.Username != "" {
		inner := hc.Transport
		if inner == nil {
			inner = http.DefaultTransport
		}
		hc.Transport = &digest.Transport{Username: cfg.Username, Password: cfg.Password,
			Transport: keep401Body{inner, c.maxBody}}
	}
	c.http = hc
	return c, nil
}

// Addr returns the device service address the client talks to.
func (c *Client) Addr() string { return c.xaddr }

// ClockOffset returns the device clock minus the local clock, and whether it
// was learnt from the device.
func (c *Client) ClockOffset() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset, c.synced
}

// SetClockOffset sets the device clock offset, for a caller that learnt it
// elsewhere; the client then skips its own lazy sync.
func (c *Client) SetClockOffset(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset, c.synced, c.syncTried = d, true, true
}

// call sends one request and parses the answer with parse. A SOAP fault in
// the body wins over the HTTP status; a non-200 status without a fault is a
// *StatusError. Every error is an *Error.
func call[T any](ctx context.Context, c *Client, op, body string, signed bool,
	parse func([]byte, string) (T, error)) (T, error) {
	var zero T
	resp, cs, status, err := c.do(ctx, op, body, signed)
	if err != nil {
		return zero, &Error{Op: op, Addr: c.xaddr, Err: err}
	}
	v, err := parse(resp, cs)
	var f *Fault
	switch {
	case errors.As(err, &f):
		return zero, &Error{Op: op, Addr: c.xaddr, Err: f}
	case status != http.StatusOK:
		return zero, &Error{Op: op, Addr: c.xaddr, Err: &StatusError{StatusCode: status}}
	case err != nil:
		return zero, &Error{Op: op, Addr: c.xaddr, Err: err}
	}
	return v, nil
}

// do posts the envelope and returns the capped body, the charset of its
// Content-Type and the HTTP status.
func (c *Client) do(ctx context.Context, op, body string, signed bool) ([]byte, string, int, error) {
	if signed && c.cfg.Username != "" {
		c.syncClock(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var env bytes.Buffer
	env.WriteString(`<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="` + nsSOAP12 +
		`" xmlns:tds="` + nsDevice + `" xmlns:tt="` + nsSchema + `"><s:Header>`)
	if signed && c.cfg.Username != "" {
		env.WriteString(usernameToken(c.cfg.Username, c.cfg.Password, c.deviceNow()))
	}
	env.WriteString(`</s:Header><s:Body>` + body + `</s:Body></s:Envelope>`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.xaddr, bytes.NewReader(env.Bytes()))
	if err != nil {
		return nil, "", 0, err
	}
	req.Header.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+nsDevice+"/"+op+`"`)
	res, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the op and address are in our *Error already
		}
		return nil, "", 0, err
	}
	defer res.Body.Close()
	if res.ContentLength > c.maxBody {
		return nil, "", 0, fmt.Errorf("%w: content length %d over %d bytes", ErrBodyTooLarge, res.ContentLength, c.maxBody)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, c.maxBody+1))
	if err != nil {
		return nil, "", 0, fmt.Errorf("read body: %w", err)
	}
	if int64(len(b)) > c.maxBody {
		return nil, "", 0, fmt.Errorf("%w: over %d bytes", ErrBodyTooLarge, c.maxBody)
	}
	var cs string
	if _, params, err := mime.ParseMediaType(res.Header.Get("Content-Type")); err == nil {
		cs = params["charset"]
	}
	return b, cs, res.StatusCode, nil
}

// deviceNow is the local clock corrected by the learnt offset.
func (c *Client) deviceNow() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now().Add(c.offset)
}

// syncClock learns the clock offset once, before the first signed call;
// concurrent first calls wait for it rather than sign with the PC clock. A
// failure is not an error here: the call goes on with the local clock and
// the device's answer tells the caller what went wrong.
func (c *Client) syncClock(ctx context.Context) {
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	c.mu.Lock()
	tried := c.syncTried
	c.mu.Unlock()
	if tried {
		return
	}
	_, _ = c.GetSystemDateAndTime(ctx)
	c.mu.Lock()
	c.syncTried = true
	c.mu.Unlock()
}

// keep401Body keeps the body of a 401 readable through icholy/digest, which
// drains and closes a 401's body before it looks for a Digest challenge and,
// finding none, returns that response: a camera refusing a WS-UsernameToken
// with 401 and a ter:NotAuthorized fault (Hikvision and its OEMs do) would
// otherwise reach us with an empty, closed body instead of the fault.
type keep401Body struct {
	http.RoundTripper
	max int64
}

func (t keep401Body) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.RoundTripper.RoundTrip(req)
	if err != nil || res.StatusCode != http.StatusUnauthorized {
		return res, err
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, t.max+1))
	res.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	res.Body = rewindingBody{bytes.NewReader(b)}
	return res, nil
}

// CloseIdleConnections passes through, so Client.CloseIdleConnections
// still reaches the pooled connections.
func (t keep401Body) CloseIdleConnections() {
	if ci, ok := t.RoundTripper.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// rewindingBody rewinds when closed, so a body drained and closed by
// icholy/digest reads again from its start.
type rewindingBody struct{ *bytes.Reader }

func (b rewindingBody) Close() error {
	_, err := b.Seek(0, io.SeekStart)
	return err
}
