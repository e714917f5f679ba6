package transfer

import (
	"strconv"
	"strings"

	"sitekeeper/internal/inventory"
)

// column is one CSV column: how a device's value is written (get, the
// effective value: what a person entered, else what the network said) and
// where an imported value goes (set). Values a person enters go to
// Device.Known; ip and firmware are observations that a later scan may
// update, so they go to Device.Discovered.
type column struct {
	name string
	get  func(d *inventory.Device) string
	set  func(d *inventory.Device, v string) error
}

// standardColumns are the columns of the device list as the issue fixes
// them, in export order.
var standardColumns = []column{
	text("name", func(k *inventory.Known) *string { return &k.Name }, nil),
	text("site", func(k *inventory.Known) *string { return &k.Site }, nil),
	text("location", func(k *inventory.Known) *string { return &k.Location }, nil),
	{name: "ip", get: (*inventory.Device).IP, set: setIP},
	{name: "mac", get: (*inventory.Device).MAC, set: setMAC},
	text("manufacturer", func(k *inventory.Known) *string { return &k.Manufacturer }, (*inventory.Device).Manufacturer),
	text("model", func(k *inventory.Known) *string { return &k.Model }, (*inventory.Device).Model),
	text("serial", func(k *inventory.Known) *string { return &k.Serial }, (*inventory.Device).Serial),
	{name: "firmware", get: (*inventory.Device).Firmware, set: setFirmware},
	date("install_date", func(k *inventory.Known) *inventory.DateValue { return &k.InstallDate }),
	date("warranty_end", func(k *inventory.Known) *inventory.DateValue { return &k.WarrantyEnd }),
	date("end_of_support", func(k *inventory.Known) *inventory.DateValue { return &k.EndOfSupport }),
	{name: "replacement_cost", get: getCost, set: setCost},
	owner("ot_owner", func(k *inventory.Known) *inventory.Owner { return &k.OTOwner }),
	owner("it_owner", func(k *inventory.Known) *inventory.Owner { return &k.ITOwner }),
	{name: "budget_owner", get: func(d *inventory.Device) string { return d.Known.BudgetOwner.String() }, set: setBudget},
	{name: "strategy", get: func(d *inventory.Device) string { return string(d.Known.Strategy) }, set: setStrategy},
	text("notes", func(k *inventory.Known) *string { return &k.Notes }, nil),
}

// extraColumns round-trip the rest of what a person enters about a device.
// Import accepts them in any position; export writes them after the
// standard columns, in this order, so that a spreadsheet made for the
// standard 18 columns still lines up. Flags read yes/no (also true/false,
// 1/0, x) and are written "yes" or left empty.
var extraColumns = []column{
	{name: "class", get: func(d *inventory.Device) string { return string(d.Class()) }, set: setClass},
	{name: "status", get: func(d *inventory.Device) string { return string(d.State()) }, set: setStatus},
	date("purchase_date", func(k *inventory.Known) *inventory.DateValue { return &k.PurchaseDate }),
	{name: "expected_life_years", get: getLife, set: setLife},
	flag("install_date_estimated", func(k *inventory.Known) *bool { return &k.InstallDate.Estimated }),
	flag("purchase_date_estimated", func(k *inventory.Known) *bool { return &k.PurchaseDate.Estimated }),
	flag("warranty_end_estimated", func(k *inventory.Known) *bool { return &k.WarrantyEnd.Estimated }),
	flag("end_of_support_estimated", func(k *inventory.Known) *bool { return &k.EndOfSupport.Estimated }),
	flag("replacement_cost_estimated", func(k *inventory.Known) *bool { return &k.ReplacementCostEstimated }),
}

// columns is every column, in export order.
var columns = append(append([]column(nil), standardColumns...), extraColumns...)

// aliases are other header names people use for a column.
var aliases = map[string]string{
	"ip_address":    "ip",
	"mac_address":   "mac",
	"serial_number": "serial",
	"vendor":        "manufacturer",
	"state":         "status",
}

// findColumn returns the column a header cell names, or nil. Header names
// are matched in any case, with spaces and hyphens read as underscores
// ("Warranty End" and "warranty-end" are warranty_end).
func findColumn(header string) *column {
	k := strings.ToLower(strings.TrimSpace(header))
	k = strings.NewReplacer(" ", "_", "-", "_").Replace(k)
	if a, ok := aliases[k]; ok {
		k = a
	}
	for i := range columns {
		if columns[i].name == k {
			return &columns[i]
		}
	}
	return nil
}

// text is a free-text column of Known; get, if not nil, is the effective
// value to export instead of the Known one.
func text(name string, field func(*inventory.Known) *string, get func(*inventory.Device) string) column {
	if get == nil {
		get = func(d *inventory.Device) string { return *field(&d.Known) }
	}
	return column{name: name, get: get, set: func(d *inventory.Device, v string) error {
		*field(&d.Known) = v
		return nil
	}}
}

func date(name string, field func(*inventory.Known) *inventory.DateValue) column {
	return column{
		name: name,
		get:  func(d *inventory.Device) string { return field(&d.Known).Date.String() },
		set: func(d *inventory.Device, v string) error {
			t, err := inventory.ParseDate(v)
			field(&d.Known).Date = t
			return err
		},
	}
}

func owner(name string, field func(*inventory.Known) *inventory.Owner) column {
	return column{
		name: name,
		get:  func(d *inventory.Device) string { return field(&d.Known).String() },
		set: func(d *inventory.Device, v string) error {
			*field(&d.Known) = inventory.ParseOwner(v)
			return nil
		},
	}
}

func flag(name string, field func(*inventory.Known) *bool) column {
	return column{
		name: name,
		get: func(d *inventory.Device) string {
			if *field(&d.Known) {
				return "yes"
			}
			return ""
		},
		set: func(d *inventory.Device, v string) error {
			switch strings.ToLower(v) {
			case "", "no", "n", "false", "0":
				*field(&d.Known) = false
			case "yes", "y", "true", "1", "x", "estimated":
				*field(&d.Known) = true
			default:
				return &inventory.FieldError{Field: name, Value: v, Reason: "is not yes or no; write yes, or leave it empty"}
			}
			return nil
		},
	}
}

func setIP(d *inventory.Device, v string) error {
	ip, err := inventory.ParseIP(v)
	if ip != "" {
		d.Discovered.IPs = []string{ip}
	}
	return err
}

func setMAC(d *inventory.Device, v string) (err error) {
	d.Known.MAC, err = inventory.ParseMAC(v)
	return err
}

func setFirmware(d *inventory.Device, v string) error {
	d.Discovered.Firmware = v
	return nil
}

// getCost leaves a cost that was never entered empty: zero is "not
// entered", never "free" (see inventory.Money).
func getCost(d *inventory.Device) string {
	if d.Known.ReplacementCost == 0 {
		return ""
	}
	return d.Known.ReplacementCost.String()
}

func setCost(d *inventory.Device, v string) (err error) {
	d.Known.ReplacementCost, err = inventory.ParseMoney(v)
	return err
}

func setBudget(d *inventory.Device, v string) (err error) {
	d.Known.BudgetOwner, err = inventory.ParseBudget(v)
	return err
}

func setStrategy(d *inventory.Device, v string) (err error) {
	d.Known.Strategy, err = inventory.ParseStrategy(v)
	return err
}

func setClass(d *inventory.Device, v string) (err error) {
	d.Known.Class, err = inventory.ParseClass(v)
	return err
}

func setStatus(d *inventory.Device, v string) (err error) {
	d.Lifecycle.State, err = inventory.ParseState(v)
	return err
}

func getLife(d *inventory.Device) string {
	if d.Known.ExpectedLifeYears == 0 {
		return ""
	}
	return strconv.Itoa(d.Known.ExpectedLifeYears)
}

// setLife reads whole years; the range is Validate's to check.
func setLife(d *inventory.Device, v string) error {
	if v == "" {
		d.Known.ExpectedLifeYears = 0
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return &inventory.FieldError{Field: "expected_life_years", Value: v, Reason: "is not a whole number of years; write it like 10"}
	}
	d.Known.ExpectedLifeYears = n
	return nil
}
