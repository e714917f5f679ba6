package wsd

import (
	"strings"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/onvif"
)

// ScopeInfo is what a device's ONVIF scopes say about it.
type ScopeInfo struct {
	// Name is the first non-empty name scope, percent-decoded
	// ("AXIS Q6045-E").
	Name string
	// Hardware is the model, percent-decoded ("DS-2CD2012-I").
	Hardware string
	// Location is the first non-empty location scope after "location/",
	// percent-decoded ("ShenZhen", "city/hangzhou").
	Location string
	// MAC is a MAC scope (Hikvision) as lowercase colon-separated hex, or
	// "" when absent or not a MAC.
	MAC string
	// Types are the type scopes ("video_encoder", "ptz", ...).
	Types []string
	// Profiles are the Profile scopes ("Streaming", "G", "C", ...).
	Profiles []string
}

// ParseScopes reads the ONVIF scopes among scopes; others are ignored. The
// reading itself is onvif.Scopes': a ProbeMatch carries the same scopes as
// GetScopes, and one parser serves both.
func ParseScopes(scopes []string) ScopeInfo {
	s := onvif.Scopes(scopes)
	return ScopeInfo{
		Name: s.Name(), Hardware: s.Hardware(), Location: s.Location(), MAC: s.MAC(),
		Types: s.Values("type"), Profiles: s.Values("Profile"),
	}
}

// Classify names the SiteKeeper class of a device from its WS-Discovery
// Types and scopes; ClassOther when nothing is known. The rules, first
// match wins: a WSD print or scan type is a printer; an ONVIF storage type
// or scope is a recorder; access-control evidence (Profile A, C or D, or a
// door/access type scope) is access control, or an intercom when the
// device also sends video; video evidence (NetworkVideoTransmitter, a
// video_encoder/ptz type scope, Profile S/T/Streaming) is a camera; a
// pub:Computer is a computer.
func Classify(types []QName, scopes []string) inventory.Class {
	si := ParseScopes(scopes)
	has := func(space, local string) bool {
		for _, t := range types {
			if t.Space == space && strings.EqualFold(t.Local, local) {
				return true
			}
		}
		return false
	}
	anyScope := func(list []string, words ...string) bool {
		for _, v := range list {
			v = strings.ToLower(v)
			for _, w := range words {
				if strings.Contains(v, w) {
					return true
				}
			}
		}
		return false
	}
	for _, t := range types {
		if t.Space == NSPrint || t.Space == NSScan {
			return inventory.ClassPrinter
		}
	}
	video := has(NSONVIFNetwork, "NetworkVideoTransmitter") ||
		anyScope(si.Types, "video_encoder", "ptz", "transmitter") ||
		exactScope(si.Profiles, "S", "T", "Streaming")
	access := exactScope(si.Profiles, "A", "C", "D") || anyScope(si.Types, "access", "door")
	switch {
	case has(NSONVIFNetwork, "NetworkVideoStorage") || anyScope(si.Types, "storage", "recorder", "nvr", "dvr"):
		return inventory.ClassRecorder
	case access && video:
		return inventory.ClassIntercom
	case access:
		return inventory.ClassAccessControl
	case video:
		return inventory.ClassCamera
	case has(NSPub, "Computer"):
		return inventory.ClassComputer
	}
	return inventory.ClassOther
}

func exactScope(list []string, words ...string) bool {
	for _, v := range list {
		for _, w := range words {
			if strings.EqualFold(v, w) {
				return true
			}
		}
	}
	return false
}

// Class classifies the match from its Types and Scopes.
func (m *Match) Class() inventory.Class { return Classify(m.Types, m.Scopes) }

// ScopeInfo reads the match's ONVIF scopes.
func (m *Match) ScopeInfo() ScopeInfo { return ParseScopes(m.Scopes) }
