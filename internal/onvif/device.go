package onvif

import (
	"context"
	"time"
)

// GetSystemDateAndTime asks for the device clock, always anonymously (ONVIF
// requires devices to answer it without credentials, so a client can learn
// the clock before signing). When the device sends its UTC time the client
// records the offset, and DateTime.Offset carries it.
func (c *Client) GetSystemDateAndTime(ctx context.Context) (DateTime, error) {
	t0 := c.now()
	dt, err := call(ctx, c, "GetSystemDateAndTime", `<tds:GetSystemDateAndTime/>`, false, parseSystemDateAndTime)
	if err != nil || dt.UTC.IsZero() {
		return dt, err
	}
	t1 := c.now()
	// The device truncates to whole seconds, so its true time lies in
	// [UTC, UTC+1s): add half a second and compare with the round trip's midpoint.
	mid := t0.Add(t1.Sub(t0) / 2)
	dt.Offset = dt.UTC.Add(500 * time.Millisecond).Sub(mid).Round(time.Millisecond)
	c.mu.Lock()
	c.offset, c.synced, c.syncTried = dt.Offset, true, true
	c.mu.Unlock()
	return dt, nil
}

// GetDeviceInformation returns manufacturer, model, firmware, serial number
// and hardware id.
func (c *Client) GetDeviceInformation(ctx context.Context) (DeviceInfo, error) {
	return call(ctx, c, "GetDeviceInformation", `<tds:GetDeviceInformation/>`, true, parseDeviceInformation)
}

// GetNetworkInterfaces returns every network interface the device reports.
func (c *Client) GetNetworkInterfaces(ctx context.Context) ([]NetworkInterface, error) {
	return call(ctx, c, "GetNetworkInterfaces", `<tds:GetNetworkInterfaces/>`, true, parseNetworkInterfaces)
}

// GetScopes returns the device's scope URIs.
func (c *Client) GetScopes(ctx context.Context) (Scopes, error) {
	return call(ctx, c, "GetScopes", `<tds:GetScopes/>`, true, parseScopes)
}

// GetServices returns the device's services (ONVIF 2.x devices).
func (c *Client) GetServices(ctx context.Context) (Services, error) {
	return call(ctx, c, "GetServices",
		`<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>`,
		true, parseServices)
}

// GetCapabilities returns the service XAddrs from the older capabilities
// call, for devices whose GetServices fails (Axis Q6045-E answers it with a
// ter:Action fault).
func (c *Client) GetCapabilities(ctx context.Context) (Services, error) {
	return call(ctx, c, "GetCapabilities",
		`<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>`,
		true, parseCapabilities)
}
