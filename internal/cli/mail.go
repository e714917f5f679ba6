package cli

import (
	"context"
	"fmt"
	"sync"

	"sitekeeper/internal/alert"
	"sitekeeper/internal/credentials"
)

// alertMail is how sitekeeper watch mails alerts: with the mail password
// the window saved in the OS credential store, read as each e-mail goes
// (so a password changed in the window applies), through a vault opened at
// the first e-mail, not at start: most sites send none.
func alertMail(ctx context.Context) alert.Mail {
	vault := sync.OnceValue(func() *credentials.Vault {
		return credentials.Open(context.WithoutCancel(ctx), credentials.Options{})
	})
	return alert.Mail{Password: func() (string, error) { return mailPassword(vault()) }}
}

// mailPassword is v's mail password; a session-only v holds none that
// the window saved, and says why.
func mailPassword(v *credentials.Vault) (string, error) {
	s, err := v.LoadSecret(credentials.MailPassword)
	if err == nil && s == "" && !v.Persistent() {
		err = v.StoreErr()
	}
	if err != nil {
		return "", &mailPasswordError{Err: err}
	}
	return string(s), nil
}

// mailPasswordError is a mail password out of reach: the credential store
// did not answer, or refused.
type mailPasswordError struct{ Err error }

func (e *mailPasswordError) Error() string { return fmt.Sprintf("the mail password: %v", e.Err) }

func (e *mailPasswordError) Unwrap() error { return e.Err }
