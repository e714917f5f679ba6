package watch

import (
	"time"

	"sitekeeper/internal/inventory"
)

// stand-in until internal/inventory has them: when it does, make each of
// these an alias (type StatusChange = inventory.StatusChange, const
// HealthOnline = inventory.HealthOnline, ...) or delete this file and
// qualify the names; nothing else in the package changes.

// Health is a device's debounced state as the store keeps it.
type Health string

// The health values. The zero value means "not checked yet".
const (
	HealthUnknown  Health = ""
	HealthOnline   Health = "online"
	HealthDegraded Health = "degraded"
	HealthOffline  Health = "offline"
)

// StatusChange is one change of a device's health.
type StatusChange struct {
	DeviceID string
	At       time.Time
	To       Health
	Cause    string
}

// CheckTally counts one device's checks on one day.
type CheckTally struct {
	DeviceID   string
	Day        inventory.Date
	OK, Failed int
}

// DeviceStatus is a device's current health.
type DeviceStatus struct {
	Health    Health
	Since     time.Time
	Cause     string
	LastCheck time.Time
}
