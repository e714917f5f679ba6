package alert

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	"sitekeeper/internal/inventory"
)

// Mail is how alerts are mailed when the settings turn e-mail on: where
// the password comes from, since it is never in the settings. The zero
// Mail mails without a password, which only a server needing no login
// accepts.
type Mail struct {
	// Password returns the mail server's password ("" when none is
	// saved). It is called only when the settings name a user name, from
	// the goroutine sending the alerts; it may wait for the OS credential
	// store.
	Password func() (string, error)
	// Dial and TLS, when set, replace Email's (tests trust their own
	// server).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	TLS  *tls.Config
}

// ErrNoMailPassword is Mail.Send's error when the settings name a user
// name and no password is saved for it.
var ErrNoMailPassword = errors.New("no password is saved for the mail server")

// Send mails alerts as settings.Email says, with the password from
// m.Password and DefaultRetry; it sends nothing when e-mail is off.
func (m Mail) Send(ctx context.Context, settings inventory.Settings, alerts []Alert) error {
	e := settings.Email
	if !e.On() || len(alerts) == 0 {
		return nil
	}
	email := Email{Server: e.Server, From: e.From, To: e.To, Username: e.Username,
		Organisation: settings.Organisation, Retry: DefaultRetry, Dial: m.Dial, TLS: m.TLS}
	if e.Username != "" {
		if m.Password == nil {
			return ErrNoMailPassword
		}
		pw, err := m.Password()
		if err != nil {
			return fmt.Errorf("reading the mail server's password: %w", err)
		}
		if pw == "" {
			return ErrNoMailPassword
		}
		email.Password = pw
	}
	if err := email.Send(ctx, alerts); err != nil {
		return fmt.Errorf("e-mail: %w", err)
	}
	return nil
}

// Senders returns a Sender for each channel settings turn on, the webhook
// first, then e-mail through m. None when nothing is turned on.
func Senders(settings inventory.Settings, m Mail) []Sender {
	var out []Sender
	if settings.WebhookURL != "" {
		out = append(out, Webhook{URL: settings.WebhookURL, Organisation: settings.Organisation, Retry: DefaultRetry})
	}
	if settings.Email.On() {
		out = append(out, mailSender{m: m, settings: settings})
	}
	return out
}

// mailSender is Mail as a Sender for one set of settings.
type mailSender struct {
	m        Mail
	settings inventory.Settings
}

func (s mailSender) Send(ctx context.Context, alerts []Alert) error {
	return s.m.Send(ctx, s.settings, alerts)
}

// MailStore is a DatedStore that also says how its alerts are mailed:
// Raise and RaiseDated mail through Mail when they are given one, and
// mail without a password otherwise. WithMail makes one.
type MailStore interface {
	DatedStore
	Mail() Mail
}

// WithMail returns st with m as the way its alerts are mailed, for Raise
// and RaiseDated.
func WithMail(st DatedStore, m Mail) MailStore { return mailStore{st, m} }

type mailStore struct {
	DatedStore
	m Mail
}

func (s mailStore) Mail() Mail { return s.m }

// mailOf is how st's alerts are mailed: its Mail when it is a MailStore.
func mailOf(st Store) Mail {
	if ms, ok := st.(interface{ Mail() Mail }); ok {
		return ms.Mail()
	}
	return Mail{}
}

// send sends alerts through every sender settings turn on, each whatever
// the others did, and returns their errors joined.
func send(ctx context.Context, st Store, settings inventory.Settings, alerts []Alert) error {
	var errs []error
	for _, s := range Senders(settings, mailOf(st)) {
		errs = append(errs, s.Send(ctx, alerts))
	}
	return errors.Join(errs...)
}
