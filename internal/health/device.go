package health

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// Report is the outcome of CheckDevice.
type Report struct {
	// State sums the checks up (see CheckDevice); Detail says why in plain
	// words.
	State  State  `json:"state"`
	Detail string `json:"detail"`
	// Checks are the results, in a fixed order: icmp, onvif, then the ports
	// as given, then snmp.
	Checks []Result `json:"checks"`
	// Problems are the kinds of the problems that make a device Degraded
	// (the Problem* constants), once each, in the order found: an alert
	// about a wrong clock alone reads differently from one about a dead
	// video service.
	Problems []string `json:"problems,omitempty"`
	// Start is when the checks began; Took how long they all took.
	Start time.Time     `json:"start"`
	Took  time.Duration `json:"took"`
}

// Result returns the result of the check named, if it ran.
func (r Report) Result(check string) (Result, bool) {
	for _, c := range r.Checks {
		if c.Check == check {
			return c, true
		}
	}
	return Result{}, false
}

// The kinds of problem that make a device Degraded, in Report.Problems.
const (
	// ProblemVideo: a video service (RTSP, ONVIF) does not work.
	ProblemVideo = "video"
	// ProblemClock: the device's clock is more than MaxDrift off.
	ProblemClock = "clock_drift"
	// ProblemCertificate: a certificate has expired or expires within
	// CertWarnDays.
	ProblemCertificate = "certificate_expiring"
)

// check is one check CheckDevice runs, by name.
type check struct {
	name string
	run  func(context.Context, Target) Result
}

// portCheck picks the check for port p by the conventional numbers cameras
// and recorders use.
func portCheck(p uint16) check {
	n := strconv.Itoa(int(p))
	switch p {
	case 80, 8080:
		return check{"http:" + n, func(ctx context.Context, t Target) Result { return CheckHTTP(ctx, t, p, false) }}
	case 443, 8443:
		return check{"https:" + n, func(ctx context.Context, t Target) Result { return CheckHTTP(ctx, t, p, true) }}
	case 554, 8554:
		return check{"rtsp:" + n, func(ctx context.Context, t Target) Result { return CheckRTSP(ctx, t, p) }}
	}
	return check{"tcp:" + n, func(ctx context.Context, t Target) Result { return CheckTCP(ctx, t, p) }}
}

// isVideo reports whether a check is of a video service: RTSP, or ONVIF.
func isVideo(check string) bool {
	return check == "onvif" || strings.HasPrefix(check, "rtsp:")
}

// CheckDevice runs every check that applies to t — ping always, ONVIF when
// t.XAddr is set, one check per port of t.Ports (HTTP, HTTPS, RTSP or TCP by
// port number, duplicates dropped), SNMP when t.Community is set — at most
// t.Sockets at once, and sums them up:
//
//   - Down when nothing answered at all;
//   - Degraded when the device answers but one of its video services (an
//     RTSP port, the ONVIF service) does not work, its clock is more than
//     MaxDrift off, or a certificate has expired or expires within
//     CertWarnDays;
//   - OK otherwise. Other findings (a closed port, TLS older than 1.2, a
//     web server error, no SNMP answer) are named in Detail but do not
//     change the state: the scheduler alerts on the device state.
//
// The first t.Sockets checks (ping first) run as one round; when none of
// them answers, the rest are not tried (Down, "not tried"): a dead device
// costs one timeout and no more packets. A failing check is a Result, never
// an error. CheckDevice returns when every check has: within
// ceil(checks/Sockets)+1 timeouts for a live device, one for a dead one.
func CheckDevice(ctx context.Context, t Target) Report {
	rep := Report{Start: t.now()}
	start := time.Now()
	checks := []check{{"icmp", CheckPing}}
	if t.XAddr != "" {
		checks = append(checks, check{"onvif", CheckONVIF})
	}
	seen := map[uint16]bool{}
	for _, p := range t.Ports {
		if p != 0 && !seen[p] {
			seen[p] = true
			checks = append(checks, portCheck(p))
		}
	}
	if t.Community != "" {
		checks = append(checks, check{"snmp", CheckSNMP})
	}
	rep.Checks = make([]Result, len(checks))
	sockets := t.Sockets
	if sockets <= 0 {
		sockets = DefaultSockets
	}
	// The first round (ping and the next checks, one socket each) decides
	// whether the device is there at all: when none of it answers, the
	// rest would only time out too, so a dead device costs one timeout and
	// no further packets.
	first := min(sockets, len(checks))
	run(ctx, t, checks[:first], rep.Checks[:first], sockets)
	if anyAnswered(rep.Checks[:first]) {
		run(ctx, t, checks[first:], rep.Checks[first:], sockets)
	} else {
		for i := first; i < len(checks); i++ {
			rep.Checks[i] = Result{Check: checks[i].name, State: Down,
				Detail: "not tried: the device answered none of the first checks"}
		}
	}
	rep.Took = time.Since(start)
	rep.State, rep.Detail, rep.Problems = summarise(rep.Checks)
	return rep
}

// run runs checks[i] into out[i], at most limit at once, and returns when
// all have.
func run(ctx context.Context, t Target, checks []check, out []Result, limit int) {
	var g errgroup.Group
	g.SetLimit(limit)
	for i, c := range checks {
		g.Go(func() error { // returns when the check does; t's timeout bounds it
			out[i] = c.run(ctx, t)
			return nil
		})
	}
	_ = g.Wait() // the checks return no errors
}

func anyAnswered(rs []Result) bool {
	for _, r := range rs {
		if r.Answered {
			return true
		}
	}
	return false
}

// summarise applies CheckDevice's rules to results: the state, the detail
// and the kinds of the problems found.
func summarise(results []Result) (State, string, []string) {
	var answered bool
	var problems, notes, kinds []string
	for _, r := range results {
		answered = answered || r.Answered
	}
	if !answered {
		var why []string
		for _, r := range results {
			if r.Detail != "" {
				why = append(why, r.Check+": "+r.Detail)
			}
		}
		return Down, "the device does not answer at all (" + strings.Join(why, "; ") + ")", nil
	}
	problem := func(kind, words string) {
		problems = append(problems, words)
		if !slices.Contains(kinds, kind) {
			kinds = append(kinds, kind)
		}
	}
	for _, r := range results {
		switch {
		case r.State == OK || r.State == Unknown:
			if r.SNMP != nil && r.SNMP.Rebooted {
				notes = append(notes, r.Detail)
			}
			if r.HTTP != nil && r.HTTP.TLS != nil && r.HTTP.TLS.SelfSigned {
				notes = append(notes, r.Check+": self-signed certificate")
			}
		case r.Clock != nil && abs(r.Clock.Offset) > MaxDrift: // ONVIF answered, with a clock far off
			problem(ProblemClock, r.Detail)
		case isVideo(r.Check):
			problem(ProblemVideo, videoWords(r))
		case r.HTTP != nil && r.HTTP.TLS != nil && r.HTTP.TLS.DaysLeft < CertWarnDays:
			problem(ProblemCertificate, r.Check+": "+r.Detail)
		default:
			notes = append(notes, r.Check+": "+r.Detail)
		}
	}
	if len(problems) > 0 {
		return Degraded, strings.Join(append(problems, notes...), "; "), kinds
	}
	if len(notes) > 0 {
		return OK, "the device answers; " + strings.Join(notes, "; "), nil
	}
	return OK, "the device answers and all " + strconv.Itoa(len(results)) + " checks passed", nil
}

// videoWords words a failed video check for the device summary.
func videoWords(r Result) string {
	what := "its video stream service (" + r.Check + ")"
	if r.Check == "onvif" {
		what = "its ONVIF service"
	}
	return "the device is on, but " + what + " does not work, so video may not be recorded: " + r.Detail
}
