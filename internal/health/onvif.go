package health

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"sitekeeper/internal/onvif"
)

// CheckONVIF asks the device service at t.XAddr for the device's clock
// (GetSystemDateAndTime, which ONVIF devices answer without a login) through
// t.Dial. It answers: OK. Its clock is more than MaxDrift off ours:
// Degraded, because recordings' timestamps then stop being reliable
// evidence. A refusal or a fault still means the service answers (OK, with
// the reason); an answer that is not ONVIF is Degraded; none is Down.
func CheckONVIF(ctx context.Context, t Target) Result {
	r := Result{Check: "onvif", Method: MethodONVIF}
	timeout := t.timeout()
	var connected atomic.Bool
	hc := &http.Client{
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := t.dial(ctx, network, addr)
				if err == nil {
					connected.Store(true)
				}
				return c, err
			},
			ResponseHeaderTimeout: timeout,
			DisableKeepAlives:     true,
		},
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer hc.CloseIdleConnections()
	c, err := onvif.New(t.XAddr, onvif.Config{Timeout: timeout, HTTPClient: hc, Now: t.Now})
	if err != nil {
		r.State, r.Detail = Unknown, "the device's ONVIF address is not usable: "+err.Error()
		return r
	}
	start := time.Now()
	dt, err := c.GetSystemDateAndTime(ctx)
	if err != nil {
		return onvifFailure(r, err, connected.Load())
	}
	r.Latency = time.Since(start)
	r.Answered = true
	if dt.UTC.IsZero() {
		r.State = OK
		r.Detail = "the ONVIF service answers, but does not tell its clock in UTC, so its drift is unknown"
		return r
	}
	r.Clock = &ClockInfo{Offset: dt.Offset, NTP: strings.EqualFold(dt.Type, "NTP")}
	if abs(dt.Offset) > MaxDrift {
		r.State = Degraded
		r.Detail = "the device's clock is " + driftWords(dt.Offset) +
			": recordings' timestamps stop being reliable evidence; set its time, or point it at a time (NTP) server"
		return r
	}
	r.State = OK
	r.Detail = "the ONVIF service answers; its clock is right to within " + MaxDrift.String()
	return r
}

// onvifFailure words a failed GetSystemDateAndTime.
func onvifFailure(r Result, err error, connected bool) Result {
	var f *onvif.Fault
	var se *onvif.StatusError
	switch {
	case !connected:
		r.State = Down
		switch {
		case refused(err):
			r.Answered = true
			r.Detail = "the ONVIF service's port refused the connection: the device is on, but its ONVIF service is not running"
		case timedOut(err):
			r.Detail = "the ONVIF service did not answer in time"
		default:
			r.Detail = "the ONVIF service cannot be reached: " + err.Error()
		}
	case errors.As(err, &f), errors.As(err, &se):
		r.State, r.Answered = OK, true
		r.Detail = "the ONVIF service answers, but would not tell its clock (" + err.Error() + ")"
	case timedOut(err):
		r.State, r.Answered = Degraded, true
		r.Detail = "the ONVIF service accepts connections but did not answer in time"
	default:
		r.State, r.Answered = Degraded, true
		r.Detail = "the ONVIF service answers, but not usably: " + err.Error()
	}
	return r
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// driftWords says how far and which way a clock is off: "2 h 0 min ahead".
func driftWords(d time.Duration) string {
	way := "ahead"
	if d < 0 {
		way, d = "behind", -d
	}
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return strconv.Itoa(h) + " h " + strconv.Itoa(m) + " min " + way
	case m > 0:
		return strconv.Itoa(m) + " min " + strconv.Itoa(s) + " s " + way
	}
	return strconv.Itoa(s) + " s " + way
}
