package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/alert"
)

// alertSection is the Alerts part of Settings: a desktop notification per
// alert, a webhook for IT's systems, and e-mail for an owner without IT,
// with a test. All start off: nothing leaves this computer unless a
// person fills this in.
func (s *settingsView) alertSection() fyne.CanvasObject {
	s.notify = widget.NewCheck("Show a desktop notification for each alert", func(bool) { s.changed() })
	s.webhook = widget.NewEntry()
	s.webhook.SetPlaceHolder("https://… (leave empty to send nothing)")
	s.webhook.OnChanged = func(string) { s.changed() }
	s.webhookMsg = widget.NewLabel("")
	s.webhookMsg.Importance = widget.DangerImportance
	s.webhookMsg.Hide()
	s.mail = newMailFields(s.changed)
	s.alertResult = widget.NewLabel("")
	s.alertResult.Wrapping = fyne.TextWrapWord
	s.saveAlerts = widget.NewButtonWithIcon("Save settings", theme.DocumentSaveIcon(), s.submit)
	s.saveAlerts.Disable()
	s.test = widget.NewButtonWithIcon("Send a test", theme.MailSendIcon(), s.sendTest)
	note := para("Alerts always appear in the Alerts view. A webhook posts each one as JSON to an address IT gives you (a chat channel, a ticket system); e-mail sends each one through your mail server, whose password is kept in " +
		storeName() + ", never in the inventory file. Nothing leaves this computer unless you fill it in.")
	rows := append([]any{"Webhook address", container.NewVBox(s.webhook, s.webhookMsg)}, s.mail.rows(s.u.secrets)...)
	return section("Alerts", container.NewVBox(
		s.notify,
		formGrid(rows...),
		note,
		container.NewHBox(s.saveAlerts, s.test),
		s.alertResult))
}

// webhookValid shows what is wrong with the webhook address, if anything.
func (s *settingsView) webhookValid() bool {
	u := strings.TrimSpace(s.webhook.Text)
	if u == "" {
		s.webhookMsg.Hide()
		return true
	}
	if err := alert.CheckWebhookURL(u); err != nil {
		s.webhookMsg.SetText("This is not a web address: it should start with https://")
		s.webhookMsg.Show()
		return false
	}
	s.webhookMsg.Hide()
	return true
}

// alertsValid checks the webhook and e-mail inputs, showing what is wrong
// under each.
func (s *settingsView) alertsValid() bool {
	ok := s.webhookValid()
	return s.mail.valid() && ok
}

// sendTest sends a test alert to every channel the settings on screen turn
// on, so a person sees what real alerts look like before saving, and says
// how each went, one line each.
func (s *settingsView) sendTest() {
	if !s.alertsValid() {
		return
	}
	v := s.values()
	typed := s.mail.password.Text
	test := alert.Test(time.Now(), v.Organisation)
	var lines []string
	if v.Notify {
		s.u.app.SendNotification(fyne.NewNotification(test.Subject(), test.Message))
		lines = append(lines, "Notification: a test notification was shown.")
	}
	if v.WebhookURL == "" && !v.Email.On() {
		if !v.Notify {
			lines = append(lines, "Turn on notifications, or fill in a webhook address or a mail server, first.")
		}
		s.alertResult.SetText(strings.Join(lines, "\n"))
		return
	}
	s.test.Disable()
	s.alertResult.SetText(strings.Join(append(lines, "Sending…"), "\n"))
	s.u.background(func() func() {
		ctx, cancel := context.WithTimeout(s.u.ctx, 30*time.Second)
		defer cancel()
		if v.WebhookURL != "" {
			err := alert.Webhook{URL: v.WebhookURL, Organisation: v.Organisation, Retry: alert.DefaultRetry}.Send(ctx, []alert.Alert{test})
			if err != nil {
				lines = append(lines, "Webhook: the test did not arrive: "+err.Error()+". Check the address with whoever gave it to you.")
			} else {
				lines = append(lines, "Webhook: the test was sent. Check that it arrived.")
			}
		}
		if v.Email.On() {
			if err := s.u.sendTestMail(ctx, v, typed, test); err != nil {
				lines = append(lines, "E-mail: "+explainMail(err))
			} else {
				lines = append(lines, "E-mail: sent to "+strings.Join(v.Email.To, ", ")+". Check that it arrived.")
			}
		}
		return func() {
			s.test.Enable()
			s.alertResult.SetText(strings.Join(lines, "\n"))
		}
	})
}
