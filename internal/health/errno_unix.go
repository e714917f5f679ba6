//go:build !windows

package health

import (
	"errors"
	"syscall"
)

// refused reports whether err is the device's TCP reset (or ICMP port
// unreachable): it is alive, but nothing listens on that port.
func refused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// unreachable reports whether err says there is no route to the device.
func unreachable(err error) bool {
	return errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH)
}
