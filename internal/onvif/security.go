package onvif

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"strings"
	"time"
)

const (
	typePasswordDigest = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
	typeBase64Binary   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// passwordDigest is the WS-UsernameToken PasswordDigest:
// Base64(SHA1(nonce + created + password)), nonce being the raw bytes.
func passwordDigest(nonce []byte, created, password string) string {
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(password))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// usernameToken returns a wsse:Security header signed at created, which must
// be the device's clock, not ours: devices reject a Created too far from
// their own time, and installed cameras drift by hours.
func usernameToken(username, password string, created time.Time) string {
	nonce := make([]byte, 16)
	rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24+)
	c := created.UTC().Format("2006-01-02T15:04:05.000Z")
	var b strings.Builder
	b.WriteString(`<wsse:Security s:mustUnderstand="1" xmlns:wsse="` + nsWSSE + `" xmlns:wsu="` + nsWSU + `">`)
	b.WriteString(`<wsse:UsernameToken><wsse:Username>`)
	xml.EscapeText(&b, []byte(username))
	b.WriteString(`</wsse:Username><wsse:Password Type="` + typePasswordDigest + `">`)
	b.WriteString(passwordDigest(nonce, c, password))
	b.WriteString(`</wsse:Password><wsse:Nonce EncodingType="` + typeBase64Binary + `">`)
	b.WriteString(base64.StdEncoding.EncodeToString(nonce))
	b.WriteString(`</wsse:Nonce><wsu:Created>` + c + `</wsu:Created></wsse:UsernameToken></wsse:Security>`)
	return b.String()
}
