// Package alert tells people when something at a site needs them: a device
// went offline or came back, its clock drifted, its certificate is about to
// expire, its firmware lost support. An Alert is worded for a facility
// manager; the senders carry it to IT's systems (a webhook) or to an owner's
// mailbox (SMTP). Nothing is sent unless a person turned that sender on:
// the zero Settings send nothing.
package alert

import (
	"fmt"
	"strings"
	"time"
)

// Kind is what an alert is about.
type Kind string

// The kinds of alert, as they appear in the webhook's JSON.
const (
	KindOffline             Kind = "offline"
	KindOnline              Kind = "online"
	KindClockDrift          Kind = "clock_drift"
	KindCertificateExpiring Kind = "certificate_expiring"
	KindFirmwareUnsupported Kind = "firmware_unsupported"
	KindTest                Kind = "test"
)

// Alert is one thing a person should know about one device.
type Alert struct {
	// ID is unique per alert (the store gives it).
	ID   string    `json:"id"`
	Kind Kind      `json:"kind"`
	At   time.Time `json:"at"`
	// Device, Site and Address say which device, as people call it.
	DeviceID string `json:"device_id,omitempty"`
	Device   string `json:"device,omitempty"`
	Site     string `json:"site,omitempty"`
	Address  string `json:"address,omitempty"`
	// Message is the whole alert in one plain sentence or two, with what
	// to do next.
	Message string `json:"message"`
	// Acknowledged is when a person said they have seen it (zero: not yet).
	Acknowledged time.Time `json:"acknowledged,omitzero"`
}

// Subject is a one-line summary, for an e-mail subject or a notification
// title: "Offline: Gate camera (Head office)".
func (a Alert) Subject() string {
	what := map[Kind]string{
		KindOffline:             "Offline",
		KindOnline:              "Back online",
		KindClockDrift:          "Clock wrong",
		KindCertificateExpiring: "Certificate expiring",
		KindFirmwareUnsupported: "Firmware no longer supported",
		KindTest:                "Test",
	}[a.Kind]
	if what == "" {
		what = "Alert"
	}
	s := what + ": " + a.Device
	if a.Device == "" {
		s = what + " from SiteKeeper"
	}
	if a.Site != "" {
		s += " (" + a.Site + ")"
	}
	return strings.Join(strings.Fields(s), " ") // one line, whatever a name holds
}

// Test is the alert "send a test" sends, so a person can see what real
// ones look like where they arrive.
func Test(now time.Time, organisation string) Alert {
	who := "SiteKeeper"
	if organisation != "" {
		who = "SiteKeeper for " + organisation
	}
	return Alert{
		ID: fmt.Sprintf("test-%d", now.UnixNano()), Kind: KindTest, At: now,
		Message: who + " can reach you here. Real alerts look like this one: which device, at which site, what happened and what to do.",
	}
}
