package discovery

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/windows"
)

var procGetIPNetTable = windows.NewLazySystemDLL("iphlpapi.dll").NewProc("GetIpNetTable")

// readNeighbors reads the IPv4 table with iphlpapi's GetIpNetTable
// (golang.org/x/sys/windows wraps neither it nor GetIpNetTable2).
func readNeighbors() map[netip.Addr]string {
	if procGetIPNetTable.Find() != nil {
		return nil
	}
	size := uint32(0)
	r, _, _ := procGetIPNetTable.Call(0, uintptr(unsafe.Pointer(&size)), 0)
	if r != uintptr(windows.ERROR_INSUFFICIENT_BUFFER) || size == 0 {
		return nil
	}
	buf := make([]byte, size)
	r, _, _ = procGetIPNetTable.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)), 0)
	if r != 0 {
		return nil
	}
	return parseIPNetTable(buf[:size])
}
