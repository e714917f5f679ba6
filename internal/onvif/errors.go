package onvif

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrNotAuthorized reports that the device wants credentials, or refused the
// ones it was given. Both a SOAP fault with subcode ter:NotAuthorized and an
// HTTP 401 that could not be answered match it through errors.Is.
var ErrNotAuthorized = errors.New("not authorized")

// ErrBodyTooLarge reports a response body larger than Config.MaxBodySize.
var ErrBodyTooLarge = errors.New("response body too large")

// Error records a failed ONVIF operation and the device address, in the
// manner of fs.PathError.
type Error struct {
	Op   string // ONVIF operation, e.g. "GetDeviceInformation"
	Addr string // device service XAddr
	Err  error
}

func (e *Error) Error() string {
	return "onvif " + e.Op + " " + e.Addr + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Fault is a SOAP Fault returned by the device. Code and Subcode are
// resolved QNames (Space is the namespace URI, "" if the prefix was unbound);
// Reason is the first Reason/Text (SOAP 1.2) or faultstring (SOAP 1.1).
type Fault struct {
	Code    xml.Name
	Subcode xml.Name
	Reason  string
}

func (f *Fault) Error() string {
	var b strings.Builder
	b.WriteString("soap fault ")
	b.WriteString(f.Code.Local)
	if f.Subcode.Local != "" {
		b.WriteString("/")
		b.WriteString(f.Subcode.Local)
	}
	if f.Reason != "" {
		b.WriteString(": ")
		b.WriteString(f.Reason)
	}
	return b.String()
}

// Is makes errors.Is(f, ErrNotAuthorized) true for the faults devices use to
// demand credentials: ter:NotAuthorized (Axis, Hikvision, TRENDnet) and the
// WS-Security wsse:FailedAuthentication / wsse:InvalidSecurity codes.
func (f *Fault) Is(target error) bool {
	if target != ErrNotAuthorized {
		return false
	}
	for _, n := range []xml.Name{f.Subcode, f.Code} {
		switch {
		case n.Local == "NotAuthorized" && (n.Space == nsError || n.Space == ""):
			return true
		case (n.Local == "FailedAuthentication" || n.Local == "InvalidSecurity") &&
			(n.Space == nsWSSE || n.Space == ""):
			return true
		}
	}
	return false
}

// StatusError is an HTTP status other than 200 that came without a SOAP
// fault in its body. A 401 matches ErrNotAuthorized.
type StatusError struct {
	StatusCode int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("http status %d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

// Is makes a 401 match ErrNotAuthorized.
func (e *StatusError) Is(target error) bool {
	return target == ErrNotAuthorized && e.StatusCode == http.StatusUnauthorized
}
