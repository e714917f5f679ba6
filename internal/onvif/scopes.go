package onvif

import (
	"net/url"
	"strings"

	"sitekeeper/internal/inventory"
)

// Scopes is a device's list of scope URIs, from GetScopes or from the
// space-separated <Scopes> of a WS-Discovery ProbeMatch (strings.Fields).
type Scopes []string

const scopePrefix = "onvif://www.onvif.org/"

// Values returns the percent-decoded values of the ONVIF scopes in category
// (matched case-insensitively: "name", "hardware", "location", "type",
// "Profile", "MAC"). A value may itself hold slashes ("city/hangzhou").
// Empty values (Axis sends "location/") are skipped; scopes of other schemes
// (Pelco's urn:schemas-pelco-com:onvif:extensions:1) are ignored.
func (s Scopes) Values(category string) []string {
	var out []string
	for _, raw := range s {
		raw = strings.TrimSpace(raw)
		if len(raw) < len(scopePrefix) || !strings.EqualFold(raw[:len(scopePrefix)], scopePrefix) {
			continue
		}
		cat, val, ok := strings.Cut(raw[len(scopePrefix):], "/")
		if !ok || !strings.EqualFold(cat, category) || val == "" {
			continue
		}
		if dec, err := url.PathUnescape(val); err == nil {
			val = dec
		}
		if val = strings.TrimSpace(val); val != "" {
			out = append(out, val)
		}
	}
	return out
}

// first returns the first value in category, or "".
func (s Scopes) first(category string) string {
	if v := s.Values(category); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Name is the device's name scope ("AXIS Q6045-E"), or "".
func (s Scopes) Name() string { return s.first("name") }

// Hardware is the hardware (model) scope ("DS-2CD2012-I"), or "".
func (s Scopes) Hardware() string { return s.first("hardware") }

// Location is the first non-empty location scope ("city/hangzhou"), or "".
func (s Scopes) Location() string { return s.first("location") }

// MAC is the normalised MAC scope that Hikvision-family devices send
// (onvif://www.onvif.org/MAC/68:6d:bc:5c:b1:5d), or "" if absent or invalid.
func (s Scopes) MAC() string {
	for _, v := range s.Values("MAC") {
		if mac, err := inventory.ParseMAC(v); err == nil && mac != "" {
			return mac
		}
	}
	return ""
}

// parseScopes parses a GetScopesResponse envelope into its ScopeItem URIs,
// in device order.
func parseScopes(body []byte, headerCharset string) (Scopes, error) {
	r, err := parseResponse(body, headerCharset, "GetScopesResponse")
	if err != nil {
		return nil, err
	}
	var out Scopes
	for _, sc := range r.all(nsDevice, "Scopes") {
		if v := sc.child(nsSchema, "ScopeItem").value(); v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}
