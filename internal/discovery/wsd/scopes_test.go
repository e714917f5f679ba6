package wsd

import (
	"testing"

	"sitekeeper/internal/inventory"
)

func TestParseScopes(t *testing.T) {
	tests := []struct {
		name   string
		scopes []string
		want   ScopeInfo
	}{
		{"Axis GetScopes", []string{"onvif://www.onvif.org/type/video_encoder", "onvif://www.onvif.org/Profile/G",
			"onvif://www.onvif.org/location/", "onvif://www.onvif.org/hardware/Q6045-E", "onvif://www.onvif.org/name/AXIS%20Q6045-E"},
			ScopeInfo{Name: "AXIS Q6045-E", Hardware: "Q6045-E", Types: []string{"video_encoder"}, Profiles: []string{"G"}}},
		{"Hikvision MAC, upper case", []string{"onvif://www.onvif.org/MAC/68:6D:BC:5C:B1:5D", "onvif://www.onvif.org/name/HIKVISION%20DS-2CD2012-I",
			"onvif://www.onvif.org/location/city/hangzhou"},
			ScopeInfo{Name: "HIKVISION DS-2CD2012-I", MAC: "68:6d:bc:5c:b1:5d", Location: "city/hangzhou"}},
		{"bare and dashed MACs", []string{"onvif://www.onvif.org/mac/00047D0EB85C", "onvif://www.onvif.org/mac/00-04-7D-0E-B8-5D"},
			ScopeInfo{MAC: "00:04:7d:0e:b8:5c"}},
		{"invalid MAC ignored", []string{"onvif://www.onvif.org/MAC/not-a-mac"}, ScopeInfo{}},
		{"bad percent-encoding kept raw", []string{"onvif://www.onvif.org/name/100%"}, ScopeInfo{Name: "100%"}},
		{"first name wins, case-insensitive prefix", []string{"ONVIF://WWW.ONVIF.ORG/name/A", "onvif://www.onvif.org/name/B"}, ScopeInfo{Name: "A"}},
		{"non-ONVIF scopes ignored", []string{"urn:schemas-pelco-com:onvif:extensions:1", "http:123", "onvif://"}, ScopeInfo{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseScopes(tt.scopes)
			checkEqual(t, "Name", got.Name, tt.want.Name)
			checkEqual(t, "Hardware", got.Hardware, tt.want.Hardware)
			checkEqual(t, "Location", got.Location, tt.want.Location)
			checkEqual(t, "MAC", got.MAC, tt.want.MAC)
			checkSlice(t, "Types", got.Types, tt.want.Types)
			checkSlice(t, "Profiles", got.Profiles, tt.want.Profiles)
		})
	}
}

func TestClassify(t *testing.T) {
	const o = "onvif://www.onvif.org/"
	tests := []struct {
		name   string
		types  []QName
		scopes []string
		want   inventory.Class
	}{
		{"ONVIF camera", []QName{nvt, tdsDevice}, []string{o + "type/video_encoder"}, inventory.ClassCamera},
		{"camera by scope only", []QName{tdsDevice}, []string{o + "type/ptz"}, inventory.ClassCamera},
		{"camera by Profile S", []QName{tdsDevice}, []string{o + "Profile/S"}, inventory.ClassCamera},
		{"recorder by type", []QName{{NSONVIFNetwork, "NetworkVideoStorage"}, tdsDevice}, nil, inventory.ClassRecorder},
		{"recorder by scope", []QName{nvt}, []string{o + "type/Network_Video_Storage"}, inventory.ClassRecorder},
		{"door controller, Profile C", []QName{tdsDevice}, []string{o + "Profile/C"}, inventory.ClassAccessControl},
		{"access peripheral, Profile D", []QName{tdsDevice}, []string{o + "Profile/D"}, inventory.ClassAccessControl},
		{"door station with video", []QName{nvt, tdsDevice}, []string{o + "Profile/C", o + "Profile/S"}, inventory.ClassIntercom},
		{"Profile G alone is not a recorder", []QName{nvt}, []string{o + "Profile/G"}, inventory.ClassCamera},
		{"wsdd host", []QName{wsdpDev, pubComp}, nil, inventory.ClassComputer},
		{"WSD printer", []QName{wsdpDev, {NSPrint, "PrintDeviceType"}}, nil, inventory.ClassPrinter},
		{"WSD scanner", []QName{wsdpDev, {NSScan, "ScanDeviceType"}}, nil, inventory.ClassPrinter},
		{"bare ONVIF device", []QName{tdsDevice}, nil, inventory.ClassOther},
		{"nothing", nil, nil, inventory.ClassOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.types, tt.scopes); got != tt.want {
				t.Errorf("Classify(%v, %q) = %q; want %q", tt.types, tt.scopes, got, tt.want)
			}
		})
	}
}
