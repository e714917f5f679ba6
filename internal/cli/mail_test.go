package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"sitekeeper/internal/alert"
	"sitekeeper/internal/credentials"
)

// TestAlertMail: sitekeeper watch mails with the password the window saved
// in the credential store; where it cannot read one, it says so in words.
func TestAlertMail(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	if err := credentials.Open(ctx, credentials.Options{}).SaveSecret(credentials.MailPassword, "s3cret"); err != nil {
		t.Fatal(err)
	}
	m := alertMail(ctx)
	if pw, err := m.Password(); pw != "s3cret" || err != nil {
		t.Errorf("Password() = %q, %v; want the saved one", pw, err)
	}

	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	_, err := mailPassword(credentials.Open(ctx, credentials.Options{}))
	var mp *mailPasswordError
	if !errors.As(err, &mp) {
		t.Fatalf("mailPassword without a credential store = %v; want a *mailPasswordError", err)
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"store out of reach", fmt.Errorf("e-mail: %w", err), "not e-mailed: SiteKeeper cannot read the mail password here"},
		{"no password, beside a webhook error", errors.Join(errors.New("the webhook answered 502"), alert.ErrNoMailPassword), "no password is saved for the mail server"},
	} {
		if got := explainError(c.err); !strings.Contains(got, c.want) {
			t.Errorf("%s: explainError = %q; want it to say %q", c.name, got, c.want)
		}
	}
}
