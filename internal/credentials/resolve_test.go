package credentials

import (
	"strings"
	"testing"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/inventory"
)

func usersOf(cs []discovery.Credential) string {
	var u []string
	for _, c := range cs {
		u = append(u, c.Username)
	}
	return strings.Join(u, ",")
}

func TestResolverFor(t *testing.T) {
	v := NewSession(nil)
	for _, s := range []Set{
		{Username: "all", Password: "a"},
		{Username: "north", Password: "n", Scope: Scope{Site: "North"}},
		{Username: "dev1", Password: "1", Scope: Scope{Device: "d1"}},
		{Username: "south", Password: "s", Scope: Scope{Site: "south"}},
		{Username: "dev2", Password: "2", Scope: Scope{Device: "d2"}},
		{Username: "dev3", Password: "3", Scope: Scope{Device: "d3"}},
		{Username: "dev5", Password: "5", Scope: Scope{Device: "d5"}},
		{Username: "dev9", Password: "9", Scope: Scope{Device: "d9"}},
	} {
		mustAdd(t, v, s)
	}
	devices := []inventory.Device{
		{ID: "d1", Known: inventory.Known{Site: "North"}, Discovered: inventory.Discovered{
			EndpointRef: "urn:uuid:AAAA", MAC: "00:11:22:33:44:01", IPs: []string{"10.0.0.1"}}},
		{ID: "d2", Discovered: inventory.Discovered{EndpointRef: "uuid:bbbb", IPs: []string{"10.0.0.2"}}},
		{ID: "d3", Known: inventory.Known{Site: "South"}, Lifecycle: inventory.Lifecycle{State: inventory.StateReplaced},
			Discovered: inventory.Discovered{EndpointRef: "cccc", IPs: []string{"10.0.0.3"}}},
		{ID: "d4", Known: inventory.Known{Site: "SOUTH ", MAC: "00:11:22:33:44:04"}, Discovered: inventory.Discovered{
			MAC: "00:11:22:33:44:40", IPs: []string{"10.0.0.4"}}},
		{ID: "d5", Known: inventory.Known{Site: "North"}, Discovered: inventory.Discovered{IPs: []string{"10.0.0.9"}}},
		{ID: "d6", Known: inventory.Known{Site: "South"}, Discovered: inventory.Discovered{IPs: []string{"10.0.0.9", "fe80::6"}}},
	}
	file := []discovery.Credential{{Username: "file", Password: "f"}, {Username: "all", Password: "a"}}
	r := v.ForDevices(devices, file)

	// A login added during the scan waits for the next.
	mustAdd(t, v, Set{Username: "late", Password: "l"})

	const (
		d1      = "file,all,dev1,north"
		unknown = "file,all,north,south"
	)
	for _, c := range []struct {
		name string
		in   inventory.Discovered
		want string
	}{
		{"by endpoint reference", inventory.Discovered{EndpointRef: "urn:uuid:aaaa"}, d1},
		{"by MAC written otherwise", inventory.Discovered{MAC: "00-11-22-33-44-01"}, d1},
		{"by address", inventory.Discovered{IPs: []string{"10.0.0.1"}}, d1},
		{"by mapped address", inventory.Discovered{IPs: []string{"::ffff:10.0.0.1"}}, d1},
		{"by link-local address", inventory.Discovered{IPs: []string{"fe80::6"}}, "file,all,south"},
		{"new endpoint, known MAC", inventory.Discovered{EndpointRef: "urn:uuid:new", MAC: "00:11:22:33:44:01"}, d1},
		{"known without a site: every site's after all sites'", inventory.Discovered{EndpointRef: "urn:uuid:BBBB"}, "file,all,dev2,north,south"},
		{"site in another case, by the MAC a person entered", inventory.Discovered{MAC: "00:11:22:33:44:04"}, "file,all,south"},
		{"not by the discovered MAC a person corrected", inventory.Discovered{MAC: "00:11:22:33:44:40"}, unknown},
		{"not in the inventory", inventory.Discovered{EndpointRef: "urn:uuid:dddd", IPs: []string{"10.0.0.50"}}, unknown},
		{"nothing known of it", inventory.Discovered{}, unknown},
		{"a replaced device's address", inventory.Discovered{IPs: []string{"10.0.0.3"}}, unknown},
		{"a replaced device's endpoint", inventory.Discovered{EndpointRef: "cccc"}, unknown},
		{"an address two devices share", inventory.Discovered{IPs: []string{"10.0.0.9"}}, unknown},
		{"endpoint of one device, another MAC", inventory.Discovered{EndpointRef: "aaaa", MAC: "00:11:22:33:44:99", IPs: []string{"10.0.0.1"}}, unknown},
		{"address of one device, another endpoint", inventory.Discovered{EndpointRef: "zzzz", IPs: []string{"10.0.0.1"}}, unknown},
		{"a malformed MAC is no MAC", inventory.Discovered{MAC: "nonsense", IPs: []string{"10.0.0.1"}}, d1},
	} {
		if got := usersOf(r.For(c.in)); got != c.want {
			t.Errorf("%s: For(%+v) = %s; want %s", c.name, c.in, got, c.want)
		}
	}
	// file and all once; then north, south, dev1, dev2, dev5 (dev3's device
	// is replaced, dev9's is not in the inventory, late came after).
	if first, saved := r.Counts(); first != 2 || saved != 5 {
		t.Errorf("Counts() = %d, %d; want 2, 5", first, saved)
	}
}

func TestResolverWithoutVault(t *testing.T) {
	var v *Vault
	r := v.ForDevices(nil, []discovery.Credential{{Username: "file", Password: "f"}, {Username: "file", Password: "f"}})
	if got := usersOf(r.For(inventory.Discovered{IPs: []string{"10.0.0.1"}})); got != "file" {
		t.Errorf("For = %s; want file, once", got)
	}
	if got := NewSession(nil).ForDevices(nil, nil).For(inventory.Discovered{}); len(got) != 0 {
		t.Errorf("For with nothing saved = %v; want none", got)
	}
}
