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
// alert, and a webhook for IT's systems, with a test. Both start off:
// nothing leaves this computer unless a person fills this in.
func (s *settingsView) alertSection() fyne.CanvasObject {
	s.notify = widget.NewCheck("Show a desktop notification for each alert", func(bool) { s.changed() })
	s.webhook = widget.NewEntry()
	s.webhook.SetPlaceHolder("https://… (leave empty to send nothing)")
	s.webhook.OnChanged = func(string) { s.changed() }
	s.webhookMsg = widget.NewLabel("")
	s.webhookMsg.Importance = widget.DangerImportance
	s.webhookMsg.Hide()
	s.alertResult = widget.NewLabel("")
	s.saveAlerts = widget.NewButtonWithIcon("Save settings", theme.DocumentSaveIcon(), s.submit)
	s.saveAlerts.Disable()
	s.test = widget.NewButtonWithIcon("Send a test", theme.MailSendIcon(), s.sendTest)
	note := para("Alerts always appear in the Alerts view. A webhook posts each one as JSON to an address IT gives you (a chat channel, a ticket system). Nothing leaves this computer unless you fill it in.")
	return section("Alerts", container.NewVBox(
		s.notify,
		formGrid("Webhook address", container.NewVBox(s.webhook, s.webhookMsg)),
		note,
		container.NewHBox(s.saveAlerts, s.test, s.alertResult)))
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

// sendTest sends a test alert where the settings on screen say, so a
// person sees what real alerts look like before saving.
func (s *settingsView) sendTest() {
	v := s.values()
	if !s.webhookValid() {
		return
	}
	test := alert.Test(time.Now(), v.Organisation)
	if v.Notify {
		s.u.app.SendNotification(fyne.NewNotification(test.Subject(), test.Message))
	}
	if v.WebhookURL == "" {
		if v.Notify {
			s.alertResult.SetText("A test notification was shown.")
		} else {
			s.alertResult.SetText("Turn on notifications or fill in a webhook address first.")
		}
		return
	}
	s.test.Disable()
	s.alertResult.SetText("Sending…")
	s.u.background(func() func() {
		ctx, cancel := context.WithTimeout(s.u.ctx, 30*time.Second)
		defer cancel()
		err := alert.Webhook{URL: v.WebhookURL, Organisation: v.Organisation, Retry: alert.DefaultRetry}.Send(ctx, []alert.Alert{test})
		return func() {
			s.test.Enable()
			if err != nil {
				s.alertResult.SetText("The test did not arrive: " + err.Error() + ". Check the address with whoever gave it to you.")
				return
			}
			s.alertResult.SetText("The test was sent. Check that it arrived.")
		}
	})
}
