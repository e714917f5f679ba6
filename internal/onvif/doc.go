// Package onvif is SiteKeeper's ONVIF device-service client: SOAP 1.2 over
// HTTP with per-call timeouts, a body-size cap, charset support, SOAP faults
// as typed errors, WS-UsernameToken signed with the device's own clock, and
// HTTP Digest. It covers what identification needs: GetSystemDateAndTime,
// GetDeviceInformation, GetNetworkInterfaces, GetScopes, GetServices and
// GetCapabilities.
//
// Responses are parsed by namespace URI and local name, never by prefix, and
// unknown elements are ignored: real devices vary prefixes (env:, SOAP-ENV:,
// s:), redeclare default namespaces on every element (Bosch), and add
// vendor extensions everywhere.
package onvif
