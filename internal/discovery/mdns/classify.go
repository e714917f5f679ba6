package mdns

import (
	"strconv"

	"sitekeeper/internal/inventory"
)

// serviceClass is the class a service type alone gives away. Types that
// every kind of device offers (_http, _https, _ssh) are not here.
var serviceClass = map[string]inventory.Class{
	"_axis-video._tcp":     inventory.ClassCamera,
	"_onvif._tcp":          inventory.ClassCamera,
	"_rtsp._tcp":           inventory.ClassCamera,
	"_ipp._tcp":            inventory.ClassPrinter,
	"_ipps._tcp":           inventory.ClassPrinter,
	"_printer._tcp":        inventory.ClassPrinter,
	"_pdl-datastream._tcp": inventory.ClassPrinter,
	"_uscan._tcp":          inventory.ClassPrinter,
	"_uscans._tcp":         inventory.ClassPrinter,
	"_scanner._tcp":        inventory.ClassPrinter,
	"_opcua-tcp._tcp":      inventory.ClassIO,
	"_workstation._tcp":    inventory.ClassComputer,
	"_smb._tcp":            inventory.ClassComputer,
	"_afpovertcp._tcp":     inventory.ClassComputer,
	"_adisk._tcp":          inventory.ClassComputer,
	"_device-info._tcp":    inventory.ClassComputer,
	"_rfb._tcp":            inventory.ClassComputer,
}

// hapCategory maps HomeKit accessory categories (TXT "ci", HAP spec table
// 12-3) to classes.
var hapCategory = map[int]inventory.Class{
	2:  inventory.ClassNetwork,       // bridge
	4:  inventory.ClassAccessControl, // garage door opener
	6:  inventory.ClassAccessControl, // door lock
	10: inventory.ClassIO,            // sensor
	11: inventory.ClassIO,            // security system
	12: inventory.ClassAccessControl, // door
	16: inventory.ClassNetwork,       // range extender
	17: inventory.ClassCamera,        // IP camera
	18: inventory.ClassIntercom,      // video doorbell
}

// Classify names the SiteKeeper class of the device behind r; ClassOther
// when nothing is known. The rules, first match wins: a HomeKit
// accessory's category (the accessory's own word: an "Eve Door" with
// category 10 is a contact sensor, not a door controller); words in the
// model that name a recorder, intercom or access control (an NVR also serves
// RTSP, a door station also streams); the
// service type (camera, printer, I/O, computer types); any other word in
// the model or the instance name (inventory.GuessClass). The instance name
// comes last because people choose it: "Front door" is often a camera.
func Classify(r Result) inventory.Class {
	if r.Service == "_hap._tcp" {
		if ci, err := strconv.Atoi(r.TXT["ci"]); err == nil {
			if c, ok := hapCategory[ci]; ok {
				return c
			}
		}
	}
	switch guess := inventory.GuessClass(r.Model); guess {
	case inventory.ClassRecorder, inventory.ClassIntercom, inventory.ClassAccessControl:
		return guess
	}
	if c, ok := serviceClass[r.Service]; ok {
		return c
	}
	if guess := inventory.GuessClass(r.Model, r.Instance); guess != "" {
		return guess
	}
	return inventory.ClassOther
}
