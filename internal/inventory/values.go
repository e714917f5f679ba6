package inventory

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// FieldError says which value of a device is wrong and why, in words a person
// can act on. The device form and the importers show Reason next to Field.
type FieldError struct {
	Field  string
	Value  string
	Reason string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s %q %s", e.Field, e.Value, e.Reason)
}

// Date is a calendar day with no time of day or zone: the shape of warranty
// ends and install dates. The zero Date is "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Time is midnight UTC at the start of the day.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// AddYears returns the date n years later (29 February becomes 1 March).
func (d Date) AddYears(n int) Date { return DateOf(d.Time().AddDate(n, 0, 0)) }

// String is the ISO form, 2027-03-31, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText writes the ISO form.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads the ISO form only: stored and exported dates are always ISO.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	// Hand-parsed: a 10,000-device list decodes 40,000 of these.
	bad := &FieldError{Field: "date", Value: string(b), Reason: "is not a date like 2027-03-31"}
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return bad
	}
	num := func(p []byte) int {
		n := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	v, ok := validDate(num(b[0:4]), num(b[5:7]), num(b[8:10]))
	if !ok {
		return bad
	}
	*d = v
	return nil
}

// ParseDate reads a date as people type it: ISO 2027-03-31 (also with slashes
// or dots), or day/month/year and month/day/year when only one reading is a
// real date (31/03/2027 and 03/31/2027 both work; 04/05/2027 is refused
// because it could be April or May). Empty input gives the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	bad := &FieldError{Field: "date", Value: s, Reason: "is not a date; write it like 2027-03-31"}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) != 3 {
		return Date{}, bad
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Date{}, bad
		}
		n[i] = v
	}
	if len(parts[0]) == 4 { // year first: Y-M-D
		if d, ok := validDate(n[0], n[1], n[2]); ok {
			return d, nil
		}
		return Date{}, bad
	}
	if len(parts[2]) != 4 {
		return Date{}, &FieldError{Field: "date", Value: s, Reason: "needs a four-digit year; write it like 2027-03-31"}
	}
	dmy, okDMY := validDate(n[2], n[1], n[0])
	mdy, okMDY := validDate(n[2], n[0], n[1])
	switch {
	case okDMY && okMDY && dmy != mdy:
		return Date{}, &FieldError{Field: "date", Value: s, Reason: fmt.Sprintf("could be %s or %s; write it like 2027-03-31", dmy, mdy)}
	case okDMY:
		return dmy, nil
	case okMDY:
		return mdy, nil
	}
	return Date{}, bad
}

func validDate(y, m, d int) (Date, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 April rolls over into May
		return Date{}, false
	}
	return Date{y, time.Month(m), d}, true
}

// ParseMAC reads a MAC address in any common form — 00:1A:2B:3C:4D:5E,
// 00-1a-2b-3c-4d-5e, 001a.2b3c.4d5e, 001A2B3C4D5E — and returns it
// normalised to lower case with colons. Empty input gives "".
func ParseMAC(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	hex := strings.Map(func(r rune) rune {
		switch r {
		case ':', '-', '.', ' ':
			return -1
		}
		return r
	}, s)
	bad := &FieldError{Field: "mac", Value: s, Reason: "is not a MAC address; write it like 00:1a:2b:3c:4d:5e"}
	if len(hex) != 12 {
		return "", bad
	}
	hw, err := net.ParseMAC(hex[0:2] + ":" + hex[2:4] + ":" + hex[4:6] + ":" + hex[6:8] + ":" + hex[8:10] + ":" + hex[10:12])
	if err != nil {
		return "", bad
	}
	return hw.String(), nil
}

// maxWhole is the largest amount accepted, in whole units: ten trillion,
// far above any device and far below where int64 hundredths overflow.
const maxWhole = 1e13

// Money is an amount in the inventory's currency, in hundredths (cents), so
// that sums are exact. The zero Money means "no cost entered", which is never
// the same as free: see Known.ReplacementCost.
type Money int64

// MoneyFromCents returns the amount of c hundredths.
func MoneyFromCents(c int64) Money { return Money(c) }

// Cents is the amount in hundredths.
func (m Money) Cents() int64 { return int64(m) }

// String renders 1234.5 as "1234.50": no currency, no grouping, the form
// ParseMoney reads back.
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// MarshalJSON writes the amount as a JSON number: 1234.5 -> 1234.50.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number or string; null, as for any JSON
// value, leaves m as it is.
func (m *Money) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if whole, frac, ok := strings.Cut(string(b), "."); ok && len(frac) == 2 { // what MarshalJSON writes
		w, err1 := strconv.ParseInt(whole, 10, 64)
		f, err2 := strconv.ParseUint(frac, 10, 8)
		if err1 == nil && err2 == nil && w >= 0 && w <= maxWhole && !strings.HasPrefix(whole, "-") {
			*m = Money(w*100 + int64(f))
			return nil
		}
	}
	v, err := ParseMoney(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseMoney reads an amount as people type it: "1250", "1250.5", "1,250.00",
// "1.250,00", "€ 1 250", "$1,250", "980 EUR". It does not check the
// currency against the inventory's: CheckCurrency does. A comma or dot followed by one or two
// digits at the end is the decimal mark; followed by three it groups
// thousands. Empty input gives 0. Negative amounts are refused.
func ParseMoney(s string) (Money, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	bad := &FieldError{Field: "cost", Value: orig, Reason: "is not an amount of money; write it like 1250.00"}
	// Drop currency symbols, codes and spaces (also the narrow no-break
	// spaces some spreadsheets use for grouping).
	_, s = splitCurrency(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',', r == '-':
			b.WriteRune(r)
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'':
		default:
			return 0, bad
		}
	}
	s = b.String()
	if strings.HasPrefix(s, "-") {
		return 0, &FieldError{Field: "cost", Value: orig, Reason: "is negative; a cost must be zero or more"}
	}
	if s == "" || strings.Contains(s, "-") {
		return 0, bad
	}
	intPart, frac := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		tail := s[i+1:]
		if len(tail) == 1 || len(tail) == 2 || (len(tail) == 0) {
			intPart, frac = s[:i], tail
		}
	}
	// What is left of the decimal mark may group thousands, but only in
	// threes: "1.2.3" and "12,34,56" are typing mistakes, not amounts.
	if groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == ',' || r == '.' }); len(groups) > 1 {
		for i, g := range groups {
			if (i > 0 && len(g) != 3) || (i == 0 && (len(g) == 0 || len(g) > 3)) {
				return 0, bad
			}
		}
	}
	intPart = strings.NewReplacer(",", "", ".", "").Replace(intPart)
	if intPart == "" {
		intPart = "0"
	}
	whole, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || whole > maxWhole {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	cents, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, bad
	}
	return Money(whole*100 + cents), nil
}

// ParseCurrency checks an ISO 4217 style code ("eur" -> "EUR").
func ParseCurrency(s string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(s))
	if len(c) != 3 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return "", &FieldError{Field: "currency", Value: s, Reason: "is not a currency code; write three letters like EUR or USD"}
	}
	return c, nil
}

// MoneyCurrency returns the currency an amount as typed names, as an ISO
// code: "EUR" for "€ 1250" or "1250 eur", "USD" for "US$5", "$" for a bare
// dollar sign (many currencies use it), or "" when it names none. Only a
// code at the start or the end counts, so "12abc34" names nothing (and is
// not an amount).
func MoneyCurrency(s string) string {
	code, _ := splitCurrency(s)
	return code
}

var currencySymbols = []struct{ sym, code string }{
	{"US$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"₹", "INR"}, {"$", "$"}, {"¥", "¥"},
}

// splitCurrency separates a currency symbol or code at either end of s
// from the amount.
func splitCurrency(s string) (code, amount string) {
	u := strings.ToUpper(strings.TrimSpace(s))
	for _, c := range currencySymbols {
		if rest, ok := strings.CutPrefix(u, c.sym); ok {
			return c.code, strings.TrimSpace(rest)
		}
		if rest, ok := strings.CutSuffix(u, c.sym); ok {
			return c.code, strings.TrimSpace(rest)
		}
	}
	isCode := func(c string) bool {
		return len(c) == 3 && strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
	}
	if len(u) >= 3 && isCode(u[:3]) {
		return u[:3], strings.TrimSpace(u[3:])
	}
	if len(u) >= 3 && isCode(u[len(u)-3:]) {
		return u[len(u)-3:], strings.TrimSpace(u[:len(u)-3])
	}
	return "", u
}

// CheckCurrency reports, as a FieldError, an amount typed in another
// currency than the inventory's ("100 USD" in a EUR inventory): money is
// never converted silently. A bare "$" fits any dollar currency and "¥"
// fits JPY and CNY.
func CheckCurrency(amount, currency string) error {
	got, want := MoneyCurrency(amount), strings.ToUpper(currency)
	switch {
	case got == "" || want == "" || got == want,
		got == "$" && (strings.HasSuffix(want, "D") || want == "MXN"),
		got == "¥" && (want == "JPY" || want == "CNY"):
		return nil
	}
	return &FieldError{Field: "cost", Value: amount, Reason: "is in another currency than this inventory's " + want + "; convert it to " + want + ", or change the inventory's currency in Settings"}
}

// BudgetSplit says who pays for a device: OT, IT, or a split in percent.
// The zero BudgetSplit is "not decided".
type BudgetSplit struct {
	OT int `json:"ot"`
	IT int `json:"it"`
}

// IsZero reports whether no budget owner is set.
func (b BudgetSplit) IsZero() bool { return b.OT == 0 && b.IT == 0 }

// String renders "OT", "IT" or "OT:60,IT:40", the forms ParseBudget reads.
func (b BudgetSplit) String() string {
	switch {
	case b.IsZero():
		return ""
	case b.OT == 100:
		return "OT"
	case b.IT == 100:
		return "IT"
	}
	return fmt.Sprintf("OT:%d,IT:%d", b.OT, b.IT)
}

// MarshalText writes the String form.
func (b BudgetSplit) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText reads what ParseBudget reads.
func (b *BudgetSplit) UnmarshalText(t []byte) error {
	v, err := ParseBudget(string(t))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

var budgetSeparators = strings.NewReplacer(":", " ", "=", " ", "%", " ")

// ParseBudget reads "OT", "IT", "OT:60,IT:40" (also "IT:40 OT:60", "OT 60% /
// IT 40%"). The shares must add up to 100. Empty input gives the zero split.
func ParseBudget(s string) (BudgetSplit, error) {
	orig := s
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return BudgetSplit{}, nil
	}
	bad := &FieldError{Field: "budget_owner", Value: orig, Reason: "is not a budget owner; write OT, IT, or a split like OT:60,IT:40"}
	switch s {
	case "OT":
		return BudgetSplit{OT: 100}, nil
	case "IT":
		return BudgetSplit{IT: 100}, nil
	}
	var b BudgetSplit
	var seenOT, seenIT bool
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == '+' })
	if len(fields) != 2 {
		return BudgetSplit{}, bad
	}
	for _, f := range fields {
		f = budgetSeparators.Replace(f)
		parts := strings.Fields(f)
		if len(parts) != 2 {
			return BudgetSplit{}, bad
		}
		n, err := strconv.Atoi(parts[1])
		if err != nil || n < 0 || n > 100 {
			return BudgetSplit{}, bad
		}
		switch {
		case parts[0] == "OT" && !seenOT:
			b.OT, seenOT = n, true
		case parts[0] == "IT" && !seenIT:
			b.IT, seenIT = n, true
		default:
			return BudgetSplit{}, bad
		}
	}
	if b.OT+b.IT != 100 {
		return BudgetSplit{}, &FieldError{Field: "budget_owner", Value: orig, Reason: fmt.Sprintf("adds up to %d%%; the shares must add up to 100", b.OT+b.IT)}
	}
	return b, nil
}

// ParseIP checks an IPv4 or IPv6 address and returns its canonical form.
func ParseIP(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	ip := net.ParseIP(s)
	if ip == nil {
		return "", &FieldError{Field: "ip", Value: s, Reason: "is not an IP address; write it like 192.168.1.20"}
	}
	return ip.String(), nil
}
