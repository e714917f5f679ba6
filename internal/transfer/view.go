package transfer

import (
	"time"

	"sitekeeper/internal/inventory"
)

// DeviceView is a device flattened for `sitekeeper devices --json` and for
// scripts: one level, snake_case names, effective values (what a person
// entered, else what the network reported).
//
// The rule for absent values: id, display_name, status and replacement_cost
// are always present; replacement_cost is null when no cost was entered (a
// missing cost is never 0). Every other field is left out when it is empty,
// zero or false, so a script reads a missing key as "not known".
type DeviceView struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Name        string `json:"name,omitempty"`
	Class       string `json:"class,omitempty"`
	Site        string `json:"site,omitempty"`
	Location    string `json:"location,omitempty"`

	IP           string   `json:"ip,omitempty"`
	IPs          []string `json:"ips,omitempty"`
	MAC          string   `json:"mac,omitempty"`
	Manufacturer string   `json:"manufacturer,omitempty"`
	Model        string   `json:"model,omitempty"`
	Firmware     string   `json:"firmware,omitempty"`
	Serial       string   `json:"serial,omitempty"`
	HardwareID   string   `json:"hardware_id,omitempty"`

	Sources     []string  `json:"sources,omitempty"`
	XAddrs      []string  `json:"xaddrs,omitempty"`
	Services    []string  `json:"services,omitempty"`
	Hostnames   []string  `json:"hostnames,omitempty"`
	EndpointRef string    `json:"endpoint_ref,omitempty"`
	Interface   string    `json:"interface,omitempty"`
	FirstSeen   time.Time `json:"first_seen,omitzero"`
	LastSeen    time.Time `json:"last_seen,omitzero"`

	// Status is the lifecycle state: active, spare, replaced or
	// decommissioned.
	Status string `json:"status"`

	OTOwner     string `json:"ot_owner,omitempty"`
	ITOwner     string `json:"it_owner,omitempty"`
	BudgetOwner string `json:"budget_owner,omitempty"`

	// Dates are ISO (2027-03-31); an *_estimated flag marks a date that
	// SiteKeeper estimated rather than a person entered.
	InstallDate           string `json:"install_date,omitempty"`
	InstallDateEstimated  bool   `json:"install_date_estimated,omitempty"`
	PurchaseDate          string `json:"purchase_date,omitempty"`
	PurchaseDateEstimated bool   `json:"purchase_date_estimated,omitempty"`
	WarrantyEnd           string `json:"warranty_end,omitempty"`
	WarrantyEndEstimated  bool   `json:"warranty_end_estimated,omitempty"`
	EndOfSupport          string `json:"end_of_support,omitempty"`
	EndOfSupportEstimated bool   `json:"end_of_support_estimated,omitempty"`
	ExpectedLifeYears     int    `json:"expected_life_years,omitempty"`

	// ReplacementCost is in the inventory's currency, a JSON number with
	// two decimals, or null when no cost was entered.
	ReplacementCost          *inventory.Money `json:"replacement_cost"`
	ReplacementCostEstimated bool             `json:"replacement_cost_estimated,omitempty"`
	// Strategy is the device's own replacement strategy; empty means it
	// inherits its class's or site's.
	Strategy string `json:"strategy,omitempty"`
	Notes    string `json:"notes,omitempty"`
}

// View flattens d. Slices are copied, so the view does not alias d.
func View(d *inventory.Device) DeviceView {
	c := d.Clone()
	k := &c.Known
	v := DeviceView{
		ID:          c.ID,
		DisplayName: c.DisplayName(),
		Name:        k.Name,
		Class:       string(c.Class()),
		Site:        k.Site,
		Location:    k.Location,

		IP:           c.IP(),
		IPs:          c.Discovered.IPs,
		MAC:          c.MAC(),
		Manufacturer: c.Manufacturer(),
		Model:        c.Model(),
		Firmware:     c.Firmware(),
		Serial:       c.Serial(),
		HardwareID:   c.Discovered.HardwareID,

		Sources:     c.Discovered.Sources,
		XAddrs:      c.Discovered.XAddrs,
		Services:    c.Discovered.Services,
		Hostnames:   c.Discovered.Hostnames,
		EndpointRef: c.Discovered.EndpointRef,
		Interface:   c.Discovered.Interface,
		FirstSeen:   c.Discovered.FirstSeen,
		LastSeen:    c.Discovered.LastSeen,

		Status: string(c.State()),

		OTOwner:     k.OTOwner.String(),
		ITOwner:     k.ITOwner.String(),
		BudgetOwner: k.BudgetOwner.String(),

		InstallDate:           k.InstallDate.Date.String(),
		InstallDateEstimated:  k.InstallDate.Estimated && !k.InstallDate.IsZero(),
		PurchaseDate:          k.PurchaseDate.Date.String(),
		PurchaseDateEstimated: k.PurchaseDate.Estimated && !k.PurchaseDate.IsZero(),
		WarrantyEnd:           k.WarrantyEnd.Date.String(),
		WarrantyEndEstimated:  k.WarrantyEnd.Estimated && !k.WarrantyEnd.IsZero(),
		EndOfSupport:          k.EndOfSupport.Date.String(),
		EndOfSupportEstimated: k.EndOfSupport.Estimated && !k.EndOfSupport.IsZero(),
		ExpectedLifeYears:     k.ExpectedLifeYears,

		Strategy: string(k.Strategy),
		Notes:    k.Notes,
	}
	if k.ReplacementCost != 0 {
		cost := k.ReplacementCost
		v.ReplacementCost = &cost
		v.ReplacementCostEstimated = k.ReplacementCostEstimated
	}
	return v
}
