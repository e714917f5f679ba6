package watch

import "sitekeeper/internal/inventory"

// The health history's types are the inventory's; these names keep the
// scheduler's code short.
type (
	Health       = inventory.Health
	StatusChange = inventory.StatusChange
	CheckTally   = inventory.CheckTally
	DeviceStatus = inventory.DeviceStatus
)

// The health values.
const (
	HealthUnknown  = inventory.HealthUnknown
	HealthOnline   = inventory.HealthOnline
	HealthDegraded = inventory.HealthDegraded
	HealthOffline  = inventory.HealthOffline
)

// The inventory is the scheduler's store.
var _ Store = inventory.Store(nil)
