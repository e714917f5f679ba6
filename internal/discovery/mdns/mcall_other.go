//go:build !linux

package mdns

import "net"

// ownGroupsOnly is needed on Linux only (see mcall_linux.go).
func ownGroupsOnly(*net.UDPConn) error { return nil }
