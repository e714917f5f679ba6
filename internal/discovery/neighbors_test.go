package discovery

import (
	"encoding/binary"
	"maps"
	"net/netip"
	"testing"
)

func TestParseProcARP(t *testing.T) {
	data := []byte(`IP address       HW type     Flags       HW address            Mask     Device
198.18.1.10      0x1         0x2         00:40:8c:00:00:00     *        eth0
198.18.1.11      0x1         0x0         00:00:00:00:00:00     *        eth0
198.18.1.12      0x1         0x2         44:19:B6:00:00:01     *        eth0
224.0.0.251      0x1         0x6         01:00:5e:00:00:fb     *        eth0
garbage
not-an-ip        0x1         0x2         00:40:8c:00:00:01     *        eth0
`)
	want := map[netip.Addr]string{
		netip.MustParseAddr("198.18.1.10"): "00:40:8c:00:00:00",
		netip.MustParseAddr("198.18.1.12"): "44:19:b6:00:00:01",
	}
	if got := parseProcARP(data); !maps.Equal(got, want) {
		t.Errorf("parseProcARP = %v; want %v", got, want)
	}
}

func TestParseIPNetTable(t *testing.T) {
	row := func(mac []byte, addr [4]byte, typ uint32) []byte {
		r := make([]byte, 24)
		binary.LittleEndian.PutUint32(r[0:], 7)
		binary.LittleEndian.PutUint32(r[4:], uint32(len(mac)))
		copy(r[8:16], mac)
		copy(r[16:20], addr[:])
		binary.LittleEndian.PutUint32(r[20:], typ)
		return r
	}
	b := binary.LittleEndian.AppendUint32(nil, 4)
	b = append(b, row([]byte{0xac, 0xcc, 0x8e, 1, 2, 3}, [4]byte{192, 168, 1, 90}, 3)...)      // dynamic
	b = append(b, row([]byte{0xac, 0xcc, 0x8e, 1, 2, 4}, [4]byte{192, 168, 1, 91}, 2)...)      // invalid
	b = append(b, row([]byte{1, 0, 0x5e, 0, 0, 0xfb}, [4]byte{224, 0, 0, 251}, 4)...)          // static multicast
	b = append(b, row([]byte{0xac, 0xcc, 0x8e, 1, 2, 5}, [4]byte{192, 168, 1, 92}, 4)[:10]...) // truncated
	want := map[netip.Addr]string{netip.MustParseAddr("192.168.1.90"): "ac:cc:8e:01:02:03"}
	if got := parseIPNetTable(b); !maps.Equal(got, want) {
		t.Errorf("parseIPNetTable = %v; want %v", got, want)
	}
	if got := parseIPNetTable([]byte{1}); len(got) != 0 {
		t.Errorf("parseIPNetTable(short) = %v", got)
	}
}
