// Package alert tells people when something at a site needs them: a device
// went offline or came back, its clock drifted, its certificate is about to
// expire, its firmware lost support. FromChanges words the watcher's health
// changes for a facility manager as inventory.Alert values, which the
// inventory stores (the alerts list and its badge); FromStored names the
// device of a stored alert, and the senders carry it to IT's systems (a
// webhook) or to an owner's mailbox (SMTP). Nothing is sent unless a person turned that sender on:
// the zero Settings send nothing.
package alert

import (
	"fmt"
	"strings"
	"time"

	"sitekeeper/internal/inventory"
)

// The kinds of alert, as they appear in inventory.Alert.Kind and the
// webhook's JSON.
const (
	KindOffline             = "offline"
	KindOnline              = "online"
	KindDegraded            = "degraded"
	KindClockDrift          = "clock_drift"
	KindCertificateExpiring = "certificate_expiring"
	KindFirmwareUnsupported = "firmware_unsupported"
	KindDueSoon             = "due_soon"
	KindTest                = "test"
)

// Alert is one thing a person should know about one device, as the senders
// carry it: the stored alert (inventory.Alert, whose fields it promotes, so
// its JSON is the stored alert's fields with the device's names beside
// them) and how people call the device, taken when it is sent.
type Alert struct {
	inventory.Alert
	// Device, Site and Address say which device, as people call it.
	Device  string `json:"device,omitempty"`
	Site    string `json:"site,omitempty"`
	Address string `json:"address,omitempty"`
}

// FromStored is a stored alert ready to send, naming d; d is nil for an
// alert about no device, or about one deleted since (the alert then names
// nothing but what its message says).
func FromStored(a inventory.Alert, d *inventory.Device) Alert {
	out := Alert{Alert: a}
	if d != nil {
		out.Device, out.Site, out.Address = d.DisplayName(), d.Known.Site, d.IP()
	}
	return out
}

// Subject is a one-line summary, for an e-mail subject or a notification
// title: "Offline: Gate camera (Head office)".
func (a Alert) Subject() string {
	what := KindLabel(a.Kind)
	s := what + ": " + a.Device
	if a.Device == "" {
		s = what + " from SiteKeeper"
	}
	if a.Site != "" {
		s += " (" + a.Site + ")"
	}
	return strings.Join(strings.Fields(s), " ") // one line, whatever a name holds
}

// KindLabel names a kind of alert in a few words: "Clock wrong".
func KindLabel(kind string) string {
	what := map[string]string{
		KindOffline:             "Offline",
		KindOnline:              "Back online",
		KindDegraded:            "Needs attention",
		KindClockDrift:          "Clock wrong",
		KindCertificateExpiring: "Certificate expiring",
		KindFirmwareUnsupported: "Firmware no longer supported",
		KindDueSoon:             "Coming up",
		KindTest:                "Test",
	}[kind]
	if what == "" {
		return "Alert"
	}
	return what
}

// Test is the alert "send a test" sends, so a person can see what real
// ones look like where they arrive.
func Test(now time.Time, organisation string) Alert {
	who := "SiteKeeper"
	if organisation != "" {
		who = "SiteKeeper for " + organisation
	}
	return Alert{Alert: inventory.Alert{
		ID: fmt.Sprintf("test-%d", now.UnixNano()), Kind: KindTest, At: now,
		Message: who + " can reach you here. Real alerts look like this one: which device, at which site, what happened and what to do.",
	}}
}
