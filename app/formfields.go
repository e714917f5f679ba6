package app

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

// field is a text input of the device form whose text a parser must accept,
// with the plain-language message shown under it while the text is wrong.
type field struct {
	entry *widget.Entry
	msg   *widget.Label
	kind  fieldKind
	check func(string) error
	// extra sits to the right of the entry: an "Estimated" box, a currency.
	extra fyne.CanvasObject
	tab   int // the form tab the field is on, to point at it
	bad   bool
	box   *fyne.Container
}

func newField(kind fieldKind, check func(string) error, placeholder string, onChange func()) *field {
	f := &field{entry: widget.NewEntry(), msg: widget.NewLabel(""), kind: kind, check: check}
	f.entry.SetPlaceHolder(placeholder)
	f.msg.Importance = widget.DangerImportance
	f.msg.Wrapping = fyne.TextWrapWord
	f.msg.Hide()
	f.entry.OnChanged = func(string) {
		f.validate()
		onChange()
	}
	return f
}

// validate shows or hides the field's message and reports whether the text
// is acceptable.
func (f *field) validate() bool {
	err := f.check(f.entry.Text)
	f.bad = err != nil
	if f.bad {
		f.setMessage(fieldHint(f.kind, err))
	} else {
		f.setMessage("")
	}
	return !f.bad
}

// setMessage shows a message under the field; "" hides it.
func (f *field) setMessage(s string) {
	if s == f.msg.Text && (s == "") == !f.msg.Visible() {
		return
	}
	f.msg.SetText(s)
	if s == "" {
		f.msg.Hide()
	} else {
		f.msg.Show()
	}
	if f.box != nil {
		f.box.Refresh() // lay out again: the message takes or gives back room
	}
}

func (f *field) object() fyne.CanvasObject {
	in := fyne.CanvasObject(f.entry)
	if f.extra != nil {
		in = container.NewBorder(nil, nil, nil, f.extra, f.entry)
	}
	f.box = container.NewVBox(in, f.msg)
	return f.box
}

// The parsers, as field checks.
func checkDate(s string) error   { _, err := inventory.ParseDate(s); return err }
func checkMAC(s string) error    { _, err := inventory.ParseMAC(s); return err }
func checkBudget(s string) error { _, err := inventory.ParseBudget(s); return err }

// checkMoneyIn checks an amount and that it is not in another currency
// than the inventory's.
func checkMoneyIn(currency string) func(string) error {
	return func(s string) error {
		if _, err := inventory.ParseMoney(s); err != nil {
			return err
		}
		return inventory.CheckCurrency(s, currency)
	}
}

func checkYears(s string) error {
	_, err := parseYears(s)
	return err
}

// parseYears reads an expected life in whole years, 0 to 50; empty is 0.
func parseYears(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	// "8 years" is what people write on a datasheet.
	num := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(s), "years"), "year"))
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 50 {
		return 0, &inventory.FieldError{Field: "expected_life_years", Value: s, Reason: "must be a whole number of years between 0 and 50"}
	}
	return n, nil
}

// datePlaceholder shows the form of a date without looking like one that
// was entered.
const datePlaceholder = "Date, like 2027-03-31"

// dateField is a date with its "estimated" box.
type dateField struct {
	*field
	est *widget.Check
}

func newDateField(v inventory.DateValue, onChange func()) *dateField {
	f := &dateField{field: newField(kindDate, checkDate, datePlaceholder, onChange)}
	f.entry.SetText(v.Date.String())
	f.est = widget.NewCheck("Estimated", func(bool) { onChange() })
	f.est.SetChecked(v.Estimated)
	f.extra = f.est
	return f
}

func (f *dateField) value() inventory.DateValue {
	d, _ := inventory.ParseDate(f.entry.Text)
	return inventory.DateValue{Date: d, Estimated: f.est.Checked && !d.IsZero()}
}

// formGrid lays out labelled inputs in two columns, like widget.Form but
// with room for a message under each input.
func formGrid(items ...any) *fyne.Container {
	var objs []fyne.CanvasObject
	for i := 0; i+1 < len(items); i += 2 {
		l := widget.NewLabel(items[i].(string))
		l.Alignment = fyne.TextAlignTrailing
		var o fyne.CanvasObject
		switch w := items[i+1].(type) {
		case *field:
			o = w.object()
		case *dateField:
			o = w.object()
		case fyne.CanvasObject:
			o = w
		}
		// The label sits at the top of its cell, level with the input and
		// not centred against the message under it.
		objs = append(objs, container.NewVBox(l), o)
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// section is a bold heading over a group of inputs.
func section(title string, body fyne.CanvasObject) fyne.CanvasObject {
	h := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(h, body)
}

// classByLabel returns the class whose Label is s, or "".
func classByLabel(s string) inventory.Class {
	for _, c := range inventory.Classes {
		if c.Label() == s {
			return c
		}
	}
	return ""
}

// stateByLabel returns the state whose Label is s, or "".
func stateByLabel(s string) inventory.State {
	for _, st := range inventory.States {
		if st.Label() == s {
			return st
		}
	}
	return ""
}

// inheritStrategy is the strategy choice that leaves it to the site or type.
const inheritStrategy = "Same as its site or type"

func strategyOptions() []string {
	out := []string{inheritStrategy}
	for _, s := range inventory.Strategies {
		out = append(out, s.Label())
	}
	return out
}

func strategyByLabel(s string) inventory.Strategy {
	for _, st := range inventory.Strategies {
		if st.Label() == s {
			return st
		}
	}
	return ""
}

func strategyLabel(s inventory.Strategy) string {
	if s == "" {
		return inheritStrategy
	}
	return s.Label()
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
