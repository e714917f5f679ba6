package health

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"
)

// SNMP object IDs (RFC 1213 system group).
const (
	oidSysDescr  = ".1.3.6.1.2.1.1.1.0"
	oidSysUpTime = ".1.3.6.1.2.1.1.3.0"
)

// maxDescr bounds the sysDescr kept.
const maxDescr = 256

// Rebooted reports whether an uptime now below the previous one means the
// device restarted: prev is from an earlier check (0: unknown). sysUpTime
// also wraps after 497 days (2^32 hundredths of a second); a drop from
// within a day of the wrap to under a day is taken for the wrap, not a reboot.
func Rebooted(prev, now time.Duration) bool {
	const wrap = (1 << 32) * 10 * time.Millisecond
	if prev <= 0 || now >= prev {
		return false
	}
	return !(prev > wrap-24*time.Hour && now < 24*time.Hour)
}

// CheckSNMP reads sysDescr and sysUpTime with SNMP v2c and t.Community from
// port 161 of t.Addr. gosnmp opens its UDP socket in Connect, which runs
// inside t.Enter (see the package comment); one retry. A device that stays
// silent is Down for SNMP: a wrong community gets no answer at all. The
// uptime is compared with t.PrevUptime: a reset means a reboot, noted in
// the Detail and SNMPInfo.Rebooted (the check stays OK: the device works now).
func CheckSNMP(ctx context.Context, t Target) Result {
	r := Result{Check: "snmp", Method: MethodSNMP}
	if t.Community == "" {
		r.Detail = "no SNMP community configured"
		return r
	}
	timeout := t.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	g := &gosnmp.GoSNMP{
		Target:    t.Addr.Unmap().String(),
		Port:      cmp.Or(t.SNMPPort, 161),
		Transport: "udp",
		Community: t.Community,
		Version:   gosnmp.Version2c,
		Context:   ctx,
		Timeout:   timeout / 2,
		Retries:   1,
		MaxOids:   gosnmp.MaxOids,
	}
	if err := t.enter(g.Connect); err != nil {
		r.State = Down
		r.Detail = "could not open the SNMP socket: " + err.Error()
		return r
	}
	defer g.Close()
	start := time.Now()
	pkt, err := g.Get([]string{oidSysDescr, oidSysUpTime})
	if err != nil {
		r.State = Down
		switch {
		case refused(err):
			r.Answered = true
			r.Detail = "the device refuses SNMP: its SNMP agent is off"
		case timedOut(err) || ctx.Err() != nil || errors.Is(err, gosnmp.ErrMaxRetriesExceeded):
			r.Detail = "no SNMP answer: the community is wrong, or SNMP is off on the device"
		default:
			r.Detail = "SNMP failed: " + err.Error()
		}
		return r
	}
	r.Latency = time.Since(start)
	r.Answered = true
	info := &SNMPInfo{}
	var missing []string
	if pkt.Error != gosnmp.NoError {
		r.State = Degraded
		r.Detail = "the SNMP agent answers with an error (" + pkt.Error.String() + ")"
		return r
	}
	gotUptime := false
	for _, v := range pkt.Variables {
		switch v.Name {
		case oidSysDescr:
			if b, ok := v.Value.([]byte); ok {
				info.Descr = printable(string(b), maxDescr)
			}
		case oidSysUpTime:
			if ticks, ok := v.Value.(uint32); ok {
				info.Uptime = time.Duration(ticks) * 10 * time.Millisecond
				gotUptime = true
			}
		}
	}
	if info.Descr == "" {
		missing = append(missing, "sysDescr")
	}
	if !gotUptime {
		missing = append(missing, "sysUpTime")
	}
	r.SNMP = info
	r.State = OK
	var words []string
	if gotUptime {
		words = append(words, "SNMP answers; up for "+uptimeWords(info.Uptime))
		if info.Rebooted = Rebooted(t.PrevUptime, info.Uptime); info.Rebooted {
			words = append(words, "it restarted since the last check (up for "+uptimeWords(t.PrevUptime)+" then)")
		}
	} else {
		words = append(words, "SNMP answers")
	}
	if len(missing) > 0 {
		words = append(words, "without "+strings.Join(missing, " or "))
	}
	r.Detail = strings.Join(words, "; ")
	return r
}

// uptimeWords says a duration the way people say uptimes.
func uptimeWords(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	d -= time.Duration(days) * 24 * time.Hour
	switch {
	case days > 0:
		return fmt.Sprintf("%d days %d h", days, int(d.Hours()))
	case d >= time.Hour:
		return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return strconv.Itoa(int(d.Minutes())) + " min"
	}
	return strconv.Itoa(int(d.Seconds())) + " s"
}

// printable keeps at most n bytes of s, control characters replaced.
func printable(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s))
}
