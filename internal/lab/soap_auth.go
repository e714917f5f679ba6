//go:build linux

package lab

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/icholy/digest"
)

// typePasswordDigest is the only UsernameToken password type the simulated
// devices take; ONVIF forbids sending the password as text.
const typePasswordDigest = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"

// maxNonces bounds the nonces a device remembers: UsernameToken nonces seen
// (replays are refused) and Digest nonces issued.
const maxNonces = 4096

// Why a device refuses credentials; the handler tests check them.
var (
	errNoCredentials = errors.New("no credentials")
	errUnknownUser   = errors.New("unknown user")
	errBadPassword   = errors.New("wrong password")
	errStale         = errors.New("created too far from the device clock")
	errReplay        = errors.New("nonce seen before")
	errUnknownNonce  = errors.New("nonce not issued")
	errBadToken      = errors.New("malformed credentials")
)

// authState is what a device remembers between requests.
type authState struct {
	mu     sync.Mutex
	nonces map[string]bool // UsernameToken nonces seen, Digest nonces issued
	order  []string        // FIFO of nonces, to forget the oldest
}

// remember records nonce and reports whether it is new.
func (a *authState) remember(nonce string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.nonces[nonce] {
		return false
	}
	if a.nonces == nil {
		a.nonces = map[string]bool{}
	}
	if len(a.order) >= maxNonces {
		delete(a.nonces, a.order[0])
		a.order = a.order[1:]
	}
	a.nonces[nonce] = true
	a.order = append(a.order, nonce)
	return true
}

func (a *authState) known(nonce string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.nonces[nonce]
}

// refusal is a device's answer to a call it will not serve.
type refusal struct {
	status    int
	challenge string // WWW-Authenticate, for Digest
	body      []byte
}

func (r *refusal) write(w http.ResponseWriter) {
	if r.challenge != "" {
		w.Header().Set("WWW-Authenticate", r.challenge)
	}
	writeSOAP(w, r.status, r.body)
}

// authorize checks the credentials of a call that needs them and returns
// the refusal to send, or nil to serve the call.
func (d *soapDevice) authorize(r *http.Request, body []byte) *refusal {
	var err error
	switch d.mode.Auth {
	case AuthNone:
		return nil
	case AuthUsernameToken:
		err = d.checkUsernameToken(body)
	case AuthDigest:
		err = d.checkDigest(r)
	}
	switch {
	case err == nil:
		d.stats.accepted.Add(1)
		return nil
	case errors.Is(err, errNoCredentials):
		d.stats.challenged.Add(1)
	default:
		d.stats.rejected.Add(1)
	}
	if d.mode.Auth == AuthDigest {
		return &refusal{status: http.StatusUnauthorized, challenge: d.challenge(), body: notAuthorizedFault(d.Vendor)}
	}
	return &refusal{status: d.refuseStatus, body: notAuthorizedFault(d.Vendor)}
}

// usernameToken is the part of a request envelope checkUsernameToken reads;
// elements are matched by local name.
type usernameToken struct {
	Header struct {
		Security struct {
			Token *struct {
				Username string `xml:"Username"`
				Password struct {
					Type  string `xml:"Type,attr"`
					Value string `xml:",chardata"`
				} `xml:"Password"`
				Nonce   string `xml:"Nonce"`
				Created string `xml:"Created"`
			} `xml:"UsernameToken"`
		} `xml:"Security"`
	} `xml:"Header"`
}

// checkUsernameToken verifies the WS-Security UsernameToken of a request
// envelope against the device's account and clock.
func (d *soapDevice) checkUsernameToken(body []byte) error {
	var env usernameToken
	if err := xml.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("%w: %v", errBadToken, err)
	}
	tok := env.Header.Security.Token
	if tok == nil {
		return errNoCredentials
	}
	if tok.Password.Type != typePasswordDigest {
		return fmt.Errorf("%w: password type %q", errBadToken, tok.Password.Type)
	}
	nonce, err := base64.StdEncoding.DecodeString(strings.TrimSpace(tok.Nonce))
	if err != nil || len(nonce) == 0 {
		return fmt.Errorf("%w: nonce %q", errBadToken, tok.Nonce)
	}
	created := strings.TrimSpace(tok.Created)
	at, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return fmt.Errorf("%w: created %q", errBadToken, created)
	}
	if diff := at.Sub(d.clock()); diff > MaxClockDifference || diff < -MaxClockDifference {
		return fmt.Errorf("%w: %v off", errStale, diff.Round(time.Second))
	}
	if strings.TrimSpace(tok.Username) != d.mode.Username {
		return errUnknownUser
	}
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(d.mode.Password))
	want := base64.StdEncoding.EncodeToString(h.Sum(nil))
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.TrimSpace(tok.Password.Value))) != 1 {
		return errBadPassword
	}
	if !d.auth.remember("ut:" + tok.Nonce) {
		return errReplay
	}
	return nil
}

// realm is the Digest realm, in the style of real cameras.
func (d *soapDevice) realm() string {
	return fmt.Sprintf("%s_%X", strings.ToUpper(d.Vendor.Name), []byte(d.MAC))
}

// challenge issues a fresh nonce and returns the WWW-Authenticate value.
func (d *soapDevice) challenge() string {
	b := make([]byte, 16)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	nonce := hex.EncodeToString(b)
	d.auth.remember("digest:" + nonce)
	return fmt.Sprintf(`Digest realm=%q, qop="auth", nonce=%q, opaque=%q, algorithm=MD5`,
		d.realm(), nonce, hex.EncodeToString(b[:4]))
}

// checkDigest verifies the HTTP Digest Authorization of r (RFC 7616, MD5,
// qop=auth) against the device's account and the nonces it issued.
func (d *soapDevice) checkDigest(r *http.Request) error {
	h := r.Header.Get("Authorization")
	if h == "" {
		return errNoCredentials
	}
	c, err := digest.ParseCredentials(h)
	if err != nil {
		return fmt.Errorf("%w: %v", errBadToken, err)
	}
	switch {
	case c.Algorithm != "" && !strings.EqualFold(c.Algorithm, "MD5"):
		return fmt.Errorf("%w: algorithm %q", errBadToken, c.Algorithm)
	case c.QOP != "auth" || c.Nc <= 0 || c.Cnonce == "":
		return fmt.Errorf("%w: qop %q nc %d", errBadToken, c.QOP, c.Nc)
	case c.Realm != d.realm() || c.URI != r.URL.RequestURI():
		return fmt.Errorf("%w: realm %q uri %q", errBadToken, c.Realm, c.URI)
	case !d.auth.known("digest:" + c.Nonce):
		return errUnknownNonce
	case c.Username != d.mode.Username:
		return errUnknownUser
	}
	ha1 := md5hex(c.Username + ":" + c.Realm + ":" + d.mode.Password)
	ha2 := md5hex(r.Method + ":" + c.URI)
	want := md5hex(fmt.Sprintf("%s:%s:%08x:%s:%s:%s", ha1, c.Nonce, c.Nc, c.Cnonce, c.QOP, ha2))
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(c.Response))) != 1 {
		return errBadPassword
	}
	return nil
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// notAuthorizedFault is the fault a device of vendor v refuses a call
// with: the Axis capture's wording from the gSOAP vendors, the TRENDnet
// (Hikvision firmware) capture's from the Hikvision family
// (../shared/fixtures/onvif/*-Fault-NotAuthorized.xml).
func notAuthorizedFault(v *Vendor) []byte {
	p, reason := "SOAP-ENV", "Sender not authorized"
	if v != nil && v.envPrefix == "env" {
		p, reason = "env", "The action requested requires authorization and the sender is not authorized"
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	fmt.Fprintf(&b, `<%[1]s:Envelope xmlns:%[1]s="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">`, p)
	fmt.Fprintf(&b, `<%[1]s:Body><%[1]s:Fault><%[1]s:Code><%[1]s:Value>%[1]s:Sender</%[1]s:Value>`, p)
	fmt.Fprintf(&b, `<%[1]s:Subcode><%[1]s:Value>ter:NotAuthorized</%[1]s:Value></%[1]s:Subcode></%[1]s:Code>`, p)
	fmt.Fprintf(&b, `<%[1]s:Reason><%[1]s:Text xml:lang="en">%[2]s</%[1]s:Text></%[1]s:Reason>`, p, reason)
	fmt.Fprintf(&b, `</%[1]s:Fault></%[1]s:Body></%[1]s:Envelope>`, p)
	return b.Bytes()
}
