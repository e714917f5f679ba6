package onvif

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// DateTime is the answer to GetSystemDateAndTime.
type DateTime struct {
	// Type is how the device sets its clock: "NTP" or "Manual".
	Type            string
	DaylightSavings bool
	// TZ is the device's POSIX TZ string as sent; vendors disagree on its
	// form (CST7:00:00, UTC5:0, MST7MDT,M3.2.0,M11.1.0), so it is not parsed.
	TZ string
	// UTC is the device's clock. Zero if the device did not send UTCDateTime
	// (the schema makes it optional).
	UTC time.Time
	// Local is the device's local wall time, with a UTC location because the
	// device gives no offset. Zero if absent (Bosch and Pelco omit it).
	Local time.Time
	// Offset is device UTC minus local UTC at the moment the answer arrived,
	// set by Client.GetSystemDateAndTime; the parsers leave it zero.
	Offset time.Duration
}

// parseSystemDateAndTime parses a GetSystemDateAndTimeResponse envelope.
func parseSystemDateAndTime(body []byte, headerCharset string) (DateTime, error) {
	r, err := parseResponse(body, headerCharset, "GetSystemDateAndTimeResponse")
	if err != nil {
		return DateTime{}, err
	}
	s := r.child(nsDevice, "SystemDateAndTime")
	if s == nil {
		return DateTime{}, errors.New("no SystemDateAndTime in response")
	}
	dt := DateTime{
		Type:            s.child(nsSchema, "DateTimeType").value(),
		DaylightSavings: s.child(nsSchema, "DaylightSavings").value() == "true",
		TZ:              s.path(nsSchema, "TimeZone", "TZ").value(),
	}
	if n := s.child(nsSchema, "UTCDateTime"); n != nil {
		if dt.UTC, err = parseDateTime(n); err != nil {
			return DateTime{}, fmt.Errorf("utc date time: %w", err)
		}
	}
	if n := s.child(nsSchema, "LocalDateTime"); n != nil {
		if dt.Local, err = parseDateTime(n); err != nil {
			return DateTime{}, fmt.Errorf("local date time: %w", err)
		}
	}
	return dt, nil
}

// parseDateTime reads a tt:DateTime (Date/Year,Month,Day and
// Time/Hour,Minute,Second) and rejects out-of-range fields instead of letting
// time.Date normalise them into a plausible but wrong instant.
func parseDateTime(n *node) (time.Time, error) {
	fields := []struct {
		parent, name string
		lo, hi       int
	}{
		{"Date", "Year", 1970, 9999},
		{"Date", "Month", 1, 12},
		{"Date", "Day", 1, 31},
		{"Time", "Hour", 0, 23},
		{"Time", "Minute", 0, 59},
		{"Time", "Second", 0, 60}, // 60: a leap second, normalised by time.Date
	}
	var v [6]int
	for i, f := range fields {
		s := n.path(nsSchema, f.parent, f.name).value()
		x, err := strconv.Atoi(s)
		if err != nil || x < f.lo || x > f.hi {
			return time.Time{}, fmt.Errorf("bad %s %q", f.name, s)
		}
		v[i] = x
	}
	t := time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], 0, time.UTC)
	if t.Day() != v[2] && v[5] != 60 {
		return time.Time{}, fmt.Errorf("bad date %d-%02d-%02d", v[0], v[1], v[2])
	}
	return t, nil
}
