package inventory

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, in, want, errHas string
	}{
		{"iso", "2027-03-31", "2027-03-31", ""},
		{"iso with slashes", "2027/3/1", "2027-03-01", ""},
		{"empty", "  ", "", ""},
		{"day first, unambiguous", "31/03/2027", "2027-03-31", ""},
		{"month first, unambiguous", "03/31/2027", "2027-03-31", ""},
		{"dotted european", "31.03.2027", "2027-03-31", ""},
		{"same either way", "05/05/2027", "2027-05-05", ""},
		{"ambiguous", "04/05/2027", "", "could be 2027-05-04 or 2027-04-05"},
		{"no such day", "2027-02-30", "", "not a date"},
		{"31 April", "31/04/2027", "", "not a date"},
		{"two-digit year", "31/03/27", "", "four-digit year"},
		{"words", "next spring", "", "not a date"},
		{"time attached", "2027-03-31T10:00", "", "not a date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDate(tc.in)
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("ParseDate(%q) = %v, %v; want an error saying %q", tc.in, got, err, tc.errHas)
				}
				var fe *FieldError
				if !errors.As(err, &fe) {
					t.Errorf("ParseDate(%q) error is %T; want *FieldError", tc.in, err)
				}
				return
			}
			if err != nil || got.String() != tc.want {
				t.Errorf("ParseDate(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseMAC(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"colons upper", "00:1A:2B:3C:4D:5E", "00:1a:2b:3c:4d:5e"},
		{"dashes (Windows)", "00-1a-2b-3c-4d-5e", "00:1a:2b:3c:4d:5e"},
		{"cisco dots", "001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e"},
		{"bare (Pelco HwAddress)", "00047D0EB85C", "00:04:7d:0e:b8:5c"},
		{"spaces around", " 68:6d:bc:00:00:01 ", "68:6d:bc:00:00:01"},
		{"newline after (from XML)", "3c:8c:f8:a1:32:dc\n", "3c:8c:f8:a1:32:dc"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := ParseMAC(tc.in); err != nil || got != tc.want {
				t.Errorf("ParseMAC(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"00:1a:2b:3c:4d", "00:1a:2b:3c:4d:5e:6f", "zz:1a:2b:3c:4d:5e", "not a mac", "00047D0EB85Z", "00:11:22:33:44:55:66:77"} {
		if got, err := ParseMAC(bad); err == nil {
			t.Errorf("ParseMAC(%q) = %q; want an error", bad, got)
		}
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name, in string
		want     int64
	}{
		{"whole", "1250", 125000},
		{"decimal point", "1250.5", 125050},
		{"grouped english", "1,250.00", 125000},
		{"grouped european", "1.250,00", 125000},
		{"comma decimal", "12,5", 1250},
		{"thousands comma only", "1,250", 125000},
		{"euro sign and spaces", "€ 1 250", 125000},
		{"dollar", "$1,250.99", 125099},
		{"code suffix", "980 EUR", 98000},
		{"swiss apostrophe", "1'250.00", 125000},
		{"zero", "0", 0},
		{"empty", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := ParseMoney(tc.in); err != nil || got.Cents() != tc.want {
				t.Errorf("ParseMoney(%q) = %d, %v; want %d", tc.in, got.Cents(), err, tc.want)
			}
		})
	}
	for _, bad := range []string{"-5", "12-5", "about 300", "1.2.3,4,5x?", "#", "12abc34", "EUR", "1.2.3", "12,34,56", "100000000000000000"} {
		if got, err := ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) = %v; want an error", bad, got)
		}
	}
	if s := MoneyFromCents(125050).String(); s != "1250.50" {
		t.Errorf("String() = %q; want 1250.50", s)
	}
}

func TestCheckCurrency(t *testing.T) {
	tests := []struct {
		amount, currency string
		ok               bool
	}{
		{"1250", "EUR", true},
		{"€ 1250", "EUR", true},
		{"1250 eur", "EUR", true},
		{"100 USD", "EUR", false},
		{"$100", "EUR", false},
		{"$100", "CAD", true},
		{"US$100", "USD", true},
		{"£80", "USD", false},
		{"¥9000", "JPY", true},
	}
	for _, tc := range tests {
		if err := CheckCurrency(tc.amount, tc.currency); (err == nil) != tc.ok {
			t.Errorf("CheckCurrency(%q, %q) = %v; want ok %v", tc.amount, tc.currency, err, tc.ok)
		}
		if _, err := ParseMoney(tc.amount); err != nil {
			t.Errorf("ParseMoney(%q) = %v; want an amount", tc.amount, err)
		}
	}
	var m Money
	if err := m.UnmarshalJSON([]byte("100000000000000000.00")); err == nil {
		t.Errorf("UnmarshalJSON(1e17) = %v; want an error, not an overflow", m)
	}
	if err := m.UnmarshalJSON([]byte("-0.50")); err == nil {
		t.Errorf("UnmarshalJSON(-0.50) = %v; want an error (costs are never negative)", m)
	}
}

func TestParseBudget(t *testing.T) {
	tests := []struct {
		in     string
		want   BudgetSplit
		errHas string
	}{
		{"OT", BudgetSplit{OT: 100}, ""},
		{"it", BudgetSplit{IT: 100}, ""},
		{"OT:60,IT:40", BudgetSplit{OT: 60, IT: 40}, ""},
		{"IT:40 ; OT:60", BudgetSplit{OT: 60, IT: 40}, ""},
		{"OT 60% / IT 40%", BudgetSplit{OT: 60, IT: 40}, ""},
		{"", BudgetSplit{}, ""},
		{"OT:70,IT:40", BudgetSplit{}, "adds up to 110%"},
		{"OT:60,OT:40", BudgetSplit{}, "not a budget owner"},
		{"Facilities", BudgetSplit{}, "not a budget owner"},
	}
	for _, tc := range tests {
		got, err := ParseBudget(tc.in)
		if tc.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("ParseBudget(%q) = %v, %v; want an error saying %q", tc.in, got, err, tc.errHas)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseBudget(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if back, _ := ParseBudget(got.String()); back != got {
			t.Errorf("ParseBudget(%q.String()) = %v; want it to round-trip", got, back)
		}
	}
}

func TestParseClassAndStrategy(t *testing.T) {
	for in, want := range map[string]Class{"Camera": ClassCamera, "Access control": ClassAccessControl, "access-control": ClassAccessControl, "NVR": ClassRecorder, "I/O module": ClassIO, "": ""} {
		if got, err := ParseClass(in); err != nil || got != want {
			t.Errorf("ParseClass(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseClass("toaster"); err == nil {
		t.Error("ParseClass(toaster) succeeded")
	}
	for in, want := range map[string]Strategy{"Warranty": StrategyWarranty, "run to failure": StrategyFailure, "": "", "inherit": ""} {
		if got, err := ParseStrategy(in); err != nil || got != want {
			t.Errorf("ParseStrategy(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestOwnerRoundTrip(t *testing.T) {
	for _, in := range []string{"Facilities <fm@example.org>", "IT", "<noc@example.org>", ""} {
		if got := ParseOwner(in).String(); got != in {
			t.Errorf("ParseOwner(%q).String() = %q; want it back", in, got)
		}
	}
}

func TestCanonicalManufacturer(t *testing.T) {
	for in, want := range map[string]string{"AXIS": "axis", "Axis Communications AB": "axis", "HIKVISION": "hikvision", "Bosch Security Systems": "bosch", "  ": ""} {
		if got := CanonicalManufacturer(in); got != want {
			t.Errorf("CanonicalManufacturer(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestGuessClass(t *testing.T) {
	tests := []struct {
		texts []string
		want  Class
	}{
		{[]string{"Car park camera", "M3106-L Mk II"}, ClassCamera},
		{[]string{"Recorder 1", "DS-7608NI"}, ClassRecorder},
		{[]string{"Lobby NVR"}, ClassRecorder},
		{[]string{"Door controller lobby"}, ClassAccessControl},
		{[]string{"Intercom gate", "IP Verso"}, ClassIntercom},
		{[]string{"I/O module alarms"}, ClassIO},
		{[]string{"Label printer dispatch", "ZT230"}, ClassPrinter},
		{[]string{"PTZ mast"}, ClassCamera},
		{[]string{"Camden office"}, ""},
		{[]string{"Thing 7"}, ""},
	}
	for _, tc := range tests {
		if got := GuessClass(tc.texts...); got != tc.want {
			t.Errorf("GuessClass(%q) = %q; want %q", tc.texts, got, tc.want)
		}
	}
}

func TestDisplayName(t *testing.T) {
	tests := []struct {
		d    Device
		want string
	}{
		{Device{Known: Known{Name: "Gate"}}, "Gate"},
		{Device{Discovered: Discovered{Manufacturer: "AXIS", Model: "AXIS Q6045-E", IPs: []string{"198.18.1.10"}}}, "AXIS Q6045-E at 198.18.1.10"},
		{Device{Discovered: Discovered{Manufacturer: "HIKVISION", Model: "DS-2CD2012-I", MAC: "68:6d:bc:00:00:01"}}, "HIKVISION DS-2CD2012-I at 68:6d:bc:00:00:01"},
		{Device{ID: "abc"}, "Unnamed device abc"},
	}
	for _, tc := range tests {
		if got := tc.d.DisplayName(); got != tc.want {
			t.Errorf("DisplayName() = %q; want %q", got, tc.want)
		}
	}
}
