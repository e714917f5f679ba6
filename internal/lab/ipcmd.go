//go:build linux

package lab

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
)

// CmdError is a failed `ip` command, with what it said on stderr.
type CmdError struct {
	// Args are the arguments after "ip".
	Args []string
	// Input is the batch fed on stdin, if any (the first lines only).
	Input string
	// Stderr is what ip printed on stderr, trimmed.
	Stderr string
	Err    error
}

func (e *CmdError) Error() string {
	msg := "ip " + strings.Join(e.Args, " ")
	if e.Input != "" {
		msg += " <<" + e.Input
	}
	msg += ": " + e.Err.Error()
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *CmdError) Unwrap() error { return e.Err }

// maxInputInError bounds how much of a batch an error message quotes.
const maxInputInError = 200

// ipBatch runs `ip [-n netns] -batch -` with lines on stdin; ip stops at the
// first failing line and names it on stderr ("Command failed -:3").
func ipBatch(ctx context.Context, netns string, lines []string) error {
	return runBatch(ctx, netns, false, lines)
}

// ipBatchAll is ipBatch but goes on past failing lines (-force), for
// teardown, which should remove all it can.
func ipBatchAll(ctx context.Context, netns string, lines []string) error {
	return runBatch(ctx, netns, true, lines)
}

func runBatch(ctx context.Context, netns string, force bool, lines []string) error {
	var args []string
	if netns != "" {
		args = append(args, "-n", netns)
	}
	if force {
		args = append(args, "-force")
	}
	args = append(args, "-batch", "-")
	input := strings.Join(lines, "\n") + "\n"
	cmd := exec.CommandContext(ctx, "ip", args...)
	cmd.Stdin = strings.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		quoted := strings.ReplaceAll(strings.TrimSpace(input), "\n", "; ")
		if len(quoted) > maxInputInError {
			quoted = quoted[:maxInputInError] + "…"
		}
		return &CmdError{Args: args, Input: quoted, Stderr: strings.TrimSpace(stderr.String()), Err: err}
	}
	return nil
}

// hostConfig is the batch that configures a host namespace's side: eth0
// with its IPv4 address and its IPv6 link-local one (LinkLocal), up, and the
// multicast route. Without the route, sendto(239.x) fails with ENETUNREACH
// and IP_ADD_MEMBERSHIP on INADDR_ANY with ENODEV, because a lab namespace
// has no default route. The kernel's own link-local address is turned off
// (addrgenmode none) and ours is added without duplicate address detection
// (nodad), so IPv6 works the moment the link is up instead of a second later.
func hostConfig(addr string) []string {
	return []string{
		"link set lo up",
		"link set eth0 addrgenmode none",
		fmt.Sprintf("addr add %s/%d dev eth0", addr, labLen),
		fmt.Sprintf("addr add %s/64 dev eth0 nodad", LinkLocal(netip.MustParseAddr(addr))),
		"link set eth0 up",
		"route add 224.0.0.0/4 dev eth0",
	}
}

// LinkLocal is the IPv6 link-local address the lab gives the host with IPv4
// address a.b.c.d: fe80::a:b:c:d, its octets written as hex groups
// (198.18.1.10 → fe80::198:18:1:10), easy to tell apart in a capture.
func LinkLocal(v4 netip.Addr) netip.Addr {
	b := v4.As4()
	return netip.MustParseAddr(fmt.Sprintf("fe80::%d:%d:%d:%d", b[0], b[1], b[2], b[3]))
}
