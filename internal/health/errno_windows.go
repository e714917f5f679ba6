package health

import (
	"errors"

	"golang.org/x/sys/windows"
)

// refused reports whether err is the device's TCP reset: it is alive, but
// nothing listens on that port. Winsock's codes are not syscall's invented
// POSIX constants, so they are named here.
func refused(err error) bool { return errors.Is(err, windows.WSAECONNREFUSED) }

// unreachable reports whether err says there is no route to the device.
func unreachable(err error) bool {
	return errors.Is(err, windows.WSAEHOSTUNREACH) || errors.Is(err, windows.WSAENETUNREACH)
}
