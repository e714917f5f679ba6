package app

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/inventory"
)

// networkTab shows what the network says about d, read-only, and where that
// differs from what a person entered. differs reports whether it does.
func networkTab(d *inventory.Device) (o fyne.CanvasObject, differs bool) {
	n := &d.Discovered
	var parts []fyne.CanvasObject
	if diffs := differences(d); len(diffs) > 0 {
		differs = true
		l := widget.NewLabel(strings.Join(diffs, "\n") +
			"\nSiteKeeper uses what you entered. Check the device, and correct whichever is wrong.")
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		parts = append(parts, l)
	}
	if n.FirstSeen.IsZero() && len(n.IPs) == 0 && n.MAC == "" {
		l := widget.NewLabel("Nothing has been learned about this device from the network yet. Everything on the other tabs was entered by a person.")
		l.Wrapping = fyne.TextWrapWord
		return container.NewVBox(append(parts, l)...), differs
	}
	val := func(s string) fyne.CanvasObject {
		if s == "" {
			s = "—"
		}
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapBreak
		l.Selectable = true // people copy addresses from here
		return l
	}
	class := ""
	if n.Class != "" {
		class = n.Class.Label()
	}
	grid := formGrid(
		"IP addresses", val(strings.Join(n.IPs, ", ")),
		"MAC address", val(n.MAC),
		"Network card maker", val(n.MACVendor),
		"Host names", val(strings.Join(n.Hostnames, ", ")),
		"Manufacturer", val(n.Manufacturer),
		"Model", val(n.Model),
		"Firmware", val(n.Firmware),
		"Serial number", val(n.Serial),
		"Hardware ID", val(n.HardwareID),
		"Type", val(class),
		"Found by", val(sourcesText(n.Sources)),
		"Network interface", val(n.Interface),
		"Service addresses", val(strings.Join(n.XAddrs, "\n")),
		"Services", val(strings.Join(n.Services, ", ")),
		"First seen", val(when(n.FirstSeen)),
		"Last seen", val(when(n.LastSeen)),
	)
	return container.NewVBox(append(parts, grid)...), differs
}

// differences lists, in words, each value a person entered that the
// network reports differently.
func differences(d *inventory.Device) []string {
	k, n := &d.Known, &d.Discovered
	var out []string
	add := func(what, entered, found string) {
		if entered != "" && found != "" && !strings.EqualFold(entered, found) {
			out = append(out, fmt.Sprintf("You entered the %s “%s”; the network reports “%s”.", what, entered, found))
		}
	}
	add("manufacturer", k.Manufacturer, n.Manufacturer)
	add("model", k.Model, n.Model)
	add("serial number", k.Serial, n.Serial)
	add("MAC address", k.MAC, n.MAC)
	if k.Class != "" && n.Class != "" && k.Class != n.Class {
		add("type", k.Class.Label(), n.Class.Label())
	}
	return out
}

// historyTab lists a device's events, newest first.
func historyTab(events []inventory.Event) fyne.CanvasObject {
	if len(events) == 0 {
		return widget.NewLabel("Nothing has happened to this device yet.")
	}
	evs := slices.Clone(events)
	slices.Reverse(evs)
	list := widget.NewList(
		func() int { return len(evs) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("2006-01-02 15:04")
			d := widget.NewLabel("")
			d.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, t, nil, d)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			c.Objects[1].(*widget.Label).SetText(when(evs[i].Time))
			c.Objects[0].(*widget.Label).SetText(eventText(evs[i]))
		})
	return list
}

// eventText is one event in words: "Firmware changed from 1.2 to 1.3".
func eventText(e inventory.Event) string {
	s := eventLabels[e.Kind]
	if s == "" {
		s = strings.ReplaceAll(string(e.Kind), "_", " ")
	}
	switch {
	case e.Old != "" && e.New != "":
		s += fmt.Sprintf(" from %s to %s", e.Old, e.New)
	case e.New != "":
		s += ": " + e.New
	}
	if e.Detail != "" {
		s += " — " + e.Detail
	}
	return s
}

var eventLabels = map[inventory.EventKind]string{
	inventory.EventFound:           "Found on the network",
	inventory.EventIPChanged:       "IP address changed",
	inventory.EventFirmwareChanged: "Firmware changed",
	inventory.EventConflict:        "The network reported something that does not match",
	inventory.EventOffline:         "Stopped answering",
	inventory.EventOnline:          "Answering again",
	inventory.EventDegraded:        "Needs attention",
	inventory.EventEdited:          "Edited",
	inventory.EventImported:        "Imported from a file",
	inventory.EventAdded:           "Added by hand",
	inventory.EventReplaced:        "Replaced",
	inventory.EventDecommissioned:  "Taken out of service",
}

// when is a time as people read it, in their own time zone.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func itoa(n int) string { return strconv.Itoa(n) }

func stateLabels() []string {
	out := make([]string, len(inventory.States))
	for i, s := range inventory.States {
		out[i] = s.Label()
	}
	return out
}

// fieldErrorOf returns the *inventory.FieldError for field inside err, which
// may be an errors.Join of several, or nil.
func fieldErrorOf(err error, field string) *inventory.FieldError {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if fe := fieldErrorOf(e, field); fe != nil {
				return fe
			}
		}
		return nil
	}
	var fe *inventory.FieldError
	if errors.As(err, &fe) && fe.Field == field {
		return fe
	}
	return nil
}

// sourceWords names the finders of inventory.Discovered.Sources for people.
var sourceWords = map[string]string{
	discovery.SourceWSD:       "WS-Discovery",
	discovery.SourceONVIF:     "ONVIF (the device itself)",
	discovery.SourceMDNS:      "mDNS / Bonjour",
	discovery.SourceNeighbors: "this computer's address table (MAC)",
}

// sourcesText is "WS-Discovery, ONVIF (the device itself)"; an unknown
// source is shown as stored.
func sourcesText(sources []string) string {
	words := make([]string, len(sources))
	for i, s := range sources {
		words[i] = cmp.Or(sourceWords[s], s)
	}
	return strings.Join(words, ", ")
}
