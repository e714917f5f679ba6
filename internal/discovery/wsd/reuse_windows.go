package wsd

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// reuseAddr sets SO_REUSEADDR, so the announcement socket can share port
// 3702 with Windows' Function Discovery service unless that service holds
// it exclusively; then the bind fails and the scan goes on without it.
func reuseAddr(_, _ string, rc syscall.RawConn) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = windows.SetsockoptInt(windows.Handle(fd), windows.SOL_SOCKET, windows.SO_REUSEADDR, 1)
	})
	if err != nil {
		return err
	}
	return serr
}
