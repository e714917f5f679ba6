package report

import (
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"sitekeeper/internal/firmware"
	"sitekeeper/internal/health"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
)

// Finding is one thing IT should look at on one device.
type Finding struct {
	DeviceID string
	Device   string // name and address
	Site     string
	What     string // "Plain HTTP", "Telnet open", ...
	Detail   string
	// Severity orders the list: 3 high, 2 medium, 1 low.
	Severity int
}

// Findings lists what IT should look at, worst first: unsupported or
// outdated firmware, clock drift, certificates, plain-text management
// (HTTP without TLS, Telnet, FTP) and devices offline now. It reads only
// what scans and checks recorded; it sends nothing.
func Findings(data Data) []Finding {
	var out []Finding
	for _, d := range activeDevices(data.In) {
		add := func(sev int, what, detail string) {
			out = append(out, Finding{DeviceID: d.ID, Device: d.NameAndAddress(), Site: d.Known.Site, What: what, Detail: detail, Severity: sev})
		}
		st := data.In.Statuses[d.ID]
		if st.Health == inventory.HealthOffline {
			add(3, "Offline", "Not answering since "+st.Since.Format("2 Jan 2006 15:04"))
		}
		switch a := data.Firmware[d.ID]; a.Status {
		case firmware.StatusUnsupported:
			add(3, "Firmware unsupported", a.Reason)
		case firmware.StatusBehind:
			add(2, "Firmware behind", a.Reason)
		}
		if st.Health == inventory.HealthDegraded {
			for _, p := range st.Problems {
				switch p {
				case health.ProblemClock:
					add(2, "Clock drift", upperFirst(clause(st.Cause, "clock")))
				case health.ProblemCertificate:
					add(2, "Certificate", upperFirst(clause(st.Cause, "certificate")))
				}
			}
		}
		if plainHTTP(&d) {
			add(1, "Plain HTTP", "Its ONVIF service is reached over HTTP without TLS: logins and settings cross the network readable; turn on HTTPS on the device")
		}
		for _, s := range d.Discovered.Services {
			switch name, port := service(s); {
			case name == "_telnet._tcp" || port == "23":
				add(3, "Telnet open", "Telnet sends logins unencrypted; turn it off on the device")
			case name == "_ftp._tcp" || port == "21":
				add(2, "FTP open", "FTP sends logins unencrypted; turn it off, or use SFTP")
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if a.Severity != b.Severity {
			return b.Severity - a.Severity
		}
		return strings.Compare(strings.ToLower(a.Site+"\x00"+a.Device), strings.ToLower(b.Site+"\x00"+b.Device))
	})
	return out
}

// plainHTTP reports whether every ONVIF address of d is plain HTTP.
func plainHTTP(d *inventory.Device) bool {
	if len(d.Discovered.XAddrs) == 0 {
		return false
	}
	for _, x := range d.Discovered.XAddrs {
		if u, err := url.Parse(x); err != nil || u.Scheme != "http" {
			return false
		}
	}
	return true
}

// service splits "_ipp._tcp:631" into its type and port.
func service(s string) (name, port string) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}

// clause is the part of a "; "-joined cause that mentions word, or the
// whole cause.
func clause(cause, word string) string {
	for _, c := range strings.Split(cause, "; ") {
		if strings.Contains(c, word) {
			return c
		}
	}
	return cause
}

// retired are the devices out of service, for the record of what was
// replaced, when and why.
func retired(in plan.Input) []inventory.Device {
	var out []inventory.Device
	for _, d := range in.Devices {
		if s := d.State(); s == inventory.StateReplaced || s == inventory.StateDecommissioned {
			out = append(out, d)
		}
	}
	sortDevices(out)
	return out
}

// upperFirst is s with a capital first letter, or with its leading check
// name in capitals ("https:443: its certificate …" → "HTTPS:443: …").
func upperFirst(s string) string {
	if name, rest, ok := strings.Cut(s, ": "); ok {
		if proto, port, ok := strings.Cut(name, ":"); ok && proto != "" && strings.Trim(proto, "abcdefghijklmnopqrstuvwxyz") == "" && port != "" && strings.Trim(port, "0123456789") == "" {
			return strings.ToUpper(name) + ": " + rest
		}
	}
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
