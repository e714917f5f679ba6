// Package discovery finds the devices on a LAN and identifies them: it runs
// the WS-Discovery scanner (internal/discovery/wsd) and the mDNS/DNS-SD
// browser (internal/discovery/mdns) at once, asks each WS-Discovery device for
// its identity over ONVIF (internal/onvif), merges what the finders say about
// one device, and streams every device as soon as it is known.
//
// A device that cannot be identified — it wants credentials, does not answer
// or answers with nonsense — is still a result, described by what
// WS-Discovery said and flagged; it is never an error for the scan.
package discovery

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/onvif"
)

// Defaults for IdentifyConfig's zero fields.
const (
	DefaultCallTimeout = 3 * time.Second
	DefaultConcurrency = 32
)

// Sources named in inventory.Discovered.Sources.
const (
	SourceWSD   = "wsd"
	SourceONVIF = inventory.SourceSelfReported
	// SourceNeighbors is this computer's neighbour (ARP) table.
	SourceNeighbors = "arp"
)

// Credential is a username and password to try on devices that refuse
// anonymous calls.
type Credential struct {
	Username, Password string
}

// IdentifyConfig configures an Identifier. The zero value identifies
// anonymously, DefaultConcurrency devices at a time, DefaultCallTimeout per call.
type IdentifyConfig struct {
	// Credentials are tried in order on a device that refuses
	// GetDeviceInformation anonymously; none means anonymous only.
	// CredentialsFor, when set, replaces them.
	Credentials []Credential
	// CredentialsFor, when not nil, gives the credentials to try on one
	// device that refuses anonymously, in order, instead of Credentials:
	// a login saved for one device or one site must not be sent to others.
	// It is called with what WS-Discovery said of the device (its address,
	// the MAC of its scopes, its endpoint reference), only for a device
	// that refused, from the Identifier's goroutines, several at once; it
	// must not block nor modify its argument. Nil or empty means
	// anonymous only for that device.
	CredentialsFor func(d inventory.Discovered) []Credential
	// CallTimeout bounds each ONVIF call (DefaultCallTimeout when 0).
	CallTimeout time.Duration
	// Concurrency is how many devices are identified at once
	// (DefaultConcurrency when 0).
	Concurrency int
	// Dial opens the TCP connections to devices; nil means a net.Dialer.
	// It is called from the Identifier's goroutines, so a caller working in
	// another network namespace (internal/lab's InScanner) must give a Dial
	// that enters it.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Device is one device found and what identification made of it.
type Device struct {
	inventory.Discovered
	// NeedsCredentials is true when the device refused ONVIF calls
	// anonymously and with every credential tried on it (at most
	// MaxCredentialTries of its list).
	NeedsCredentials bool
	// NoAnswer is true when the device's ONVIF service did not answer in
	// time or could not be reached.
	NoAnswer bool
	// Err is why identification is incomplete (wraps onvif.ErrNotAuthorized,
	// a timeout, a fault...), nil when ONVIF identified the device or it
	// was not asked (found by mDNS alone).
	Err error
	// Key numbers the devices of one scan from 0 in the order found. Scan
	// reports a device again, with the same Key and Update true, when a
	// later finding (its mDNS services, its ONVIF identity) added to it;
	// the later report holds everything known and replaces the earlier.
	Key int
	// Update is false on a device's first report.
	Update bool

	asked bool // ONVIF identification was attempted; its flags are set
}

// Identifier identifies WS-Discovery results over ONVIF. Its methods are
// safe for concurrent use; at most Concurrency identifications run at once.
type Identifier struct {
	cfg  IdentifyConfig
	http *http.Client
	sem  chan struct{}
	// good is the credential that last worked, nil for none: on one site
	// most devices share a password, so it goes first on every device
	// whose list holds it. By value, not index: each device has its own
	// list (CredentialsFor).
	good atomic.Pointer[Credential]
}

// MaxCredentialTries is how many credentials one device is asked with at
// most in a scan. Cameras lock an account after a few failures (Hikvision
// after five), and a scan must never lock out the people who run the site.
const MaxCredentialTries = 3

// NewIdentifier returns an Identifier with cfg. It sends nothing.
func NewIdentifier(cfg IdentifyConfig) *Identifier {
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	dial := cfg.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: cfg.CallTimeout}).DialContext
	}
	return &Identifier{
		cfg: cfg,
		sem: make(chan struct{}, cfg.Concurrency),
		http: &http.Client{
			Transport: &http.Transport{
				Proxy:                 nil, // devices are on the LAN; never a proxy
				DialContext:           dial,
				ResponseHeaderTimeout: cfg.CallTimeout,
				MaxIdleConnsPerHost:   2,
				IdleConnTimeout:       10 * time.Second,
			},
			Timeout: cfg.CallTimeout,
			// A device never needs a redirect, and following one could
			// send credentials elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// CloseIdleConnections closes the kept-alive connections to devices.
func (id *Identifier) CloseIdleConnections() { id.http.CloseIdleConnections() }

// Identify describes the device of r: what WS-Discovery said, completed by
// ONVIF GetSystemDateAndTime, GetDeviceInformation and GetNetworkInterfaces.
// It waits for a free slot first (or ctx). A device that refuses, fails or
// does not answer yields what WS-Discovery gave, flagged and with Err set.
func (id *Identifier) Identify(ctx context.Context, r wsd.Result) Device {
	d := Device{Discovered: fromWSD(r), asked: true}
	xaddr := pickXAddr(r)
	if xaddr == "" {
		d.Err = errNoXAddr
		return d
	}
	select {
	case id.sem <- struct{}{}:
		defer func() { <-id.sem }()
	case <-ctx.Done():
		d.Err = ctx.Err() // stopped before asking: not the device's fault
		return d
	}

	c, err := onvif.New(xaddr, id.onvifConfig(Credential{}))
	if err != nil {
		d.Err = err
		return d
	}
	dt, err := c.GetSystemDateAndTime(ctx)
	if err != nil && !errors.Is(err, onvif.ErrNotAuthorized) {
		// Every ONVIF device must answer this anonymously; one that does
		// not will not answer the rest either.
		d.fail(err)
		return d
	}
	info, err := c.GetDeviceInformation(ctx)
	if errors.Is(err, onvif.ErrNotAuthorized) {
		c, info, err = id.withCredentials(ctx, xaddr, d.Discovered, dt, err)
	}
	if err != nil {
		d.fail(err)
		return d
	}
	d.Sources = append(d.Sources, SourceONVIF)
	d.Manufacturer = info.Manufacturer
	d.Model = info.Model
	d.Firmware = info.FirmwareVersion
	d.Serial = info.SerialNumber
	d.HardwareID = info.HardwareID

	ifs, err := c.GetNetworkInterfaces(ctx)
	if err != nil {
		// Identity known; only the MAC is missing. Many devices refuse
		// this call anonymously: that is not "needs credentials" to a
		// person, who already sees the make and model.
		d.Err = err
		return d
	}
	if mac := pickMAC(ifs, r.From.Addr()); mac != "" {
		d.MAC = mac
	}
	return d
}

// withCredentials retries GetDeviceInformation with the credentials for
// device d (credentialTries), and returns the client that succeeded, or the
// last error.
func (id *Identifier) withCredentials(ctx context.Context, xaddr string, d inventory.Discovered, dt onvif.DateTime, err error) (*onvif.Client, onvif.DeviceInfo, error) {
	creds := id.cfg.Credentials
	if id.cfg.CredentialsFor != nil {
		creds = id.cfg.CredentialsFor(d)
	}
	for _, cred := range credentialTries(creds, id.good.Load()) {
		c, nerr := onvif.New(xaddr, id.onvifConfig(cred))
		if nerr != nil {
			return nil, onvif.DeviceInfo{}, nerr
		}
		if !dt.UTC.IsZero() {
			c.SetClockOffset(dt.Offset)
		}
		var info onvif.DeviceInfo
		info, err = c.GetDeviceInformation(ctx)
		if !errors.Is(err, onvif.ErrNotAuthorized) {
			if err == nil {
				id.good.Store(&cred)
			}
			return c, info, err
		}
	}
	return nil, onvif.DeviceInfo{}, err
}

// credentialTries returns the credentials to ask one device with: good
// first when creds holds it (a login that worked elsewhere but is not in
// this device's list is not sent to it), then the rest of creds in order,
// each once, at most MaxCredentialTries in all.
func credentialTries(creds []Credential, good *Credential) []Credential {
	out := make([]Credential, 0, min(len(creds), MaxCredentialTries))
	if good != nil && slices.Contains(creds, *good) {
		out = append(out, *good)
	}
	for _, c := range creds {
		if len(out) == MaxCredentialTries {
			break
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func (id *Identifier) onvifConfig(cred Credential) onvif.Config {
	return onvif.Config{
		Username:   cred.Username,
		Password:   cred.Password,
		Timeout:    id.cfg.CallTimeout,
		HTTPClient: id.http,
	}
}

var errNoXAddr = errors.New("no http device service address in the ws-discovery reply")

// fail records why identification stopped and classifies it.
func (d *Device) fail(err error) {
	d.Err = err
	if errors.Is(err, context.Canceled) {
		return // the person stopped the scan: no verdict on the device
	}
	var fault *onvif.Fault
	var status *onvif.StatusError
	switch {
	case errors.Is(err, onvif.ErrNotAuthorized):
		d.NeedsCredentials = true
	case errors.As(err, &fault), errors.As(err, &status), errors.Is(err, onvif.ErrBodyTooLarge), !unanswered(err):
		// It answered, with something we cannot use: a fault, broken
		// XML, a document that is no SOAP reply.
	default:
		// Timeout, refused, unreachable, reset, closed: no usable answer.
		d.NoAnswer = true
	}
}

// unanswered reports whether err means that no answer came back: a timeout,
// or a connection refused, unreachable, reset or closed before the reply
// was complete.
func unanswered(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// fromWSD is what a WS-Discovery result alone says about a device.
func fromWSD(r wsd.Result) inventory.Discovered {
	d := inventory.Discovered{
		Model:       r.Scope.Hardware,
		MAC:         r.Scope.MAC,
		Class:       r.Class,
		EndpointRef: r.Match.EndpointRef,
		XAddrs:      append([]string(nil), r.Match.XAddrs...),
		Sources:     []string{SourceWSD},
		Interface:   r.Interface,
	}
	if r.From.IsValid() {
		// A link-local IPv6 address is kept without its zone: the zone
		// names this computer's interface, not the device.
		d.IPs = []string{r.From.Addr().Unmap().WithZone("").String()}
	}
	return d
}

// pickXAddr returns the http(s) XAddr on the reply's own source address,
// or "". Only that one is asked: a forged or misconfigured ProbeMatch must
// not send the scan — and the credentials it tries — to another host. A
// link-local IPv6 XAddr gets the zone of the interface the reply came in
// on, without which it cannot be reached.
func pickXAddr(r wsd.Result) string {
	from := r.From.Addr().Unmap()
	for _, x := range r.Match.XAddrs {
		u, err := url.Parse(x)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		a, err := netip.ParseAddr(u.Hostname())
		if err != nil || a.Unmap().WithZone("") != from.WithZone("") {
			continue
		}
		if from.Zone() != "" {
			host := netip.AddrPortFrom(from, 0).Addr().String()
			if p := u.Port(); p != "" {
				u.Host = net.JoinHostPort(host, p)
			} else {
				u.Host = "[" + host + "]"
			}
			return u.String()
		}
		return x
	}
	return ""
}

// pickMAC returns the MAC of the interface holding src, else of the first
// enabled interface with a MAC.
func pickMAC(ifs []onvif.NetworkInterface, src netip.Addr) string {
	src = src.Unmap()
	for _, ni := range ifs {
		for _, a := range ni.IPv4 {
			if a.Prefix.Addr() == src && ni.MAC != "" {
				return ni.MAC
			}
		}
	}
	for _, ni := range ifs {
		if ni.Enabled && ni.MAC != "" {
			return ni.MAC
		}
	}
	return ""
}
