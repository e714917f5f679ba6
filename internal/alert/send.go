package alert

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Sender carries alerts somewhere outside SiteKeeper.
type Sender interface {
	Send(ctx context.Context, alerts []Alert) error
}

// Retry is how a sender retries a failed delivery: Attempts in all, waiting
// Backoff, then twice as long, and so on.
type Retry struct {
	Attempts int
	Backoff  time.Duration
}

// DefaultRetry tries three times over about six seconds: long enough to ride
// out a restarting mail server or a proxy blip, short enough that a person
// pressing "Send a test" gets an answer.
var DefaultRetry = Retry{Attempts: 3, Backoff: 2 * time.Second}

// permanent marks an error that a retry cannot fix (a 4xx answer, a refused
// login, a malformed address).
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// withRetry calls fn until it succeeds, fails permanently, Attempts run
// out or ctx ends, and returns the last error.
func withRetry(ctx context.Context, r Retry, fn func(context.Context) error) error {
	if r.Attempts < 1 {
		r.Attempts = 1
	}
	wait := r.Backoff
	var err error
	for i := range r.Attempts {
		if i > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return errors.Join(err, ctx.Err())
			case <-t.C:
			}
			wait *= 2
		}
		if err = fn(ctx); err == nil {
			return nil
		}
		var p permanent
		if errors.As(err, &p) {
			return p.error
		}
	}
	return err
}

// Webhook posts alerts as JSON to a URL of IT's choosing (a chat channel's
// incoming webhook, a ticketing system, a monitoring tool):
//
//	{"source": "SiteKeeper", "organisation": "...", "alerts": [Alert, ...]}
//
// It follows no redirect (the body would go somewhere the person did not
// choose) and retries on network errors and 5xx answers only.
type Webhook struct {
	URL          string
	Organisation string
	Client       *http.Client // nil: 10 s timeout, proxy from HTTPS_PROXY/HTTP_PROXY
	Retry        Retry
}

// WebhookPayload is the JSON document a webhook receives.
type WebhookPayload struct {
	Source       string  `json:"source"`
	Organisation string  `json:"organisation,omitempty"`
	Alerts       []Alert `json:"alerts"`
}

// CheckWebhookURL says what is wrong with a webhook address a person typed.
func CheckWebhookURL(s string) error {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not a web address: it should start with https://", s)
	}
	return nil
}

// Send posts alerts; an empty list sends nothing.
func (w Webhook) Send(ctx context.Context, alerts []Alert) error {
	if len(alerts) == 0 {
		return nil
	}
	if err := CheckWebhookURL(w.URL); err != nil {
		return err
	}
	body, err := json.Marshal(WebhookPayload{Source: "SiteKeeper", Organisation: w.Organisation, Alerts: alerts})
	if err != nil {
		return err
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return withRetry(ctx, w.Retry, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSpace(w.URL), bytes.NewReader(body))
		if err != nil {
			return permanent{err}
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "SiteKeeper")
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // reuse the connection
		switch {
		case res.StatusCode >= 200 && res.StatusCode < 300:
			return nil
		case res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests:
			return fmt.Errorf("the webhook answered %s", res.Status)
		default:
			return permanent{fmt.Errorf("the webhook refused the alert: %s", res.Status)}
		}
	})
}

// Email sends alerts by SMTP, for an owner without IT: one message per
// batch, plain text. It uses STARTTLS whenever the server offers it and
// refuses to send a password over a connection that is not encrypted.
type Email struct {
	// Server is host:port ("smtp.example.com:587").
	Server             string
	From               string
	To                 []string
	Username, Password string
	Organisation       string
	Retry              Retry
	// Dial opens the connection (nil: a net.Dialer with a 10 s timeout).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLS overrides the TLS settings (tests trust their own certificate).
	TLS *tls.Config
}

// Send mails alerts; an empty list sends nothing.
func (e Email) Send(ctx context.Context, alerts []Alert) error {
	if len(alerts) == 0 {
		return nil
	}
	if len(e.To) == 0 || e.From == "" {
		return permanent{errors.New("say who the e-mail is from and to whom it goes")}
	}
	host, _, err := net.SplitHostPort(e.Server)
	if err != nil {
		return fmt.Errorf("the mail server %q should be a name and a port, like smtp.example.com:587", e.Server)
	}
	msg := e.message(alerts)
	return withRetry(ctx, e.Retry, func(ctx context.Context) error { return e.send(ctx, host, msg) })
}

func (e Email) send(ctx context.Context, host string, msg []byte) error {
	dial := e.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: 10 * time.Second}).DialContext
	}
	conn, err := dial(ctx, "tcp", e.Server)
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	encrypted := false
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := e.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(cfg); err != nil {
			return permanent{fmt.Errorf("the mail server's encryption failed: %w", err)}
		}
		encrypted = true
	}
	if e.Username != "" {
		if !encrypted {
			return permanent{errors.New("the mail server does not offer encryption (STARTTLS), so SiteKeeper will not send it your password")}
		}
		if err := c.Auth(smtp.PlainAuth("", e.Username, e.Password, host)); err != nil {
			return permanent{fmt.Errorf("the mail server refused the user name or password: %w", err)}
		}
	}
	if err := c.Mail(e.From); err != nil {
		return err
	}
	for _, to := range e.To {
		if err := c.Rcpt(to); err != nil {
			return permanent{fmt.Errorf("the mail server refused %s: %w", to, err)}
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// message is the RFC 5322 message for alerts: a subject that names the
// first alert (and how many more), then one paragraph per alert.
func (e Email) message(alerts []Alert) []byte {
	subject := alerts[0].Subject()
	if len(alerts) > 1 {
		subject = fmt.Sprintf("%s, and %d more", subject, len(alerts)-1)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n", e.From, strings.Join(e.To, ", "),
		encodeHeader("SiteKeeper: "+subject), alerts[0].At.Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	for _, a := range alerts {
		fmt.Fprintf(&b, "%s\r\n%s\r\n", a.Subject(), a.At.Local().Format("Mon 2 Jan 2006 15:04"))
		if a.Address != "" {
			fmt.Fprintf(&b, "Address: %s\r\n", a.Address)
		}
		fmt.Fprintf(&b, "%s\r\n\r\n", dotSafe(a.Message))
	}
	if e.Organisation != "" {
		fmt.Fprintf(&b, "-- \r\nSiteKeeper, %s. Turn these e-mails off in SiteKeeper's Settings.\r\n", e.Organisation)
	} else {
		b.WriteString("-- \r\nSiteKeeper. Turn these e-mails off in SiteKeeper's Settings.\r\n")
	}
	return b.Bytes()
}

// encodeHeader writes a header value as RFC 2047 UTF-8 when it is not ASCII
// (device names carry accents) and strips line breaks, so a device name can
// never add a header.
func encodeHeader(s string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	for _, r := range s {
		if r > 126 {
			return mimeQ(s)
		}
	}
	return s
}

func mimeQ(s string) string {
	var b strings.Builder
	b.WriteString("=?utf-8?q?")
	for _, c := range []byte(s) {
		switch {
		case c == ' ':
			b.WriteByte('_')
		case c > 126 || c < 33 || c == '=' || c == '?' || c == '_':
			fmt.Fprintf(&b, "=%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString("?=")
	return b.String()
}

// dotSafe normalises line ends to CRLF; net/smtp's data writer does the
// dot-stuffing of lines that start with a dot.
func dotSafe(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}
