package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/alert"
	"sitekeeper/internal/credentials"
	"sitekeeper/internal/inventory"
)

// mailFields are the e-mail inputs of the Alerts section. The password is
// never in inventory.Settings: Save puts it in the credential store
// (u.secrets), and the entry stays empty afterwards, meaning "keep the
// saved one".
type mailFields struct {
	server, from, to, user, password       *widget.Entry
	serverMsg, fromMsg, toMsg, passwordMsg *widget.Label
}

// newMailFields builds the e-mail inputs; onChange is called as they are
// typed in.
func newMailFields(onChange func()) *mailFields {
	m := &mailFields{}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { onChange() }
		return e
	}
	m.server = entry("smtp.example.com:587")
	m.from = entry("sitekeeper@example.com")
	m.to = entry("owner@example.com, it@example.com")
	m.user = entry("Leave empty if the server needs no login")
	m.password = widget.NewPasswordEntry()
	m.password.OnChanged = func(string) { onChange() }
	msg := func() *widget.Label {
		l := widget.NewLabel("")
		l.Importance = widget.DangerImportance
		l.Wrapping = fyne.TextWrapWord
		l.Hide()
		return l
	}
	m.serverMsg, m.fromMsg, m.toMsg, m.passwordMsg = msg(), msg(), msg(), msg()
	return m
}

// rows are the inputs as formGrid rows, with a notice under the password
// when it is kept for this session only.
func (m *mailFields) rows(secrets Secrets) []any {
	pw := []fyne.CanvasObject{m.password, m.passwordMsg}
	if !secrets.Persistent() {
		why, todo := explainStore(secrets.StoreErr())
		// explainStore's what-to-do is written for the logins.
		todo = strings.ReplaceAll(todo, "add them again", "type the password again")
		notice := para(fmt.Sprintf("The password is kept for this session only: %s. To keep it, %s", why, todo))
		notice.Importance = widget.WarningImportance
		pw = append(pw, container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, notice))
	}
	return []any{
		"Mail server", container.NewVBox(m.server, m.serverMsg),
		"From", container.NewVBox(m.from, m.fromMsg),
		"To", container.NewVBox(m.to, m.toMsg),
		"User name", m.user,
		"Password", container.NewVBox(pw...),
	}
}

// show puts stored e-mail settings into the inputs; the password entry
// is emptied, and says whether one is needed.
func (m *mailFields) show(e inventory.EmailSettings) {
	m.server.SetText(e.Server)
	m.from.SetText(e.From)
	m.to.SetText(strings.Join(e.To, ", "))
	m.user.SetText(e.Username)
	m.password.SetText("")
	if e.Username != "" {
		m.password.SetPlaceHolder("Saved. Type a new one to replace it")
	} else {
		m.password.SetPlaceHolder("")
	}
}

// values reads the inputs: addresses without their display names, which
// the mail server does not take; all empty is e-mail off.
func (m *mailFields) values() inventory.EmailSettings {
	e := inventory.EmailSettings{Server: strings.TrimSpace(m.server.Text), From: strings.TrimSpace(m.from.Text),
		Username: strings.TrimSpace(m.user.Text)}
	if a, err := mail.ParseAddress(e.From); err == nil {
		e.From = a.Address
	}
	e.To, _ = parseAddresses(m.to.Text)
	return e
}

// parseAddresses reads comma-separated e-mail addresses, without their
// display names; bad is the first part that is not an address ("" when
// every part is), kept in addrs as typed.
func parseAddresses(s string) (addrs []string, bad string) {
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, err := mail.ParseAddress(part)
		if err != nil {
			if bad == "" {
				bad = part
			}
			addrs = append(addrs, part)
			continue
		}
		addrs = append(addrs, a.Address)
	}
	return addrs, bad
}

// checkMailServer says what is wrong with a mail server a person typed,
// in words; "" when nothing is.
func checkMailServer(s string) string {
	host, port, err := net.SplitHostPort(strings.TrimSpace(s))
	if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
		return "Write the mail server's name and port, like smtp.example.com:587. Whoever runs your e-mail can tell you both."
	}
	return ""
}

// valid shows what is wrong under each input, if anything: all empty is
// fine (no e-mail); otherwise the server, from and to are needed.
func (m *mailFields) valid() bool {
	e := m.values()
	filled := e.Server != "" || e.From != "" || len(e.To) > 0 || e.Username != "" || m.password.Text != ""
	set := func(l *widget.Label, msg string) bool {
		l.SetText(msg)
		l.Hidden = msg == ""
		l.Refresh()
		return msg == ""
	}
	var server, from, to, pw string
	if filled {
		switch {
		case e.Server == "":
			server = "Write the mail server, like smtp.example.com:587, or empty the other e-mail fields to send no e-mail."
		default:
			server = checkMailServer(e.Server)
		}
		if _, err := mail.ParseAddress(e.From); e.From == "" {
			from = "Write the address the alerts come from, like sitekeeper@example.com."
		} else if err != nil {
			from = "This is not an e-mail address. Write one like sitekeeper@example.com."
		}
		if _, bad := parseAddresses(m.to.Text); len(e.To) == 0 {
			to = "Write who gets the alerts: one or more addresses, separated by commas."
		} else if bad != "" {
			to = fmt.Sprintf("“%s” is not an e-mail address. Write addresses like owner@example.com, separated by commas.", bad)
		}
		if e.Username == "" && m.password.Text != "" {
			pw = "Write the user name that goes with this password too."
		}
	}
	ok := set(m.serverMsg, server)
	ok = set(m.fromMsg, from) && ok
	ok = set(m.toMsg, to) && ok
	return set(m.passwordMsg, pw) && ok
}

// saveMailPassword keeps what the password entry held (typed) in the
// credential store when e needs one, and forgets the saved one when e no
// longer logs in. An empty typed keeps the saved one. It runs off the UI
// goroutine.
func (u *UI) saveMailPassword(typed string, e inventory.EmailSettings) error {
	if !e.On() || e.Username == "" {
		return u.secrets.DeleteSecret(credentials.MailPassword)
	}
	if typed == "" {
		return nil
	}
	return u.secrets.SaveSecret(credentials.MailPassword, credentials.Secret(typed))
}

// mailPassword is the saved mail password, for alert.Mail.
func (u *UI) mailPassword() (string, error) {
	s, err := u.secrets.LoadSecret(credentials.MailPassword)
	return string(s), err
}

// sendTestMail mails the test alert as v says, with typed as the password
// when a person typed one, else the saved one. It runs off the UI goroutine.
func (u *UI) sendTestMail(ctx context.Context, v inventory.Settings, typed string, test alert.Alert) error {
	m := u.mail
	if typed != "" {
		m.Password = func() (string, error) { return typed, nil }
	}
	return m.Send(ctx, v, []alert.Alert{test})
}

// explainMail words why a test e-mail did not go, with what to do next.
func explainMail(err error) string {
	var tp *textproto.Error
	var se *credentials.StoreError
	var dns *net.DNSError
	var op *net.OpError
	var cert *tls.CertificateVerificationError
	switch {
	case errors.Is(err, alert.ErrNoMailPassword):
		return "no password is saved for this user name. Type it in the Password field and try again."
	case errors.As(err, &se):
		why, todo := explainStore(se)
		return fmt.Sprintf("SiteKeeper could not read the saved password: %s. To fix it, %s", why, todo)
	case errors.As(err, &tp) && (tp.Code == 535 || tp.Code == 534 || tp.Code == 530):
		return "the mail server refused the user name or password. Check them and try again."
	case errors.As(err, &tp) && tp.Code >= 550 && tp.Code < 560:
		return "the mail server refused an address: " + tp.Msg + ". Check the From and To addresses and try again."
	case errors.As(err, &cert):
		return "the mail server's certificate is not trusted, so SiteKeeper stopped before sending the password. Check the server name with whoever runs your e-mail."
	case errors.As(err, &dns):
		return "SiteKeeper could not find the mail server by that name. Check its spelling."
	case errors.As(err, &op), errors.Is(err, context.DeadlineExceeded):
		return "SiteKeeper could not reach the mail server. Check its name and port (often 587), and that this computer may send e-mail."
	}
	return "it did not go: " + strings.TrimPrefix(err.Error(), "e-mail: ") + ". Check the e-mail settings with whoever runs your e-mail."
}
